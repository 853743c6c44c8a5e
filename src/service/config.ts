// `sentinel run --config sentinel.yaml`: the service's settings plus the `escalation:` section, the very
// file `sentinel backtest --notify sentinel.yaml` reads. The escalation section is validated by the
// escalation's own schema (embedded here, so every error of the file is reported in one run); the rules
// live in their own files, loaded by the rules loader.
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { durationMs, loadYamlFile } from '../config/index.js';
import type { LoadResult } from '../config/index.js';
import { policyFromRaw } from '../policy/index.js';
import { escalationSchema } from '../policy/schema.js';
import type { EscalationPolicy } from '../policy/types.js';

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { message: 'not a valid label name' });

const targetSchema = z.strictObject({
  /** Reported in logs, /api/targets and the `target` label of the service's own metrics. */
  name: z.string().min(1).regex(/^[a-zA-Z0-9_.:-]+$/, { message: 'target names use letters, digits, _ . : - only' }),
  url: z.string().refine(isHttpUrl, { message: 'url must be an http:// or https:// address', params: { fix: 'write it as http://host:port/metrics' } }),
  interval: durationMs.optional(),
  timeout: durationMs.optional(),
  /** Added to every sample of this target, e.g. `{ service: checkin }`; who wins a clash: honor_labels. */
  labels: z.record(labelName, z.string()).optional(),
  /** The `instance` label added to every sample (Prometheus adds host:port); absent: none is added. */
  instance: z.string().min(1).optional(),
  /** true (default): an exporter's own label wins over `labels`/`instance`; false: the target's wins and
   *  the exporter's is kept as `exported_<name>`, as Prometheus' honor_labels: false. */
  honor_labels: z.boolean().optional(),
  /** Prometheus' scrape limits: a scrape over one of them fails whole (reason sample_limit, label_limit,
   *  new_series_limit). 0 or absent: no limit. */
  sample_limit: z.number().int().min(0).optional(),
  label_limit: z.number().int().min(0).optional(),
  new_series_limit: z.number().int().min(0).optional(),
  /** A target failing this long raises its own `target_down` alert (default 5m). */
  down_after: durationMs.optional(),
  /** Samples stamped older than this, or further ahead than max_future_skew, are rejected and counted. */
  max_sample_age: durationMs.optional(),
  max_future_skew: durationMs.optional(),
});

export const serviceConfigSchema = z.strictObject({
  listen: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).default(9465),
    })
    .default({ host: '127.0.0.1', port: 9465 }),
  /** Durable state (alerts, baselines, silences, notification log, outbox). Created if missing. */
  data_dir: z.string().min(1),
  /** A rule file or a directory of them. */
  rules: z.string().min(1),
  /** Routes, receivers, timers, inhibitions, contacts_file: see docs/escalation.md. */
  escalation: escalationSchema,
  evaluation_interval: durationMs.default(60_000),
  /** Defaults for targets that do not set their own interval/timeout. */
  scrape_interval: durationMs.default(30_000),
  scrape_timeout: durationMs.default(10_000),
  // Empty (or absent) when every service pushes over OTLP (POST /v1/metrics) instead of being scraped.
  targets: z.array(targetSchema).default([]),
}).superRefine((config, ctx) => {
  const seen = new Set<string>();
  config.targets.forEach((target, i) => {
    if (seen.has(target.name)) {
      ctx.addIssue({ code: 'custom', path: ['targets', i, 'name'], message: `two targets are named ${JSON.stringify(target.name)}`, params: { fix: 'give every target its own name' } });
    }
    seen.add(target.name);
  });
});

function isHttpUrl(text: string): boolean {
  return URL.canParse(text) && /^https?:$/.test(new URL(text).protocol);
}

type RawConfig = z.output<typeof serviceConfigSchema>;

export interface TargetConfig {
  readonly name: string;
  readonly url: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly labels: Readonly<Record<string, string>>;
  // The settings below are undefined unless written: scrape-admission.ts applies their defaults.
  readonly instance?: string;
  readonly honorLabels?: boolean;
  readonly sampleLimit?: number;
  readonly labelLimit?: number;
  readonly newSeriesLimit?: number;
  readonly downAfterMs?: number;
  readonly maxSampleAgeMs?: number;
  readonly maxFutureSkewMs?: number;
}

/** The validated config with paths made absolute (relative to the config file) and defaults applied. */
export interface ServiceConfig {
  readonly file: string;
  readonly listen: { readonly host: string; readonly port: number };
  readonly dataDir: string;
  readonly rulesPath: string;
  readonly policy: EscalationPolicy;
  readonly evaluationIntervalMs: number;
  readonly targets: readonly TargetConfig[];
}

export async function loadServiceConfig(file: string): Promise<LoadResult<ServiceConfig>> {
  const absolute = resolve(file);
  const loaded = await loadYamlFile(absolute, serviceConfigSchema);
  if (!loaded.ok) return loaded;
  // The contacts file is read here too, so a broken one is rejected with the config (and on reload).
  const policy = await policyFromRaw(loaded.value.escalation, dirname(absolute));
  if (!policy.ok) return policy;
  return { ok: true, value: resolveConfig(absolute, loaded.value, policy.value) };
}

function resolveConfig(file: string, raw: RawConfig, policy: EscalationPolicy): ServiceConfig {
  const base = dirname(file);
  return {
    file,
    listen: raw.listen,
    dataDir: resolve(base, raw.data_dir),
    rulesPath: resolve(base, raw.rules),
    policy,
    evaluationIntervalMs: raw.evaluation_interval,
    targets: raw.targets.map((t) => {
      const intervalMs = t.interval ?? raw.scrape_interval;
      // A timeout longer than the interval would let scrapes of one target pile up.
      const timeoutMs = Math.min(t.timeout ?? raw.scrape_timeout, intervalMs);
      return {
        name: t.name,
        url: t.url,
        intervalMs,
        timeoutMs,
        labels: t.labels ?? {},
        instance: t.instance,
        honorLabels: t.honor_labels,
        sampleLimit: t.sample_limit || undefined,
        labelLimit: t.label_limit || undefined,
        newSeriesLimit: t.new_series_limit || undefined,
        downAfterMs: t.down_after,
        maxSampleAgeMs: t.max_sample_age,
        maxFutureSkewMs: t.max_future_skew,
      };
    }),
  };
}
