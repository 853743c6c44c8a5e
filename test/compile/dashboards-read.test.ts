// What a person reads on the generated dashboards: colours that say where bad begins, tables without
// Prometheus' plumbing columns, shares drawn on a 0..100 % axis, UTC times, the runbook one click from
// an alert, and the shared dependencies on the overview instead of on every partner's page.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRules, renderDashboards, type Rule } from 'integration-sentinel';

interface Link { title: string; url: string }
interface PanelJson {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
  links?: Link[];
  transformations?: Array<{ id: string; options: { excludeByName?: Record<string, boolean>; renameByName?: Record<string, string> } }>;
  fieldConfig?: {
    defaults: { unit?: string; min?: number; max?: number; thresholds?: { mode: string; steps: Array<{ value: number | null; color: string }> } };
    overrides: Array<{ matcher: { id: string; options: string }; properties: Array<{ id: string; value: unknown }> }>;
  };
  options?: { colorMode?: string };
}
interface DashboardJson { timezone: string; panels: PanelJson[]; annotations: { list: Array<{ expr?: string; textFormat?: string }> } }

let rules: readonly Rule[];
let dashboards: Map<string, DashboardJson>;

beforeAll(async () => {
  const loaded = await loadRules('rules');
  if (!loaded.ok) throw new Error('the default rule pack does not load');
  rules = loaded.rules;
  dashboards = new Map([...renderDashboards({ rules })].map(([file, text]) => [file, JSON.parse(text) as DashboardJson]));
});

const panels = () => [...dashboards].flatMap(([file, d]) => d.panels.map((p) => ({ file, ...p })));

/** The colour Grafana gives a value: the last step whose value is at or below it (the first step is the base). */
function colourOf(steps: Array<{ value: number | null; color: string }>, value: number): string {
  let colour = steps[0]!.color;
  for (const s of steps.slice(1)) if (s.value !== null && value >= s.value) colour = s.color;
  return colour;
}

describe('the generated dashboards, as a person reads them', () => {
  it('gives every stat and gauge thresholds, and shows a success ratio of 0 % in red', () => {
    const stats = panels().filter((p) => p.type === 'stat' || p.type === 'gauge');
    expect(stats.length).toBeGreaterThanOrEqual(2);
    for (const p of stats) {
      const steps = p.fieldConfig?.defaults.thresholds?.steps ?? [];
      expect(steps.length, `${p.file} ${p.title}`).toBeGreaterThanOrEqual(2);
      expect(p.options?.colorMode, `${p.file} ${p.title}`).not.toBe('none');
      if (/success ratio/i.test(p.title)) {
        expect(colourOf(steps, 0), `${p.file} ${p.title} at 0 %`).toBe('red');
        expect(colourOf(steps, 0.95)).toBe('orange');
        expect(colourOf(steps, 1), `${p.file} ${p.title} at 100 %`).toBe('green');
      }
    }
  });

  it('hides the raw __name__, alertstate and Value=1 columns of the ALERTS tables and the Time column of instant tables', () => {
    const tables = panels().filter((p) => p.type === 'table');
    expect(tables.length).toBeGreaterThanOrEqual(3);
    for (const p of tables) {
      const organize = p.transformations?.find((t) => t.id === 'organize');
      expect(organize, `${p.file} ${p.title}`).toBeDefined();
      expect(organize!.options.excludeByName?.Time, `${p.file} ${p.title}`).toBe(true);
      if (p.targets!.some((t) => t.expr.startsWith('ALERTS'))) {
        expect(organize!.options.excludeByName, `${p.file} ${p.title}`).toMatchObject({ __name__: true, Value: true, alertstate: true });
      } else {
        expect(organize!.options.renameByName?.Value, `${p.file} ${p.title}: Value says what it counts`).toMatch(/calls/);
      }
    }
  });

  it('draws every percent panel on a fixed 0..100 % scale', () => {
    const percent = panels().filter((p) => p.fieldConfig?.defaults.unit === 'percentunit');
    expect(percent.length).toBeGreaterThanOrEqual(4);
    for (const p of percent) expect([p.fieldConfig!.defaults.min, p.fieldConfig!.defaults.max], `${p.file} ${p.title}`).toEqual([0, 1]);
  });

  it('shows times in UTC, like every message sentinel sends', () => {
    for (const [file, d] of dashboards) expect(d.timezone, file).toBe('utc');
  });

  it('links every alert to its rule\'s runbook: in the alerts tables, the annotation and the rule panels', () => {
    const withRunbook = rules.filter((r) => r.runbook);
    expect(withRunbook.length).toBeGreaterThan(0);
    for (const [file, d] of dashboards) {
      const alertsTable = d.panels.find((p) => p.type === 'table' && p.title.startsWith('Alerts firing'))!;
      const expr = alertsTable.targets![0]!.expr;
      for (const r of withRunbook) expect(expr, `${file}: ${r.name}`).toContain(`"alertname", "${r.name}", "", ""), "runbook_url", "${r.runbook}"`);
      const link = alertsTable.fieldConfig!.overrides.find((o) => o.matcher.options === 'runbook_url');
      expect(link?.properties[0], file).toMatchObject({ id: 'links', value: [{ url: '${__value.raw}' }] });
      const annotation = d.annotations.list.find((a) => a.expr?.startsWith('ALERTS'))!;
      expect(annotation.expr, file).toBe(expr);
      expect(annotation.textFormat, file).toContain('{{runbook_url}}');
    }
    const partner = dashboards.get('sentinel-partner.json')!;
    for (const r of withRunbook) {
      const panel = partner.panels.find((p) => p.title === `Rule ${r.name}`);
      expect(panel?.links, r.name).toEqual([expect.objectContaining({ url: r.runbook, title: `Runbook: ${r.name}` })]);
    }
  });

  it('puts the database, routing and queue rows on the overview, not on each partner\'s page', () => {
    const overview = dashboards.get('sentinel-overview.json')!;
    const partner = dashboards.get('sentinel-partner.json')!;
    const rows = (d: DashboardJson) => d.panels.filter((p) => p.type === 'row').map((p) => p.title);
    for (const row of ['Database', 'Routing', 'Queues']) {
      expect(rows(overview)).toContain(row);
      expect(rows(partner)).not.toContain(row);
    }
    const shared = /db_client_operation|integration_routing_flows|integration_queue_/;
    const onPartner = partner.panels.filter((p) => !p.title.startsWith('Rule ') && (p.targets ?? []).some((t) => shared.test(t.expr)));
    expect(onPartner.map((p) => p.title)).toEqual([]);
  });
});
