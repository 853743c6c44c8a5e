// Labels and the one canonical series identity. Every part that names a series (the recording reader,
// the scraper, the self-metrics, the writers of recordings and PromQL) spells it through here, so two
// spellings of one series can never disagree.

/** Label set of one series or one alert. Treat as immutable: the parser shares one object per series. */
export type Labels = Readonly<Record<string, string>>;

/** A label value as the exposition format and PromQL write it: backslash, quote and newline escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `name{a="x",b="y"}` from label pairs already sorted by name, with no empty values; a bare name stays bare. */
export function canonicalSeries(name: string, sortedPairs: ReadonlyArray<readonly [string, string]>): string {
  if (sortedPairs.length === 0) return name;
  let s = name + '{';
  for (let i = 0; i < sortedPairs.length; i++) {
    const [k, v] = sortedPairs[i]!;
    s += (i ? ',' : '') + k + '="' + escapeLabelValue(v) + '"';
  }
  return s + '}';
}

/** Label pairs sorted by name. As in Prometheus, a label with an empty value is the same as no label. */
export function sortedLabelPairs(labels: Iterable<readonly [string, string]>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of labels) if (v !== '') pairs.push([k, v]);
  return pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The canonical identity of a series: name plus labels sorted by name, empty values dropped. */
export function seriesId(name: string, labels: Labels): string {
  return canonicalSeries(name, sortedLabelPairs(Object.entries(labels)));
}

/** `{a="x",b="y"}` in the labels' own order (empty for no labels), as /metrics lines write them. */
export function formatLabelSet(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  return '{' + keys.map((k) => `${k}="${escapeLabelValue(labels[k]!)}"`).join(',') + '}';
}
