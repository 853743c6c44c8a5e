// A snapshot written to disk by the detector as it was before openDetector (commit c42faf9, see
// test/fixtures/detector-state/make-v1-state.ts) must resume with its alerts and what it learned.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDetector } from '../../src/detect/index.ts';
import type { AlertEvent, DetectorState } from '../../src/detect/types.ts';
import { acmeScrapes, INCIDENT_FROM, MIN, T0 } from '../fixtures/detector-state/scrapes.ts';
import { rules } from './batches.ts';

const fixture = new URL('../fixtures/detector-state/', import.meta.url);
const pack = rules(readFileSync(new URL('rules.yaml', fixture), 'utf8'));
const saved = JSON.parse(readFileSync(new URL('v1-state.json', fixture), 'utf8')) as DetectorState;
const at = (e: AlertEvent): number => (e.atMs - T0) / MIN;

describe('a detector snapshot saved by the previous version', () => {
  it('resumes with its firing alert: no second page while acme still fails, one resolve once it recovers', () => {
    const detector = openDetector(pack, saved);
    expect(detector.activeAlerts()).toEqual([
      expect.objectContaining({ rule: 'partner_error_code_shift', state: 'firing', labels: { partner: 'acme', error_code: '403' }, activeSinceMs: T0 + (INCIDENT_FROM + 5) * MIN }),
    ]);
    const events = acmeScrapes(300, 360, { recoverAt: 320, slowFrom: Infinity }).flatMap((s) => detector.step(s));
    expect(events.map((e) => `${e.state}@${at(e)}`)).toHaveLength(1);
    expect(events[0]!.state).toBe('resolved');
    expect(at(events[0]!) - 320).toBeGreaterThanOrEqual(0);
    expect(at(events[0]!) - 320).toBeLessThanOrEqual(15);
    expect(events[0]!.activeSinceMs).toBe(T0 + (INCIDENT_FROM + 5) * MIN);
  });

  it('keeps the latency band it learned: a slowdown right after the restart is judged, not warmed up for', () => {
    const scrapes = acmeScrapes(300, 340, { recoverAt: 300, slowFrom: 305 });
    const resumed = scrapes.flatMap((s) => openDetectorOnce(s));
    const fresh = openDetector(pack);
    const relearning = scrapes.flatMap((s) => fresh.step(s));
    expect(resumed.filter((e) => e.rule === 'partner_latency' && e.state === 'firing')).toHaveLength(1);
    expect(relearning.filter((e) => e.rule === 'partner_latency')).toEqual([]);
  });
});

let resumedDetector: ReturnType<typeof openDetector> | undefined;
function openDetectorOnce(scrape: Parameters<ReturnType<typeof openDetector>['step']>[0]): readonly AlertEvent[] {
  resumedDetector ??= openDetector(pack, saved);
  return resumedDetector.step(scrape);
}
