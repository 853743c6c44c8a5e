// The report's words around the charts: the legend that says what the line, the band and the two
// shadings mean, and what an empty report means (quiet rules, or rules that found nothing to watch).
import { escapeHtml } from './html.js';
import { COLOURS } from './page-assets.js';
import type { ReportCoverage } from './types.js';

export function legendHtml(): string {
  const item = (kind: string, swatch: string, text: string) =>
    `<li><span class="swatch swatch-${kind}" style="${swatch}"></span>${text}</li>`;
  return `<ul class="legend" aria-label="How to read the charts">
${item('value', `border-top: 2px solid ${COLOURS.value}`, '<b>line</b>: the value the rule watches, in the unit on the left axis')}
${item('band', `background: ${COLOURS.band}; border-top: 1px dashed ${COLOURS.bandEdge}; border-bottom: 1px dashed ${COLOURS.bandEdge}`, '<b>green band</b>: the learned normal, between the lower and upper bound the rule compares against (no band while the rule is still learning)')}
${item('pending', `background: ${COLOURS.pending}`, '<b>amber</b>: pending, the condition holds and the rule waits its <code>for</code> before paging')}
${item('firing', `background: ${COLOURS.firing}`, '<b>red</b>: firing, paged until it resolved')}
<li class="zone">All times are UTC (ISO 8601, the <code>Z</code>), as in every message sentinel sends.</li>
</ul>`;
}

/** The sentence in place of the alerts table when nothing fired or pended. */
export function emptyMessage(coverage: ReportCoverage | undefined): string {
  if (coverage && coverage.rules.length > 0 && coverage.withoutSeries.length === coverage.rules.length) {
    return '<p class="empty">No alerts, because no rule matched any series in this data: check each rule\'s '
      + '<code>select:</code> against the metric names the data holds (<code>sentinel check</code> lists the rules).</p>';
  }
  return '<p class="quiet">No alerts: the rules stayed quiet over this recording.</p>';
}

/** Rules that watched nothing. When none matched, `emptyMessage` says it; then only the names are listed. */
export function uncoveredNote(coverage: ReportCoverage | undefined, empty: boolean): string {
  if (!coverage || coverage.withoutSeries.length === 0) return '';
  const names = coverage.withoutSeries.map((n) => `<code>${escapeHtml(n)}</code>`).join(', ');
  const all = coverage.withoutSeries.length === coverage.rules.length;
  if (all && empty) return `<p class="uncovered">Rules without a series: ${names}.</p>`;
  return `<p class="uncovered">${coverage.withoutSeries.length} of ${coverage.rules.length} rules matched no series in this data, so they could not alert: ${names}.</p>`;
}
