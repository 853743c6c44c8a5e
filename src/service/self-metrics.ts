// The service's own /metrics, in Prometheus text format written by hand: a handful of families, no
// exporter to configure, and the output is exactly what the tests read. Label values are escaped as
// the exposition format requires; names are fixed here so docs/service.md can list them.

import { formatLabelSet } from '../model/index.js';

type LabelValues = Readonly<Record<string, string>>;

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
}

/** Buckets for durations from a fast loopback scrape to a slow partner exporter. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class Counter {
  readonly #values = new Map<string, { labels: LabelValues; value: number }>();
  constructor(readonly family: Family) {}
  inc(labels: LabelValues = {}, by = 1): void {
    const key = labelKey(labels);
    const entry = this.#values.get(key);
    if (entry) entry.value += by;
    else this.#values.set(key, { labels, value: by });
  }
  get(labels: LabelValues = {}): number {
    return this.#values.get(labelKey(labels))?.value ?? 0;
  }
  render(): string[] {
    return [...this.#values.values()].map((e) => `${this.family.name}${formatLabelSet(e.labels)} ${formatNumber(e.value)}`);
  }
}

export class Gauge {
  readonly #values = new Map<string, { labels: LabelValues; value: number }>();
  constructor(readonly family: Family) {}
  set(labels: LabelValues, value: number): void {
    this.#values.set(labelKey(labels), { labels, value });
  }
  /** Replace every series at once, so a state that disappears (no more firing alerts) reads 0, not stale. */
  replaceAll(entries: ReadonlyArray<readonly [LabelValues, number]>): void {
    this.#values.clear();
    for (const [labels, value] of entries) this.set(labels, value);
  }
  delete(labels: LabelValues): void {
    this.#values.delete(labelKey(labels));
  }
  render(): string[] {
    return [...this.#values.values()].map((e) => `${this.family.name}${formatLabelSet(e.labels)} ${formatNumber(e.value)}`);
  }
}

export class Histogram {
  readonly #series = new Map<string, { labels: LabelValues; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly family: Family,
    readonly buckets: readonly number[] = DURATION_BUCKETS,
  ) {}
  observe(labels: LabelValues, value: number): void {
    const key = labelKey(labels);
    let entry = this.#series.get(key);
    if (!entry) {
      entry = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, entry);
    }
    this.buckets.forEach((le, i) => {
      if (value <= le) entry.counts[i]! += 1;
    });
    entry.sum += value;
    entry.count += 1;
  }
  render(): string[] {
    const lines: string[] = [];
    for (const e of this.#series.values()) {
      this.buckets.forEach((le, i) => {
        lines.push(`${this.family.name}_bucket${formatLabelSet({ ...e.labels, le: String(le) })} ${e.counts[i]}`);
      });
      lines.push(`${this.family.name}_bucket${formatLabelSet({ ...e.labels, le: '+Inf' })} ${e.count}`);
      lines.push(`${this.family.name}_sum${formatLabelSet(e.labels)} ${formatNumber(e.sum)}`);
      lines.push(`${this.family.name}_count${formatLabelSet(e.labels)} ${e.count}`);
    }
    return lines;
  }
}

type Metric = Counter | Gauge | Histogram;

/** Every family the service exposes. One instance per running service. */
export class ServiceMetrics {
  readonly scrapeDuration = new Histogram({ name: 'sentinel_scrape_duration_seconds', help: 'Time to scrape and parse one target.', type: 'histogram' });
  readonly scrapes = new Counter({ name: 'sentinel_scrapes_total', help: 'Scrapes attempted, per target.', type: 'counter' });
  readonly scrapeFailures = new Counter({ name: 'sentinel_scrape_failures_total', help: 'Failed scrapes, per target and reason (timeout, network, http_status, garbage, too_large, sample_limit, label_limit, new_series_limit).', type: 'counter' });
  readonly malformedLines = new Counter({ name: 'sentinel_scrape_malformed_lines_total', help: 'Exposition lines skipped because they could not be parsed, per target.', type: 'counter' });
  readonly samplesRejected = new Counter({ name: 'sentinel_scrape_samples_rejected_total', help: 'Scraped samples turned away, per target and reason (duplicate: a series twice in one scrape, the first kept; non_finite: +Inf/NaN in a counter; too_old, too_far_ahead: timestamp out of bounds).', type: 'counter' });
  readonly targetUp = new Gauge({ name: 'sentinel_target_up', help: '1 if the last scrape of the target succeeded, else 0.', type: 'gauge' });
  readonly scrapeSamples = new Gauge({ name: 'sentinel_scrape_samples', help: 'Samples in the last successful scrape of the target.', type: 'gauge' });
  readonly evaluationDuration = new Histogram({ name: 'sentinel_rule_evaluation_duration_seconds', help: 'Time for one evaluation: detector step plus escalation.', type: 'histogram' });
  readonly evaluations = new Counter({ name: 'sentinel_rule_evaluations_total', help: 'Evaluations run.', type: 'counter' });
  readonly evaluationFailures = new Counter({ name: 'sentinel_rule_evaluation_failures_total', help: 'Evaluations that threw; the previous state is kept.', type: 'counter' });
  readonly alerts = new Gauge({ name: 'sentinel_alerts', help: 'Active alerts by state (pending, firing) and severity.', type: 'gauge' });
  // Mirrored from the escalator's own counters at every /metrics scrape.
  readonly notificationsSent = new Gauge({ name: 'sentinel_notifications_sent_total', help: 'Notifications delivered, per receiver.', type: 'counter' });
  readonly notificationsFailed = new Gauge({ name: 'sentinel_notifications_failed_total', help: 'Failed delivery attempts (each retry counts), per receiver.', type: 'counter' });
  readonly notificationsPending = new Gauge({ name: 'sentinel_notifications_pending', help: 'Notifications in the outbox not yet delivered, per receiver.', type: 'gauge' });
  readonly stateBytesWritten = new Counter({ name: 'sentinel_state_bytes_written_total', help: 'Bytes of the detector state written to data_dir (whole documents and journal frames).', type: 'counter' });
  readonly stateWriteFailures = new Counter({ name: 'sentinel_state_write_failures_total', help: 'Failed writes of the durable state to data_dir.', type: 'counter' });
  readonly reloads = new Counter({ name: 'sentinel_config_reloads_total', help: 'Reload attempts by result (success, failure).', type: 'counter' });
  readonly otlpRequests = new Counter({ name: 'sentinel_otlp_requests_total', help: 'OTLP/HTTP metrics requests (POST /v1/metrics), by encoding and result (accepted, malformed, unsupported_media_type).', type: 'counter' });
  readonly otlpDataPoints = new Counter({ name: 'sentinel_otlp_data_points_total', help: 'OTLP data points accepted.', type: 'counter' });
  readonly otlpSkippedMetrics = new Counter({ name: 'sentinel_otlp_skipped_metrics_total', help: 'OTLP metrics skipped, by reason (exponential_histogram, summary: the Prometheus exporter drops them too).', type: 'counter' });
  readonly lastReloadSuccess = new Gauge({ name: 'sentinel_config_last_reload_successful', help: '1 if the last reload succeeded.', type: 'gauge' });

  render(): string {
    const lines: string[] = [];
    for (const metric of Object.values(this) as Metric[]) {
      const { name, help, type } = metric.family;
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...metric.render());
    }
    return lines.join('\n') + '\n';
  }
}

function labelKey(labels: LabelValues): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join('\u0001');
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}
