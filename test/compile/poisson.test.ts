// The PromQL Poisson tails compile emits (Wilson–Hilferty), evaluated by the real promtool, against the
// detector's exact Poisson sums: the same decision wherever the exact tail is not within a factor of two
// of the p-value (at the edge the approximation may go either way).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { poissonDeficit, poissonSurplus } from '../../src/compile/prometheus/poisson.ts';
import { poissonCdf, poissonSurvival } from '../../src/model/stats.ts';
import { promtool, runTool, warnIfMissing } from './support/tools.ts';

warnIfMissing('promtool', promtool);

interface Case { expr: string; holds: boolean; what: string }

function cases(): Case[] {
  const out: Case[] = [];
  for (const p of [1e-4, 1e-6]) {
    for (const lambda of [0.01, 0.3, 1, 3, 10, 40, 150]) {
      for (const k of [1, 2, 3, 5, 8, 12, 20, 35, 60, 100, 200, 300]) {
        const surplus = poissonSurvival(k, lambda);
        if (surplus > p / 2 && surplus < p * 2) continue;
        out.push({ expr: poissonSurplus(`vector(${k})`, `vector(${lambda})`, p, 'on ()'), holds: surplus <= p, what: `P(X >= ${k} | ${lambda}) = ${surplus.toExponential(2)} vs ${p}` });
        const deficit = poissonCdf(k, lambda * 10);
        if (deficit > p / 2 && deficit < p * 2) continue;
        out.push({ expr: poissonDeficit(`vector(${k})`, `vector(${lambda * 10})`, p, 'on ()'), holds: deficit < p, what: `P(X <= ${k} | ${lambda * 10}) = ${deficit.toExponential(2)} vs ${p}` });
      }
    }
  }
  return out;
}

describe('Poisson tails in PromQL', () => {
  it.skipIf(!promtool)('decide as the detector\'s exact Poisson sums do, on promtool, away from the edge', async () => {
    const all = cases();
    expect(all.filter((c) => c.holds).length).toBeGreaterThan(20);
    expect(all.filter((c) => !c.holds).length).toBeGreaterThan(20);
    const dir = await mkdtemp(join(tmpdir(), 'sentinel-poisson-'));
    try {
      await writeFile(join(dir, 'empty.yml'), 'groups: []\n');
      const test = {
        rule_files: ['empty.yml'],
        tests: [{
          interval: '1m',
          input_series: [],
          promql_expr_test: all.map((c) => ({ expr: c.expr, eval_time: '0m', exp_samples: c.holds ? [{ labels: '{}', value: Number(c.expr.match(/^\(vector\(([\d.]+)\)/)![1]) }] : [] })),
        }],
      };
      await writeFile(join(dir, 'poisson.test.yml'), stringify(test, { lineWidth: 0 }));
      const run = await runTool(promtool!, ['test', 'rules', 'poisson.test.yml'], dir);
      expect(run.code, `${run.output.slice(0, 3000)}`).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
