// JSON.stringify of a large document (the detector's snapshot at 100 k series: ~13 MB) in slices, with a
// turn of the event loop whenever a slice has run SLICE_MS, so /healthz and the Slack button never wait
// for a whole snapshot. Same text as JSON.stringify for plain JSON data (objects, arrays, numbers,
// strings, booleans, null; undefined members left out).

const SLICE_MS = 8;
/** Objects and arrays this small are stringified whole: walking them costs more than it spares. */
const WHOLE_BELOW = 64;

export async function stringifyInSlices(value: unknown): Promise<string> {
  const parts: string[] = [];
  let sliceStart = performance.now();
  const breathe = async (): Promise<void> => {
    if (performance.now() - sliceStart < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
  const write = async (v: unknown, depth: number): Promise<void> => {
    if (v === null || typeof v !== 'object' || (v as { toJSON?: unknown }).toJSON !== undefined) {
      parts.push(JSON.stringify(v) ?? 'null');
      return;
    }
    if (Array.isArray(v)) {
      if (v.length < WHOLE_BELOW && depth > 2) return void parts.push(JSON.stringify(v));
      parts.push('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) parts.push(',');
        const item = v[i];
        if (item === undefined || typeof item === 'function') parts.push('null');
        else await write(item, depth + 1);
        await breathe();
      }
      parts.push(']');
      return;
    }
    const keys = Object.keys(v);
    if (keys.length < WHOLE_BELOW && depth > 2) return void parts.push(JSON.stringify(v));
    parts.push('{');
    let first = true;
    for (const key of keys) {
      const item = (v as Record<string, unknown>)[key];
      if (item === undefined || typeof item === 'function') continue;
      parts.push(first ? '' : ',', JSON.stringify(key), ':');
      first = false;
      await write(item, depth + 1);
      await breathe();
    }
    parts.push('}');
  };
  await write(value, 0);
  return parts.join('');
}
