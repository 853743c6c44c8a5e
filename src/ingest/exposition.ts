// One live scrape body (Prometheus text or OpenMetrics) into samples, with the same scanner as the
// recording reader. Samples without a timestamp get `nowMs`; every sample carries the target.
import type { Sample } from '../model/index.js';
import { LINE_MALFORMED, LINE_SAMPLE, LineParser } from './line-parser.js';
import { malformedLine } from './malformed.js';
import { SeriesInterner } from './series-interner.js';
import type { ParseExpositionOptions } from './types.js';

export function parseExposition(text: string, opts: ParseExpositionOptions): Sample[] {
  // A target's own interner, kept across its scrapes, finds known series by their text alone.
  const interner = opts.interner instanceof SeriesInterner ? opts.interner : new SeriesInterner();
  const parser = new LineParser(interner);
  const samples: Sample[] = [];
  const target = opts.target;
  let lineNo = opts.firstLine ?? 0;
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    lineNo++;
    const kind = parser.parse(text, pos, nl);
    if (kind === LINE_SAMPLE) {
      const s = parser.series!;
      const at = parser.timestampMs === parser.timestampMs ? parser.timestampMs : opts.nowMs;
      samples.push({ name: s.name, labels: s.labels, value: parser.value, timestampMs: at, series: s.series, target });
    } else if (kind === LINE_MALFORMED) {
      opts.onMalformed?.(malformedLine(target, lineNo, text.slice(pos, nl), parser.reason));
    }
    pos = nl + 1;
  }
  return samples;
}
