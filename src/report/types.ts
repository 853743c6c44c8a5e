// Contract of the HTML report (`sentinel backtest --report out.html`): what the backtest driver hands
// over per alert. Times are milliseconds since the epoch; the report writes and draws them in UTC.
import type { AlertExplain, Labels, Severity } from '../model/index.js';

/** What a value is, so the report can say it as a person would: a share (`0.25` -> `25%`), seconds
 *  (`18000` -> `5 h`), or a plain number (a count, a rate). */
export type ReportUnit = 'ratio' | 'seconds' | 'number';

/** One point of the series an alert watched: [t (ms), value, learned lower bound?, learned upper bound?].
 *  `null` leaves a gap (no sample, or no baseline yet during warm-up). */
export type ReportPoint = readonly [t: number, value: number | null, lower?: number | null, upper?: number | null];

export interface ReportAlert {
  readonly rule: string;
  readonly severity?: Severity;
  /** The entity's labels, as in the alert event. */
  readonly labels: Labels;
  /** When the alert became pending (or firing, if the driver has no pending time). */
  readonly fromMs: number;
  /** When it became firing, if known: drawn red from here to `toMs`, pending (amber) before it. */
  readonly firingMs?: number;
  /** It was pending only and never fired (the condition cleared within `for`): drawn amber throughout. */
  readonly neverFired?: boolean;
  /** When it resolved; absent when still firing at the end of the recording. */
  readonly toMs?: number;
  readonly summary?: string;
  /** The rule's own measure of how bad it got (shown in the table). Without it the table shows the
   *  value farthest from zero during the span, which for a drop is the last normal value, not the drop. */
  readonly peak?: number;
  /** What the value is, for the axis: "successes / min", "error ratio", "p95 seconds". */
  readonly valueLabel?: string;
  /** How to write the value and the peak (default: a plain number). */
  readonly unit?: ReportUnit;
  /** The watched series around the alert, with its learned band; the report clips and thins it. */
  readonly points: readonly ReportPoint[];
  /** What the rule judged when it fired: written under the chart. */
  readonly explain?: AlertExplain;
}

/** A series to draw without an alert (context). */
export interface ReportSeries {
  readonly title: string;
  readonly labels?: Labels;
  readonly valueLabel?: string;
  readonly unit?: ReportUnit;
  readonly points: readonly ReportPoint[];
}

/** Which rules found anything to watch: a report with no alerts means little if no rule matched a series. */
export interface ReportCoverage {
  /** Every rule of the pack, by name. */
  readonly rules: readonly string[];
  /** The rules whose selector matched no series of the data. */
  readonly withoutSeries: readonly string[];
}

export interface ReportInput {
  readonly title: string;
  readonly alerts: readonly ReportAlert[];
  readonly series?: readonly ReportSeries[];
  /** When given, the report says which rules matched no series (and, if none did, that this is why
   *  it is empty). */
  readonly coverage?: ReportCoverage;
  /** Shown under the title, e.g. { data: 'recording.om', rules: 'rules/', samples: '6.6 M' }. */
  readonly meta?: Readonly<Record<string, string>>;
  /** How much of the series to show around each alert (defaults: 12 h before, 3 h after). */
  readonly contextBeforeMs?: number;
  readonly contextAfterMs?: number;
  /** At most this many points per chart (min/max thinning keeps spikes). Default 3000. */
  readonly maxPointsPerChart?: number;
}
