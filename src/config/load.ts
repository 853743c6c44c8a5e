import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { describeIssue } from './issues.js';
import type { Diagnostic, LoadResult } from './types.js';

/** Reads a YAML file and validates it into a typed value; every problem is reported, each with file:line:col. */
export async function loadYamlFile<T>(file: string, schema: z.ZodType<T>): Promise<LoadResult<T>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    return { ok: false, diagnostics: [{ file, line: 1, column: 1, message: `cannot read ${file}: ${reason}`, fix: 'check the path' }] };
  }
  return parseYamlText(file, text, schema);
}

export function parseYamlText<T>(file: string, text: string, schema: z.ZodType<T>): LoadResult<T> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  // `summary: {{ $labels.partner }} down` is a flow mapping to YAML: name that mistake, on its line,
  // instead of "Unexpected scalar at node end" or "summary must be a string, not a mapping".
  const unquoted = unquotedTemplates(file, text);
  const mistaken = new Set(unquoted.map((d) => d.line));
  const syntax = doc.errors
    .map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return { file, line, column: col, message: `YAML syntax: ${firstLine(error.message)}`, fix: yamlFix(error.code) };
    })
    .filter((d) => !mistaken.has(d.line));
  if (syntax.length > 0) return { ok: false, diagnostics: [...unquoted, ...syntax].sort((a, b) => a.line - b.line || a.column - b.column) };
  let data: unknown;
  try {
    // yaml refuses documents whose aliases expand past its limit (a "billion laughs" bomb).
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const alias = /[*&][A-Za-z0-9_-]+/.exec(text);
    const { line, col } = lineCounter.linePos(alias?.index ?? 0);
    return { ok: false, diagnostics: [{ file, line, column: col, message: `YAML: ${firstLine((error as Error).message)}`, fix: 'write the values out instead of expanding aliases (*name) many times' }] };
  }
  const parsed = schema.safeParse(data);
  if (parsed.success && unquoted.length === 0) return { ok: true, value: parsed.data };
  const issues = parsed.success ? [] : parsed.error.issues;
  const described = issues.map((issue): Diagnostic => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const described = describeIssue(issue, schema, data);
    const offset = locate(doc, path, described.pointAtKey);
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, message: described.message, fix: described.fix };
  });
  const diagnostics = [...unquoted, ...described.filter((d) => !mistaken.has(d.line))];
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, diagnostics };
}

/** Source offset of the node at `path`; when a key is missing, its nearest ancestor that exists. */
function locate(doc: Document, path: readonly (string | number)[], pointAtKey: string | undefined): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as Node | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) {
      if (depth === path.length && pointAtKey !== undefined && isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === pointAtKey);
        if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
      }
      if (depth === path.length && depth > 0) {
        // Point at the key of a mapping entry rather than its value when the value is a collection.
        const parent = doc.getIn(path.slice(0, depth - 1), true);
        if (isMap(parent) && !isScalar(node)) {
          const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === path[depth - 1]);
          if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
        }
      }
      return node.range[0];
    }
  }
  return 0;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Lines like `key: {{ … }}` whose value starts with an unquoted template. */
function unquotedTemplates(file: string, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  text.split(/\r?\n/).forEach((lineText, index) => {
    const match = /^(\s*(?:-\s+)?([A-Za-z_][\w.-]*):\s+)(\{\{.*?)\s*(?:#.*)?$/.exec(lineText);
    if (!match) return;
    const [, prefix, key, value] = match;
    const quoted = value!.includes('"') ? `'${value!.replace(/'/g, "''")}'` : `"${value}"`;
    out.push({ file, line: index + 1, column: prefix!.length + 1, message: `${key}: a value starting with {{ must be quoted, or YAML reads it as a mapping`, fix: `write ${key}: ${quoted}` });
  });
  return out;
}

function yamlFix(code: string): string | undefined {
  switch (code) {
    case 'DUPLICATE_KEY': return 'remove or rename one of the two entries';
    case 'BAD_INDENT':
    case 'MISSING_CHAR': return 'check the indentation and that every "key: value" has its colon and space';
    case 'TAB_AS_INDENT': return 'indent with spaces, not tabs';
    case 'BLOCK_AS_IMPLICIT_KEY': return 'a key is probably missing its colon, or the line above is mis-indented';
    default: return undefined;
  }
}

/** `file:line:col: message: fix`, the shape compilers and editors link to. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message}${d.fix ? `: ${d.fix}` : ''}`;
}
