// Building the report of a skipped line: where it is, what it said, what is wrong.
import type { MalformedLine } from './types.js';

export function malformedLine(file: string, line: number, text: string, reason: string): MalformedLine {
  const shown = text.length > 200 ? text.slice(0, 200) + '…' : text;
  return { file, line, text: shown, reason, message: `${file}:${line}: ${reason}` };
}
