// rules/slo.yaml with its example rule uncommented, as a user turns it on: tests run the example
// itself, so the comment in the default pack cannot rot.
import { readFile } from 'node:fs/promises';

export async function uncommentedSloPack(): Promise<string> {
  const text = await readFile(new URL('../../rules/slo.yaml', import.meta.url), 'utf8');
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('  # - name:'));
  if (start < 0) throw new Error('rules/slo.yaml has no commented example rule');
  // `  #   # why` lines are comments inside the example; `  #   field: x` lines are the rule.
  return lines
    .map((l, i) => (l === 'rules: []' ? 'rules:' : i < start ? l : l.startsWith('  #   #') ? '' : l.startsWith('  # ') ? `  ${l.slice(4)}` : l))
    .join('\n');
}
