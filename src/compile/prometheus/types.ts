// Prometheus rule-file objects, as `promtool check rules` reads them, and what compiling one rule yields.
import type { FidelityNote } from '../types.js';

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  /** Evaluation interval of the group (the detector evaluates about once a minute). */
  readonly interval?: string;
  readonly rules: ReadonlyArray<RecordingRule | AlertingRule>;
}

export interface Signal {
  readonly value: string;
  readonly normal?: string;
  /** Grafana unit of the value (`percentunit`, `s`, `short`). */
  readonly unit: string;
}

/** One rule's translation: recording rules evaluated first (same group, in order), then the alert. */
export type KindTranslation =
  | {
      readonly compiled: true;
      readonly recording: readonly RecordingRule[];
      /** The alert condition; its value is the rule's measured value (share, ratio, seconds...). */
      readonly condition: string;
      /** Kinds with several alerts per rule (slo_burn: page and ticket): each condition with the labels
       *  that tell them apart (and its severity); `condition` is then the first. */
      readonly alerts?: ReadonlyArray<{ readonly condition: string; readonly labels: Readonly<Record<string, string>> }>;
      /** Labels the alert carries beyond `by` (e.g. error_code), for the generated unit test. */
      readonly extraAlertLabels: readonly string[];
      /** Recorded series a dashboard draws for this rule: its measured value and, where it has one, its normal. */
      readonly signal: Signal;
      readonly note: FidelityNote;
    }
  | { readonly compiled: false; readonly note: FidelityNote };
