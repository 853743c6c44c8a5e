// Test support: generate a recording of a postmortem scenario, replay it through the default pack,
// and say when (and whether) it paged. Shared by the scenario tests and the seed sweep.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BacktestCadence } from '../../src/backtest/cadence.ts';
import { openDetector } from '../../src/detect/index.ts';
import type { AlertEvent } from '../../src/detect/types.ts';
import { readRecording } from '../../src/ingest/index.ts';
import { loadRules } from '../../src/rules/index.ts';
import type { Rule } from '../../src/rules/types.ts';
import { generateRecording, type GenerateOptions, type GroundTruth } from '../support/recording-generator.ts';

export interface Replay {
  readonly truth: GroundTruth;
  readonly events: AlertEvent[];
  /** Critical firing events: the pages. */
  readonly pages: AlertEvent[];
}

export async function defaultPack(): Promise<readonly Rule[]> {
  const loaded = await loadRules(new URL('../../rules', import.meta.url).pathname);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
  return loaded.rules;
}

export async function replay(opts: Omit<GenerateOptions, 'out'>, rules?: readonly Rule[]): Promise<Replay> {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-replay-'));
  try {
    const file = join(dir, 'recording.om');
    const truth = generateRecording({ ...opts, out: file });
    const detector = new BacktestCadence(openDetector(rules ?? (await defaultPack())));
    const events: AlertEvent[] = [];
    for await (const batch of readRecording(file)) events.push(...detector.feed(batch));
    const pages = events.filter((e) => e.state === 'firing' && e.severity === 'critical');
    return { truth, events, pages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Minutes from the incident's start to the first page naming one of its entities (undefined: none). */
export function minutesToPage(r: Replay): number | undefined {
  const incident = r.truth.incident;
  if (!incident) return undefined;
  const hit = r.pages.find(
    (p) => p.atMs >= incident.startMs - 60 * 60_000 && incident.entities.some((e) => Object.entries(e).every(([k, v]) => p.labels[k] === v)),
  );
  return hit ? (hit.atMs - incident.startMs) / 60_000 : undefined;
}

/** Pages outside the incident (an hour before it to half an hour after it): for quiet runs, every page.
 *  Pages during the incident about other entities (the registrations queue stalling behind a timing-out
 *  query) are consequences of it, not false. */
export function falsePages(r: Replay): AlertEvent[] {
  const incident = r.truth.incident;
  return r.pages.filter((p) => !incident || p.atMs < incident.startMs - 60 * 60_000 || p.atMs > incident.endMs + 30 * 60_000);
}
