// A real Alertmanager on loopback with clustering off (no gossip port to collide with other tests).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startProcess, waitFor } from './processes.ts';

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
  const proc = startProcess('alertmanager', binary, [
    `--config.file=${configFile}`,
    `--storage.path=${dir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await proc.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('Alertmanager to be ready', async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined), 15_000);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${proc.logTail()}`);
  }
  return {
    address: `127.0.0.1:${port}`,
    url,
    async alerts() {
      return (await (await fetch(`${url}/api/v2/alerts`)).json()) as AlertmanagerAlert[];
    },
    logTail: () => proc.logTail(),
    stop,
  };
}
