// Same meaning on both sides: every generated promtool test's synthetic traffic (normal with a restart
// and a scrape gap, the incident, recovery) is also replayed through the embedded detector, which must
// page on the same incident for the same entity and stay quiet before it. Together with the promtool
// run of the compiled rules on the very same series, this pins the compiled PromQL to the detector.
import { beforeAll, describe, expect, it } from 'vitest';
import { openDetector, loadRules, type AlertEvent, type Rule, type Sample } from 'integration-sentinel';
import { timelineFor } from '../../src/compile/prometheus/unittest/index.ts';
import { scenarioFor } from '../../src/compile/prometheus/unittest/scenarios.ts';
import { labelsForMatchers, totalMinutes } from '../../src/compile/prometheus/unittest/series.ts';
import { translate } from '../../src/compile/prometheus/index.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0); // a Monday morning
let pack: readonly Rule[];

beforeAll(async () => {
  const loaded = await loadRules('rules');
  if (!loaded.ok) throw new Error('the default rule pack does not load');
  pack = loaded.rules;
});

function seriesKey(name: string, labels: Record<string, string>): string {
  const inner = Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',');
  return `${name}{${inner}}`;
}

function replay(rule: Rule): { events: AlertEvent[]; incidentStartMs: number; incidentEndMs: number; firing: Array<Record<string, string>>; keys: string[] } {
  const base = labelsForMatchers(rule.matchers);
  if (typeof base === 'string') throw new Error(base);
  const t = timelineFor(rule);
  const scenario = scenarioFor(rule, t, base);
  const detector = openDetector([rule]);
  const events: AlertEvent[] = [];
  for (let m = 0; m <= totalMinutes(t); m++) {
    const atMs = T0 + m * 60_000;
    const samples: Sample[] = [];
    for (const s of scenario.series) {
      const value = s.values[m];
      if (value === undefined) continue;
      const labels = Object.fromEntries(Object.entries(s.labels).filter(([, v]) => v !== ''));
      samples.push({ name: s.metric, labels, value, timestampMs: atMs, series: seriesKey(s.metric, labels) });
    }
    events.push(...detector.step({ atMs, samples }));
  }
  const translation = translate(rule);
  const keys = [...rule.by, ...(translation.compiled ? translation.extraAlertLabels : [])];
  return { events, incidentStartMs: T0 + t.normal * 60_000, incidentEndMs: T0 + (t.normal + t.incident) * 60_000, firing: scenario.firing.map((f) => ({ ...f })), keys };
}

describe('the compiled rules\' synthetic incidents, replayed through the embedded detector', () => {
  it('page in the detector too: firing for the same entities during the incident, never before, resolved after', () => {
    const problems: string[] = [];
    for (const rule of pack) {
      const { events, incidentStartMs, incidentEndMs, firing, keys } = replay(rule);
      const fired = events.filter((e) => e.state === 'firing');
      const early = fired.filter((e) => e.atMs < incidentStartMs);
      if (early.length > 0) problems.push(`${rule.name}: fired on normal traffic at ${early[0]!.at} ${JSON.stringify(early[0]!.labels)}`);
      for (const entity of firing) {
        const same = (e: AlertEvent) => keys.every((k) => entity[k] === undefined || e.labels[k] === entity[k]);
        if (!fired.some((e) => same(e) && e.atMs >= incidentStartMs && e.atMs < incidentEndMs)) {
          problems.push(`${rule.name}: the detector did not fire for ${JSON.stringify(Object.fromEntries(keys.map((k) => [k, entity[k]])))} during the incident`);
        }
        const last = events.filter(same).at(-1);
        if (last && last.state !== 'resolved') problems.push(`${rule.name}: still ${last.state} after recovery`);
      }
    }
    expect(problems).toEqual([]);
  });
});
