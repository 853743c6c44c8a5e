// A real Prometheus on loopback: generated prometheus.yml (1 s scrape and evaluation), temp TSDB,
// alerts sent to the given Alertmanager with a 1 s resend delay so the test sees transitions quickly.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, startServing } from './processes.ts';

export interface PrometheusOptions {
  binary: string;
  ruleFiles: string[];
  /** host:port targets scraped at /metrics. */
  scrapeTargets: string[];
  /** host:port of the Alertmanager to notify. */
  alertmanager?: string;
}

export interface QueryResult {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value?: [number, string] }> };
}

export interface RunningPrometheus {
  readonly url: string;
  query(expr: string): Promise<QueryResult>;
  /** Active alerts as Prometheus sees them (state pending/firing). */
  alerts(): Promise<Array<{ labels: Record<string, string>; state: string }>>;
  logTail(): string;
  stop(): Promise<void>;
}

export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'sentinel-prom-'));
  const port = await freePort();
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s' },
    rule_files: options.ruleFiles,
    scrape_configs: [{ job_name: 'service', static_configs: [{ targets: options.scrapeTargets }] }],
    ...(options.alertmanager
      ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [options.alertmanager] }] }] } }
      : {}),
  };
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, stringify(config));
  const { url, logTail, stop } = await startServing('Prometheus', 'prometheus', options.binary, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--rules.alert.resend-delay=1s',
    '--log.level=warn',
  ], port, dir);
  return {
    url,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: expr }),
      });
      return (await response.json()) as QueryResult;
    },
    async alerts() {
      const body = (await (await fetch(`${url}/api/v1/alerts`)).json()) as {
        data: { alerts: Array<{ labels: Record<string, string>; state: string }> };
      };
      return body.data.alerts;
    },
    logTail,
    stop,
  };
}
