// A backtest that read no samples must not end "0 transitions" as if all were quiet. Look at the start
// of the file, name the format it is in, and say how to turn it into a recording.
import { open } from 'node:fs/promises';

const MAKE_ONE = 'see docs/recording.md, "Make a recording"';

export async function whyNoSamples(file: string): Promise<string> {
  const head = await readHead(file);
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const first = lines[0] ?? '';
  if (head.length === 0) return `${file} is empty: record some scrapes into it (${MAKE_ONE})`;
  if (head.includes(0) || (head[0] === 0x1f && head[1] === 0x8b)) {
    return `${file} is a binary file (compressed, or a TSDB block?), not a recording: decompress it, or dump a TSDB with \`promtool tsdb dump-openmetrics DIR > recording.om\` (Prometheus 2.49+)`;
  }
  if (/^[[{]/.test(first) && !/^\{__name__=/.test(first)) {
    return `${file} is JSON (the Prometheus HTTP API's output?), not a recording: a recording is OpenMetrics text, one \`name{labels} value timestamp\` line per sample, or a timestamp,value CSV (${MAKE_ONE})`;
  }
  if (/^\{__name__="[^"]*"/.test(first)) {
    return `${file} is \`promtool tsdb dump\` output ({__name__="…"} value milliseconds), which names the metric inside the braces: dump with \`promtool tsdb dump-openmetrics\` (Prometheus 2.49+) instead, or rewrite each line as name{labels} value timestamp, e.g. sed -E 's/^\\{__name__="([^"]+)", ?/\\1{/; s/\\{\\}//'`;
  }
  const sample = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?\s+\S+(\s+\S+)?$/.exec(first);
  if (sample && sample[2] === undefined) {
    return `${file} is a /metrics body without timestamps (one scrape, not a recording): record scrapes over time with a timestamp on every sample, e.g. the recorder in ${MAKE_ONE}`;
  }
  if (/^[^,]+,[^,]+$/.test(first)) return `${file} looks like CSV but no row had a timestamp and a number: the columns are timestamp,value (${MAKE_ONE})`;
  return `${file} has no line the recording reader understands (OpenMetrics text with timestamps, or timestamp,value CSV): ${MAKE_ONE}`;
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
