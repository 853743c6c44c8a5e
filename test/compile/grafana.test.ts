// The Grafana target: dashboards as code, checked against Grafana's schema types, deterministic, and
// the checked-in dashboards/ exactly what `sentinel compile --target grafana` writes.
import { readdir, readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRules, renderDashboards, type Rule } from 'integration-sentinel';
import { typecheckDashboards } from './support/grafana-types.ts';

let rules: readonly Rule[];
let files: Map<string, string>;

beforeAll(async () => {
  const loaded = await loadRules('rules');
  if (!loaded.ok) throw new Error('the default rule pack does not load');
  rules = loaded.rules;
  files = renderDashboards({ rules });
});

interface PanelJson {
  id: number;
  type: string;
  title: string;
  datasource?: { uid: string; type: string };
  targets?: Array<{ expr: string; refId: string; datasource?: { uid: string } }>;
}
const parse = (text: string) => JSON.parse(text) as { uid: string; panels: PanelJson[]; templating: { list: Array<{ name: string; type: string; query?: unknown }> }; annotations: { list: Array<{ expr?: string; name: string }> } };

describe('sentinel compile --target grafana', () => {
  it('checks in exactly what compile writes: dashboards/ regenerates with no diff', async () => {
    const onDisk = (await readdir('dashboards')).filter((f) => f.endsWith('.json')).sort();
    expect(onDisk).toEqual([...files.keys()].sort());
    for (const [file, text] of files) {
      expect(await readFile(`dashboards/${file}`, 'utf8'), `dashboards/${file} is stale: run npx sentinel compile --target grafana --rules rules --out dashboards`).toBe(text);
    }
  });

  it('renders byte-identical JSON twice, with sorted keys and no timestamps', () => {
    expect(renderDashboards({ rules })).toEqual(files);
    for (const text of files.values()) {
      expect(text).not.toMatch(/20\d\d-\d\d-\d\dT/);
      const keys = Object.keys(JSON.parse(text) as object);
      expect(keys).toEqual([...keys].sort());
    }
  });

  it('type-checks every dashboard, panel and query against Grafana\'s schema types', () => {
    const dashboards = new Map([...files].map(([file, text]) => [file, JSON.parse(text) as unknown]));
    expect(typecheckDashboards(dashboards)).toEqual([]);
  }, 20_000);

  it('rejects a dashboard the schema does not allow (the check can fail)', () => {
    const broken = parse(files.get('sentinel-overview.json')!) as unknown as { panels: Array<Record<string, unknown>> };
    broken.panels[1]!.gridPos = { h: 'eight', w: 12, x: 0, y: 0 };
    (broken.panels[2]!.options as Record<string, unknown>).colourMode = 'value';
    const problems = typecheckDashboards(new Map([['broken.json', broken]]));
    expect(problems.join('\n')).toMatch(/'string' is not assignable to type 'number'/);
    expect(problems.join('\n')).toMatch(/colourMode/);
  }, 20_000);

  it('gives every dashboard a datasource variable that every panel and query uses, and firing alerts as annotations', () => {
    for (const [file, text] of files) {
      const d = parse(text);
      expect(d.templating.list.find((v) => v.name === 'datasource'), file).toMatchObject({ type: 'datasource', query: 'prometheus' });
      expect(d.annotations.list.some((a) => a.expr?.startsWith('ALERTS{alertstate="firing"')), file).toBe(true);
      for (const panel of d.panels.filter((p) => p.type !== 'row')) {
        expect(panel.datasource?.uid, `${file} ${panel.title}`).toBe('${datasource}');
        for (const t of panel.targets ?? []) expect(t.datasource?.uid, `${file} ${panel.title} ${t.refId}`).toBe('${datasource}');
      }
    }
  });

  it('templates the partner dashboard on a partner variable and filters partner panels by it', () => {
    const d = parse(files.get('sentinel-partner.json')!);
    expect(d.templating.list.find((v) => v.name === 'partner')).toMatchObject({ type: 'query', query: 'label_values(integration_requests_total, partner)' });
    const partnerPanels = ['Request rate by operation and outcome', 'Error rate by code', 'Latency p50 / p95 / p99'];
    for (const title of partnerPanels) {
      const panel = d.panels.find((p) => p.title === title)!;
      for (const t of panel.targets ?? []) expect(t.expr, title).toContain('partner="$partner"');
    }
  });

  it('draws latency p50, p95 and p99 from the request duration histogram', () => {
    const panel = parse(files.get('sentinel-partner.json')!).panels.find((p) => p.title === 'Latency p50 / p95 / p99')!;
    expect(panel.targets!.map((t) => t.expr.match(/histogram_quantile\(([\d.]+), .*integration_request_duration_seconds_bucket/)?.[1])).toEqual(['0.5', '0.95', '0.99']);
  });

  it('adds one panel per rule of the pack, drawing the series its compiled alert judges', () => {
    const d = parse(files.get('sentinel-partner.json')!);
    for (const rule of rules) {
      const panel = d.panels.find((p) => p.title === `Rule ${rule.name}`);
      expect(panel, rule.name).toBeDefined();
      expect(panel!.targets![0]!.expr).toMatch(new RegExp(`^sentinel:${rule.name}:`));
      if (rule.by.includes('partner')) expect(panel!.targets![0]!.expr).toContain('{partner="$partner"}');
    }
  });

  it('restricts the partner variable to --partners when given', () => {
    const d = parse(renderDashboards({ rules, partners: ['elation', 'quest.labs'] }).get('sentinel-partner.json')!);
    expect(d.templating.list.find((v) => v.name === 'partner')).toMatchObject({ regex: '^(elation|quest\\.labs)$' });
  });
});
