// A real Prometheus holding history: `promtool tsdb create-blocks-from openmetrics` turns a recording
// into blocks, and Debian's `prometheus` serves them on loopback from that temp TSDB (no scraping).
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findBinary, freePort, startServing, type ServingProcess } from '../../e2e/support/processes.ts';

export const prometheusBinary = findBinary('prometheus', '/usr/bin/prometheus');
export const promtoolBinary = findBinary('promtool', '/usr/bin/promtool');

/** Fills a fresh TSDB from `recording` (which must end with `# EOF`) and serves it. */
export async function prometheusWithHistory(recording: string, spanHours: number): Promise<ServingProcess & { importMs: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'sentinel-prom-history-'));
  const tsdb = join(dir, 'data');
  const started = Date.now();
  // One block for the whole span: with 2 h blocks promtool re-reads the input once per block.
  await promisify(execFile)(promtoolBinary!, ['tsdb', 'create-blocks-from', 'openmetrics', `--max-block-duration=${Math.ceil(spanHours) + 2}h`, recording, tsdb], { maxBuffer: 64 << 20 });
  const importMs = Date.now() - started;
  await writeFile(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\n');
  const port = await freePort();
  const served = await startServing('Prometheus', 'prometheus', prometheusBinary!, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${tsdb}`,
    // The history is months old: keep it, whatever today's date.
    '--storage.tsdb.retention.time=100y',
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], port, dir);
  return { ...served, importMs };
}
