// Number scanning for sample values and timestamps without allocating in the common case:
// plain integers and decimals (<= 15 significant digits) are computed in place, which is exact
// (an integer mantissa < 2^53 divided by an exact power of ten is correctly rounded). Anything else
// (exponents, Inf, NaN, long mantissas) falls back to a strict check and Number().

const STRICT_FLOAT = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)$/;

/** Parses text[start, end) as a Prometheus float. Returns undefined when it is not one. */
export function scanNumber(text: string, start: number, end: number): number | undefined {
  let i = start;
  let negative = false;
  let c = text.charCodeAt(i);
  if (c === 45 /* - */) { negative = true; i++; } else if (c === 43 /* + */) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 1;
  while (i < end && (c = text.charCodeAt(i)) >= 48 && c <= 57) { mantissa = mantissa * 10 + (c - 48); digits++; i++; }
  if (i < end && text.charCodeAt(i) === 46 /* . */) {
    i++;
    while (i < end && (c = text.charCodeAt(i)) >= 48 && c <= 57) { mantissa = mantissa * 10 + (c - 48); scale *= 10; digits++; i++; }
  }
  if (i === end && digits > 0 && digits <= 15) return negative ? -mantissa / scale : mantissa / scale;
  return slowNumber(text.slice(start, end));
}

function slowNumber(token: string): number | undefined {
  if (STRICT_FLOAT.test(token)) return Number(token);
  switch (token.toLowerCase()) {
    case '+inf': case 'inf': return Infinity;
    case '-inf': return -Infinity;
    case 'nan': return NaN;
    default: return undefined;
  }
}

/** A sample timestamp: seconds (OpenMetrics), or milliseconds when above 1e11 (Prometheus text). */
export function timestampToMs(t: number): number {
  return t > 1e11 ? Math.round(t) : Math.round(t * 1000);
}
