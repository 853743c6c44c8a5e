// Test support: hand-built scrapes, so detector tests state exactly what each series did each minute.
import type { Sample, SampleBatch } from '../../src/detect/types.ts';
import { parseYamlText } from '../../src/config/index.ts';
import { ruleFileSchema } from '../../src/rules/schema.ts';
import { toRule } from '../../src/rules/load.ts';
import type { Rule } from '../../src/rules/types.ts';

export const MIN = 60_000;
export const T0 = Date.UTC(2026, 2, 2, 0, 0); // a Monday, midnight UTC

export function sample(name: string, labels: Record<string, string>, value: number, timestampMs: number): Sample {
  const inner = Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',');
  return { name, labels, value, timestampMs, series: `${name}{${inner}}` };
}

export function batch(atMs: number, samples: Sample[]): SampleBatch {
  return { atMs, samples };
}

/** Rules from YAML text (a `rules:` list), defaults filled in as `sentinel` would. */
export function rules(yaml: string): Rule[] {
  const result = parseYamlText('test.yaml', yaml, ruleFileSchema);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message} ${d.fix ?? ''}`).join('\n'));
  return result.value.rules.map((r, i) => toRule(r, { file: 'test.yaml', line: i + 1, column: 1 }));
}

/** Deterministic Poisson-ish counts: the expected value rounded with a carried remainder. */
export function steadyCounts(perMin: number): () => number {
  let carry = 0;
  return () => {
    carry += perMin;
    const n = Math.floor(carry);
    carry -= n;
    return n;
  };
}
