// `sentinel backtest --prometheus URL --from … --to …`: the options that point a backtest at a live
// Prometheus instead of a file, turned into a batch source; its progress bar on stderr; and, after the
// run, the windows it could not read and (--compare-alerts) what Prometheus itself fired.
import { readFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { BatchSource } from '../backtest/index.js';
import { parseDuration } from '../config/index.js';
import {
  newPrometheusReadStats, readFiringAlerts, readPrometheus, recordedAlertsTable,
  type PrometheusHttpConfig, type PrometheusReadStats,
} from '../ingest/prometheus/index.js';
import { ruleSelectors } from '../detect/rule-selectors.js';
import type { Rule } from '../rules/types.js';

export const PROMETHEUS_USAGE = '       sentinel backtest --rules DIR|FILE --prometheus URL --from TIME --to TIME [--step 60s] [--compare-alerts]\n'
  + '         [--bearer-token-file FILE] [--ca-file F] [--cert-file F] [--key-file F] [--insecure-skip-verify] [--query-timeout 60s]\n'
  + '  TIME: 2026-11-01, 2026-11-01T06:00:00Z, now, now-7d. The token may also come from SENTINEL_PROMETHEUS_TOKEN.\n'
  + '  Exit code 1 when some windows could not be read; they are listed on stderr (NOT READ).\n';

export const PROMETHEUS_OPTIONS = {
  prometheus: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  step: { type: 'string' },
  'compare-alerts': { type: 'boolean' },
  'bearer-token-file': { type: 'string' },
  'ca-file': { type: 'string' },
  'cert-file': { type: 'string' },
  'key-file': { type: 'string' },
  'insecure-skip-verify': { type: 'boolean' },
  'query-timeout': { type: 'string' },
} as const;

export type PrometheusFlags = Partial<Record<'prometheus' | 'from' | 'to' | 'step' | 'bearer-token-file' | 'ca-file' | 'cert-file' | 'key-file' | 'query-timeout', string>>
  & Partial<Record<'compare-alerts' | 'insecure-skip-verify', boolean>>;

export interface PrometheusRun {
  readonly source: BatchSource;
  readonly stats: PrometheusReadStats;
  readonly config: PrometheusHttpConfig & { fromMs: number; toMs: number; stepMs: number };
  readonly selectors: readonly string[];
}

/** The source, or a message for the user (exit code 2). */
export function prometheusRun(flags: PrometheusFlags, rules: readonly Rule[], nowMs = Date.now()): PrometheusRun | string {
  const url = flags.prometheus!;
  if (!/^https?:\/\//.test(url)) return `--prometheus ${url}: expected a URL such as http://localhost:9090`;
  if (!flags.from) return '--from TIME is required with --prometheus (e.g. --from now-7d)';
  const fromMs = parseTime(flags.from, nowMs);
  const toMs = parseTime(flags.to ?? 'now', nowMs);
  if (fromMs === undefined) return `--from ${flags.from}: not a time; use 2026-11-01, 2026-11-01T06:00:00Z or now-7d`;
  if (toMs === undefined) return `--to ${flags.to}: not a time; use 2026-11-29, 2026-11-29T06:00:00Z or now`;
  if (toMs < fromMs) return `--to ${flags.to} is before --from ${flags.from}`;
  const stepMs = parseDuration(flags.step ?? '60s');
  if (!stepMs) return `--step ${flags.step}: not a duration; use e.g. 60s or 1m`;
  const timeoutMs = parseDuration(flags['query-timeout'] ?? '60s');
  if (!timeoutMs) return `--query-timeout ${flags['query-timeout']}: not a duration; use e.g. 60s`;
  let bearerToken = process.env.SENTINEL_PROMETHEUS_TOKEN;
  if (flags['bearer-token-file']) {
    try {
      bearerToken = readFileSync(flags['bearer-token-file'], 'utf8').trim();
    } catch (error) {
      return `--bearer-token-file ${flags['bearer-token-file']}: ${(error as Error).message}`;
    }
  }
  const tls = {
    ...(flags['ca-file'] ? { ca_file: flags['ca-file'] } : {}),
    ...(flags['cert-file'] ? { cert_file: flags['cert-file'] } : {}),
    ...(flags['key-file'] ? { key_file: flags['key-file'] } : {}),
    ...(flags['insecure-skip-verify'] ? { insecure_skip_verify: true } : {}),
  };
  // Start on a step boundary, as Prometheus' own rule evaluation does, so two runs line up.
  const alignedFrom = Math.ceil(fromMs / stepMs) * stepMs;
  const config = { url, fromMs: alignedFrom, toMs, stepMs, timeoutMs, tls, ...(bearerToken ? { bearerToken } : {}) };
  const selectors = ruleSelectors(rules);
  const stats = newPrometheusReadStats();
  const name = `${url} ${iso(alignedFrom)}..${iso(toMs)} step ${flags.step ?? '60s'}`;
  return {
    config, stats, selectors,
    source: {
      name,
      open: () => readPrometheus({ ...config, selectors, stats: stats.windowsTotal === 0 ? stats : newPrometheusReadStats() }),
    },
  };
}

/** `now`, `now-7d`, a date (midnight UTC) or an ISO date-time. */
export function parseTime(text: string, nowMs: number): number | undefined {
  const rel = /^now(?:-(.+))?$/.exec(text.trim());
  if (rel) {
    if (rel[1] === undefined) return nowMs;
    const d = parseDuration(rel[1]);
    return d === undefined ? undefined : nowMs - d;
  }
  const ms = Date.parse(/^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A bar on stderr over the windows read, when stderr is a terminal. */
export function progressBar(stats: PrometheusReadStats): { update(): void; stop(): void } {
  if (process.stderr.isTTY !== true) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'reading Prometheus [{bar}] {value}/{total} windows, {samples} samples', hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update() {
      if (!started && stats.windowsTotal > 0) {
        bar.start(stats.windowsTotal, 0, { samples: 0 });
        started = true;
      }
      if (started) bar.update(stats.windowsDone, { samples: stats.samples.toLocaleString('en') });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** What the user must know after the run: gaps, Prometheus' warnings. Returns whether anything was unread. */
export function reportUnread(stats: PrometheusReadStats, write: (s: string) => void): boolean {
  for (const w of stats.warnings.slice(0, 20)) write(`warning from Prometheus: ${w}\n`);
  if (stats.unread.length === 0) return false;
  const windows = new Set(stats.unread.map((u) => u.fromMs)).size;
  write(`NOT READ: ${stats.unread.length} queries failed in ${windows} of ${stats.windowsTotal} windows; their samples are missing from this backtest:\n`);
  for (const u of stats.unread.slice(0, 20)) write(`  ${iso(u.fromMs)}..${iso(u.toMs)}  ${u.reason}\n`);
  if (stats.unread.length > 20) write(`  \u2026 and ${stats.unread.length - 20} more\n`);
  return true;
}

export async function compareAlerts(run: PrometheusRun, write: (s: string) => void): Promise<void> {
  const recorded = await readFiringAlerts(run.config);
  write('\nWhat Prometheus itself fired (ALERTS{alertstate="firing"}):\n');
  write(recordedAlertsTable(recorded));
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
