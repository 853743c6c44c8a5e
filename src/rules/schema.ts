// The rule file as a user writes it (snake_case YAML), with every default stated here once.
// Strict objects: an unknown field is an error with a did-you-mean, never silently ignored.
import { z } from 'zod';
import { durationMs, selector } from '../config/index.js';
import { METRIC } from '../model/index.js';
import { burnWindow, checkBurnWindows, objective, workbookWindows } from './slo-schema.js';

const MIN = 60_000;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RULE_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const labelName = z.string().refine((v) => LABEL_NAME.test(v), { message: 'not a label name', params: { fix: 'use letters, digits and _, not starting with a digit' } });
const fraction = z.number().min(0).max(1);
const positive = z.number().positive();

/** Fields common to every kind; `for` and friends default per kind below. */
/** Only the anomaly kind reads any metric a name pattern selects; the others need their one metric. */
export const namedSelector = selector.refine((s) => s.metric !== '', {
  message: 'this kind reads one metric: a {__name__=~...} selector is only for kind: anomaly',
  params: { fix: 'start the selector with the metric name' },
});

function common(defaults: { by: string[]; forMs: number; keepFiringForMs?: number; warmUpMs?: number; staleAfterMs?: number; anyName?: boolean }) {
  return {
    name: z.string().refine((v) => RULE_NAME.test(v), { message: 'not a valid rule name', params: { fix: 'use letters, digits, _ and : (like a metric name)' } }),
    select: defaults.anyName ? selector : namedSelector,
    by: z.array(labelName).default(defaults.by),
    for: durationMs.default(defaults.forMs),
    keep_firing_for: durationMs.default(defaults.keepFiringForMs ?? 0),
    severity: z.enum(['critical', 'warning']),
    summary: z.string().min(1),
    runbook: z.string().optional(),
    labels: z.record(labelName, z.string()).default({}),
    warm_up: durationMs.default(defaults.warmUpMs ?? 60 * MIN),
    stale_after: durationMs.default(defaults.staleAfterMs ?? 5 * MIN),
  };
}

const errorCodeShift = z.strictObject({
  kind: z.literal('error_code_shift'),
  ...common({ by: ['partner'], forMs: MIN, keepFiringForMs: 5 * MIN }),
  code_label: labelName.default('error_code'),
  outcome_label: labelName.default('outcome'),
  success_value: z.string().default('success'),
  window: durationMs.default(10 * MIN),
  baseline: durationMs.default(24 * 60 * MIN),
  min_count: positive.default(2),
  min_share: fraction.default(0.3),
  floor_share: fraction.default(0.02),
  sustain: durationMs.default(15 * MIN),
  exit_at: fraction.default(0.5),
  factor: positive.default(4),
  p_value: fraction.default(1e-6),
});

const errorRate = z.strictObject({
  kind: z.literal('error_rate'),
  ...common({ by: ['partner'], forMs: 5 * MIN, keepFiringForMs: 5 * MIN }),
  outcome_label: labelName.default('outcome'),
  success_value: z.string().default('success'),
  window: durationMs.default(5 * MIN),
  baseline: durationMs.default(24 * 60 * MIN),
  min_calls: positive.default(20),
  min_errors: positive.default(5),
  min_ratio: fraction.default(0.25),
  floor_ratio: fraction.default(0.05),
  sustain: durationMs.default(15 * MIN),
  exit_at: fraction.default(0.5),
  factor: positive.default(3),
  p_value: fraction.default(1e-6),
});

const successDrop = z.strictObject({
  kind: z.literal('success_drop'),
  ...common({ by: ['partner', 'operation'], forMs: 5 * MIN, keepFiringForMs: 5 * MIN, warmUpMs: 90 * MIN }),
  window: durationMs.default(10 * MIN),
  history: durationMs.default(60 * MIN),
  min_expected: positive.default(10),
  drop_ratio: fraction.default(0.25),
  p_value: fraction.default(1e-5),
  recover_ratio: fraction.optional(),
  sustain: durationMs.default(10 * MIN),
});

const latency = z.strictObject({
  kind: z.literal('latency'),
  ...common({ by: ['partner', 'operation'], forMs: 10 * MIN, keepFiringForMs: 5 * MIN, warmUpMs: 120 * MIN }),
  window: durationMs.default(5 * MIN),
  baseline: durationMs.default(24 * 60 * MIN),
  min_count: positive.default(20),
  mad_factor: positive.default(6),
  min_factor: positive.default(2),
  min_seconds: z.number().min(0).default(0.05),
  exit_at: fraction.default(0.5),
});

const timeouts = z.strictObject({
  kind: z.literal('timeouts'),
  ...common({ by: ['db_operation_name'], forMs: MIN, keepFiringForMs: 5 * MIN }),
  timeout_label: labelName.default('error_type'),
  timeout_value: z.string().default('timeout'),
  window: durationMs.default(15 * MIN),
  baseline: durationMs.default(24 * 60 * MIN),
  min_count: positive.default(2),
  min_count_new: positive.default(1),
  min_ratio: fraction.default(0.2),
  floor_ratio: fraction.default(0.02),
  near_timeout: fraction.default(0.1),
  sustain: durationMs.default(15 * MIN),
  exit_at: fraction.default(0.5),
  factor: positive.default(4),
  p_value: fraction.default(1e-6),
});

const routingFlows = z.strictObject({
  kind: z.literal('routing_flows'),
  ...common({ by: ['zone'], forMs: 3 * MIN, keepFiringForMs: 2 * MIN, warmUpMs: 0 }),
  state_label: labelName.default('state'),
  unhealthy_value: z.string().default('unhealthy'),
  min_ratio: fraction.default(0.1),
  min_unhealthy: positive.default(1),
  min_zones: z.number().int().positive().default(2),
});

const queueBacklog = z.strictObject({
  kind: z.literal('queue_backlog'),
  ...common({ by: ['queue'], forMs: 5 * MIN, keepFiringForMs: 5 * MIN }),
  pending_metric: z.string().default(METRIC.queuePending),
  oldest_age_metric: z.string().default(METRIC.queueOldestAge),
  outcome_label: labelName.default('outcome'),
  failed_value: z.string().default('failed'),
  window: durationMs.default(15 * MIN),
  baseline: durationMs.default(24 * 60 * MIN),
  max_oldest_age: durationMs.default(15 * MIN),
  max_failed: positive.default(10),
  mad_factor: positive.default(6),
  min_pending: z.number().min(0).default(50),
});

const threshold = z.strictObject({
  kind: z.literal('threshold'),
  ...common({ by: [], forMs: 5 * MIN, warmUpMs: 0 }),
  rate_window: durationMs.optional(),
  op: z.enum(['>', '>=', '<', '<=']).default('>'),
  value: z.number(),
});

// Defaults are the one parameter set measured on NAB (docs/rules.md, "anomaly"); a point every 5 minutes.
const anomaly = z.strictObject({
  kind: z.literal('anomaly'),
  // A point every step: a series is stale only after an hour without one.
  ...common({ by: [], forMs: 0, warmUpMs: 0, staleAfterMs: 60 * MIN, anyName: true }),
  rate_window: durationMs.optional(),
  direction: z.enum(['up', 'down', 'both']).default('both'),
  season: z.enum(['auto', 'none', '1d', '1w']).default('auto'),
  step: durationMs.default(5 * MIN),
  warm_up_samples: z.number().int().min(20).default(200),
});

// An objective over a period, judged on multiwindow burn rates (src/rules/slo-schema.ts).
const sloBurn = z
  .strictObject({
    kind: z.literal('slo_burn'),
    ...common({ by: ['partner'], forMs: 0, keepFiringForMs: 5 * MIN, warmUpMs: 0 }),
    // Page alerts carry this severity; ticket alerts are always warnings.
    severity: z.enum(['critical', 'warning']).default('critical'),
    outcome_label: labelName.default('outcome'),
    success_value: z.string().default('success'),
    objective,
    period: durationMs.default(30 * 24 * 60 * MIN),
    windows: z.array(burnWindow).min(1).optional(),
    min_calls: positive.default(20),
    exit_at: fraction.default(0.5),
  })
  .superRefine(checkBurnWindows)
  .transform((rule) => ({ ...rule, windows: rule.windows ?? workbookWindows(rule.period) }));

export const ruleSchema = z.discriminatedUnion('kind', [
  errorCodeShift,
  errorRate,
  successDrop,
  latency,
  timeouts,
  routingFlows,
  queueBacklog,
  threshold,
  anomaly,
  sloBurn,
]);
export type RawRule = z.output<typeof ruleSchema>;

export const ruleFileSchema = z.strictObject({
  rules: z.array(ruleSchema),
});
export type RawRuleFile = z.output<typeof ruleFileSchema>;
