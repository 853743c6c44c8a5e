// The anomaly kind has no PromQL form: its normal is a streaming model (a robust level and seasonal
// profile with clipped learning, a decayed residual histogram, CUSUM and likelihood state) that no
// recording rule can carry from one evaluation to the next. Said per rule, never dropped silently.
import type { AnomalyRule } from '../../rules/index.js';
import type { KindTranslation } from './types.js';

export function anomaly(rule: AnomalyRule): KindTranslation {
  return {
    compiled: false,
    note: {
      subject: rule.name,
      fidelity: 'not-compiled',
      reason: 'anomaly rules run only in the embedded detector (`sentinel run`): their learned model (robust seasonal level, residual histogram, CUSUM and likelihood state) has no PromQL equivalent, and a mean ± k·stddev band over a range would page on other things',
    },
  };
}
