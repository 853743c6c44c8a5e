// A real Alertmanager on loopback with clustering off (no gossip port to collide with other tests).
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startServing } from './processes.ts';

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  status: { state: string };
  startsAt: string;
  endsAt: string;
}

export interface RunningAlertmanager {
  /** host:port, as Prometheus' alerting config wants it. */
  readonly address: string;
  readonly url: string;
  alerts(): Promise<AlertmanagerAlert[]>;
  logTail(): string;
  stop(): Promise<void>;
}

export async function startAlertmanager(binary: string, configFile: string): Promise<RunningAlertmanager> {
  const dir = await mkdtemp(join(tmpdir(), 'sentinel-am-'));
  const port = await freePort();
  const { url, logTail, stop } = await startServing('Alertmanager', 'alertmanager', binary, [
    `--config.file=${configFile}`,
    `--storage.path=${dir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ], port, dir);
  return {
    address: `127.0.0.1:${port}`,
    url,
    async alerts() {
      return (await (await fetch(`${url}/api/v2/alerts`)).json()) as AlertmanagerAlert[];
    },
    logTail,
    stop,
  };
}
