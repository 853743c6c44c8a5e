// PromQL string literals as Prometheus reads them (Go's strconv.Unquote): "double" and 'single' quotes
// with backslash escapes, `backticks` raw.

const SIMPLE: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

export function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next === undefined) throw new Error('a backslash ends the value');
    if (next in SIMPLE) out += SIMPLE[next];
    else if (next === 'x' || next === 'u' || next === 'U') {
      const digits = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw new Error(`invalid escape "\\${next}${hex}"`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += digits;
    } else if (/[0-7]/.test(next)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw new Error(`invalid escape "\\${oct}"`);
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else throw new Error(`invalid escape "\\${next}"`);
  }
  return out;
}
