import type { Rule, RuleKind } from '../../rules/types.js';
import { anomaly } from './anomaly.js';
import { errorCodeShift } from './error-code-shift.js';
import { errorRate } from './error-rate.js';
import type { KindSpec } from './kind.js';
import { latency } from './latency.js';
import { queueBacklog } from './queue-backlog.js';
import { routingFlows } from './routing-flows.js';
import { sloBurn } from './slo-burn.js';
import { successDrop } from './success-drop.js';
import { threshold } from './threshold.js';
import { timeouts } from './timeouts.js';

const KINDS: { [K in RuleKind]: KindSpec<Extract<Rule, { kind: K }>> } = {
  error_code_shift: errorCodeShift,
  error_rate: errorRate,
  success_drop: successDrop,
  latency,
  timeouts,
  routing_flows: routingFlows,
  queue_backlog: queueBacklog,
  threshold,
  anomaly,
  slo_burn: sloBurn,
};

export function kindOf(kind: RuleKind): KindSpec {
  return KINDS[kind] as unknown as KindSpec;
}
