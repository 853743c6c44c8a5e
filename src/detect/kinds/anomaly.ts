// Any gauge, or a counter's per-second rate, that stops looking like itself. One point per `step`
// feeds the streaming model of ../anomaly (state in the entity's memo, so it rides in the snapshot);
// the alert holds while the model's episode does, so one anomaly is one page.
import { newAnomalyState, updateAnomaly } from '../anomaly/anomaly-model.js';
import { DEFAULT_ANOMALY_PARAMS } from '../anomaly/defaults.js';
import type { AnomalyParams, AnomalyState } from '../anomaly/types.js';
import type { AnomalyRule } from '../../rules/types.js';
import { increaseBetween } from '../track.js';
import { TOTAL, type Entity, type KindSpec, type Verdict } from './kind.js';

/** What one entity keeps: the model and its last judgement, the alert's explanation in waiting (the
 *  value, what was expected, the band, z, the score and the detector): reports read the band. */
export interface AnomalyMemo {
  model: AnomalyState;
  /** Time of the last point fed (ms). */
  fedMs: number;
  /** The last point was judged (past the warm-up): expected, band, z and score are its. */
  judged: boolean;
  value: number;
  expected: number;
  lower: number;
  upper: number;
  z: number;
  score: number;
  /** Which detector raised the episode under way (spike, novel, shift, likelihood, stuck). */
  detector: string;
  holding: boolean;
}

/** Points closer than this share of a step are not fed: scrape jitter must not add points. */
const STEP_SLACK = 0.9;

export function anomalyParams(rule: AnomalyRule): AnomalyParams {
  return { ...DEFAULT_ANOMALY_PARAMS, direction: rule.direction, season: rule.season, warmupPoints: rule.warmUpSamples };
}

export const anomaly: KindSpec<AnomalyRule> = {
  lowerIsWorse: (rule) => rule.direction === 'down',
  routes(rule) {
    // A name-less selector (`{__name__=~".+"}`): the name matchers pick metrics, the rest pick series.
    const named = rule.metric === '' ? { nameMatchers: rule.matchers.filter((m) => m.label === '__name__') } : {};
    const matchers = rule.matchers.filter((m) => m.label !== '__name__');
    return [{ name: rule.metric, matchers, ...named, aggregation: rule.rateWindowMs ? 'counter' : 'sum', classify: () => [TOTAL] }];
  },
  fineKeepMs: (rule) => rule.rateWindowMs ?? 60_000,
  coarseKeepMs: () => 0,
  evaluate(rule, live) {
    const verdicts: Verdict[] = [];
    let params: AnomalyParams | undefined;
    for (const [key, ent] of live) {
      const memo = memoOf(ent);
      const atMs = ent.lastSeenMs;
      if (memo.fedMs === -1 || atMs - memo.fedMs >= STEP_SLACK * rule.stepMs) {
        const value = valueOf(rule, ent, atMs);
        if (value !== undefined) {
          params ??= anomalyParams(rule);
          const v = updateAnomaly(memo.model, params, atMs, value);
          memo.fedMs = atMs;
          memo.value = value;
          memo.judged = v.ready;
          if (v.ready) Object.assign(memo, { expected: v.expected, lower: v.lower, upper: v.upper, z: v.z, score: v.score });
          if (v.detected) memo.detector = v.by ?? '';
          memo.holding = v.holding;
        }
      }
      if (memo.holding) verdicts.push({ entity: key, labels: { ...ent.labels }, value: memo.value });
    }
    return verdicts;
  },
  measure(_rule, ent) {
    const memo = ent.memo.anomaly as AnomalyMemo | undefined;
    if (!memo || memo.fedMs === -1) return undefined;
    return memo.judged ? { value: memo.value, lower: memo.lower, upper: memo.upper } : { value: memo.value };
  },
};

function memoOf(ent: Entity): AnomalyMemo {
  let memo = ent.memo.anomaly as AnomalyMemo | undefined;
  if (!memo) {
    // Plain JSON (no NaN): the memo rides in the detector's snapshot.
    memo = { model: newAnomalyState(), fedMs: -1, judged: false, value: 0, expected: 0, lower: 0, upper: 0, z: 0, score: 0, detector: '', holding: false };
    ent.memo.anomaly = memo;
  }
  return memo;
}

/** The gauge's sum, or the counter's per-second rate over the rate window. */
function valueOf(rule: AnomalyRule, ent: Entity, nowMs: number): number | undefined {
  if (!rule.rateWindowMs) return ent.cum[TOTAL];
  const track = ent.fine[TOTAL];
  if (!track) return undefined;
  const inc = increaseBetween(track, nowMs - rule.rateWindowMs, nowMs);
  return inc.spanMs > 0 ? (inc.delta * 1000) / inc.spanMs : undefined;
}
