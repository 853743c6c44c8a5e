// Panel helpers: every panel queries the dashboard's `datasource` variable, and every target gets a
// refId, so the JSON Grafana imports never depends on the instance's default datasource.
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';
import { BigValueColorMode, LegendDisplayMode, LegendPlacement, VizLegendOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder, PromQueryFormat, QueryEditorMode } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TableBuilder } from '@grafana/grafana-foundation-sdk/table';
import {
  DashboardLinkBuilder,
  DashboardLinkType,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type DashboardLink,
  type DataTransformerConfig,
  type Panel,
  type Threshold,
} from '@grafana/grafana-foundation-sdk/dashboard';

export const DATASOURCE: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

export interface Query {
  readonly expr: string;
  /** Legend, with `{{label}}` placeholders. */
  readonly legend?: string;
  /** Instant query (tables, stats) instead of a range. */
  readonly instant?: boolean;
}

export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly queries: readonly Query[];
  /** Grid width (of 24). */
  readonly width?: number;
  /** Series carry a `partner` label: clicking one opens that partner's dashboard. */
  readonly linkToPartner?: boolean;
  /** Links shown in the panel header, e.g. the rule's runbook. */
  readonly links?: readonly { readonly title: string; readonly url: string }[];
}

/** A stat has no meaning without its colours: every one states where bad begins. */
export interface StatSpec extends PanelSpec {
  /** Ascending steps; the first is the colour below the second's value (its own value is ignored). */
  readonly thresholds: readonly [Threshold, ...Threshold[]];
}

export interface TableSpec extends PanelSpec {
  /** Columns a person has no use for (`Time` of an instant query, `__name__`, a constant `Value`). */
  readonly hide: readonly string[];
  /** Column renames, e.g. `Value` -> `calls (1h)`. */
  readonly rename?: Readonly<Record<string, string>>;
  /** A column whose cell is a URL, shown as a link (e.g. `runbook_url`). */
  readonly linkColumn?: string;
}

/** Success ratio colours: red below 90 %, orange below 99 %, green above (a ratio of 0 % is red). */
export const SUCCESS_RATIO_STEPS: StatSpec['thresholds'] = [
  { value: null, color: 'red' },
  { value: 0.9, color: 'orange' },
  { value: 0.99, color: 'green' },
];

/** Click-through from a partner's series to the partner dashboard, keeping time range and data source. */
function partnerLinks(): cog.Builder<DashboardLink>[] {
  return [
    new DashboardLinkBuilder('Open ${__field.labels.partner} in the partner dashboard')
      .type(DashboardLinkType.Link)
      .url('/d/sentinel-partner?var-partner=${__field.labels.partner}&${__url_time_range}&${datasource:queryparam}')
      .tooltip('Integration Sentinel / Partner'),
  ];
}

function targets(queries: readonly Query[], format = PromQueryFormat.TimeSeries): cog.Builder<cog.Dataquery>[] {
  return queries.map((q, i) => {
    const target = new DataqueryBuilder()
      .datasource(DATASOURCE)
      .refId(String.fromCharCode(65 + i))
      .editorMode(QueryEditorMode.Code)
      .format(format)
      .expr(q.expr)
      .legendFormat(q.legend ?? '__auto');
    return q.instant ? target.instant() : target.range();
  });
}

const LEGEND = new VizLegendOptionsBuilder().displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom).showLegend(true);

/** The builder calls every panel kind shares (the SDK's panel builders have no common base to hang them on). */
interface PanelHeader<B> {
  title(title: string): B;
  description(description: string): B;
  datasource(datasource: DataSourceRef): B;
  unit(unit: string): B;
  span(span: number): B;
  height(height: number): B;
  min(min: number): B;
  max(max: number): B;
  links(links: cog.Builder<DashboardLink>[]): B;
}

function withHeader<B extends PanelHeader<B>>(panel: B, spec: PanelSpec, defaultWidth: number): B {
  panel
    .title(spec.title)
    .description(spec.description)
    .datasource(DATASOURCE)
    .unit(spec.unit)
    .span(spec.width ?? defaultWidth)
    .height(8);
  // A share is 0..100 %: a fixed axis keeps 2 % from looking like a wall.
  if (spec.unit === 'percentunit') panel.min(0).max(1);
  if (spec.links && spec.links.length > 0) {
    panel.links(spec.links.map((l) => new DashboardLinkBuilder(l.title).type(DashboardLinkType.Link).url(l.url).targetBlank(true)));
  }
  return panel;
}

export function timeseries(spec: PanelSpec, options: { dashedRefIds?: string[] } = {}): cog.Builder<Panel> {
  const panel = withHeader(new TimeseriesBuilder(), spec, 12)
    .legend(LEGEND)
    .targets(targets(spec.queries));
  if (spec.linkToPartner) panel.dataLinks(partnerLinks());
  // The learned normal is drawn dashed so it reads as "expected", not as another series.
  for (const refId of options.dashedRefIds ?? []) {
    panel.overrideByQuery(refId, [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }]);
  }
  return panel;
}

export function stat(spec: StatSpec): cog.Builder<Panel> {
  const panel = withHeader(new StatBuilder(), spec, 6)
    .thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(spec.thresholds.map((t) => ({ ...t }))))
    .colorMode(BigValueColorMode.Background)
    .targets(targets(spec.queries));
  if (spec.linkToPartner) panel.dataLinks(partnerLinks());
  return panel;
}

export function table(spec: TableSpec): cog.Builder<Panel> {
  const panel = withHeader(new TableBuilder(), spec, 12)
    .targets(targets(spec.queries, PromQueryFormat.Table))
    .withTransformation(organize(spec));
  if (spec.linkColumn) {
    panel.overrideByName(spec.linkColumn, [
      { id: 'links', value: [{ title: 'Open ${__value.raw}', url: '${__value.raw}', targetBlank: true }] },
    ]);
  }
  return panel;
}

/** Grafana's "Organize fields": hide the columns nobody reads and give the rest their meaning. */
function organize(spec: TableSpec): DataTransformerConfig {
  return {
    id: 'organize',
    options: {
      excludeByName: Object.fromEntries(spec.hide.map((name) => [name, true])),
      indexByName: {},
      renameByName: { ...spec.rename },
    },
  };
}
