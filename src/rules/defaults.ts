// Rule semantics the detector and the compiled forms share, so both say the same thing.

/** success_drop: a firing alert has recovered once the window holds this multiple of drop_ratio of
 *  its normal (0.5 with the default drop_ratio 0.25). */
export const RECOVERY_FACTOR = 2;
