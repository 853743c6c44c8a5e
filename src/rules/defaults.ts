// Rule semantics the detector and the compiled forms share, so both say the same thing.

/** success_drop: a firing alert has recovered once the window holds this multiple of drop_ratio of
 *  its normal (0.5 with the default drop_ratio 0.25)... */
export const RECOVERY_FACTOR = 2;

/** ...or half way from drop_ratio back to normal, when that is lower (drop_ratio 0.6: 0.8). */
export function recoveryRatio(dropRatio: number): number {
  return Math.min(RECOVERY_FACTOR * dropRatio, (1 + dropRatio) / 2);
}
