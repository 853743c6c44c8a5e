// Loads a rule file or every *.yaml / *.yml in a directory into typed rules. Every problem in every
// file is reported in one run, so `sentinel check` shows the whole list at once.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseDocument, isSeq, type Node } from 'yaml';
import { closestWord, parseYamlText, type Diagnostic, type SourcePosition } from '../config/index.js';
import { recoveryRatio } from './defaults.js';
import { SLO_ALERT_LABEL } from './slo-schema.js';
import { prometheusRuleFile } from './foreign.js';
import { ruleFileSchema, ruleSchema, type RawRule } from './schema.js';
import { templateProblems } from './template-check.js';
import type { Rule, RulesLoadResult } from './types.js';

export async function loadRules(fileOrDir: string): Promise<RulesLoadResult> {
  let files: string[];
  try {
    files = await ruleFiles(fileOrDir);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message;
    return { ok: false, diagnostics: [{ file: fileOrDir, line: 1, column: 1, message: `cannot read rules from ${fileOrDir}: ${reason}`, fix: 'pass a rule file or a directory of *.yaml rule files' }] };
  }
  if (files.length === 0) {
    return { ok: false, diagnostics: [{ file: fileOrDir, line: 1, column: 1, message: 'no rule files found', fix: 'rule files end in .yaml or .yml' }] };
  }
  const rules: Rule[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, SourcePosition>();
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      // Listed a moment ago: a dangling symlink, or removed or renamed since (an editor saving, a deploy).
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it is gone (removed since the folder was listed, or a symlink to nothing)' : (error as Error).message;
      diagnostics.push({ file, line: 1, column: 1, message: `cannot read rule file ${file}: ${reason}`, fix: 'fix or remove the file, then reload again' });
      continue;
    }
    const foreign = prometheusRuleFile(file, text);
    if (foreign) {
      diagnostics.push(foreign);
      continue;
    }
    const result = parseYamlText(file, text, ruleFileSchema);
    const fileDiagnostics: Diagnostic[] = result.ok ? [] : [...result.diagnostics];
    // A file with schema errors still gets its cross-rule checks (names, summaries) in the same run:
    // every rule that is valid on its own is checked, so fixing one list never reveals a second.
    const entries = result.ok ? result.value.rules.map((rule) => ({ name: rule.name, rule })) : validOnTheirOwn(text);
    const positions = rulePositions(file, text);
    entries.forEach(({ name, rule: raw }, index) => {
      const source = positions[index]?.rule ?? { file, line: 1, column: 1 };
      // A rule broken on its own is reported by the schema; its name is not claimed until it is valid.
      if (name === undefined || !raw) return;
      const earlier = seen.get(name);
      if (earlier) {
        fileDiagnostics.push({ ...source, message: `duplicate rule name "${name}" (also at ${earlier.file}:${earlier.line})`, fix: 'give every rule its own name' });
        return;
      }
      seen.set(name, source);
      const rule = toRule(raw, source);
      const summaryAt = positions[index]?.summary ?? source;
      const problem = summaryProblem(rule);
      if (problem) fileDiagnostics.push({ ...summaryAt, ...problem });
      for (const p of templateProblems(rule.summary)) fileDiagnostics.push({ ...summaryAt, ...p });
      rules.push(rule);
    });
    fileDiagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    diagnostics.push(...fileDiagnostics);
  }
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, rules };
}

/** Each entry under `rules:` validated alone: its name (when it has one) and the rule if it is valid. */
function validOnTheirOwn(text: string): { name: string | undefined; rule?: RawRule }[] {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return [];
  let data: { rules?: unknown } | null;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) as { rules?: unknown } | null;
  } catch {
    return []; // an alias bomb: parseYamlText has reported it
  }
  if (!data || !Array.isArray(data.rules)) return [];
  return data.rules.map((item: unknown) => {
    const name = item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string' ? (item as { name: string }).name : undefined;
    const parsed = ruleSchema.safeParse(item);
    return { name, ...(parsed.success ? { rule: parsed.data } : {}) };
  });
}

async function ruleFiles(fileOrDir: string): Promise<string[]> {
  const info = await stat(fileOrDir);
  if (!info.isDirectory()) return [fileOrDir];
  const names = (await readdir(fileOrDir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  return names.map((n) => join(fileOrDir, n));
}

/** file:line:col of each entry under `rules:` and of its summary, read from the YAML document itself. */
function rulePositions(file: string, text: string): { rule: SourcePosition; summary?: SourcePosition }[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const list = doc.get('rules', true);
  if (!isSeq(list)) return [];
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  return list.items.map((item, index) => {
    const summary = doc.getIn(['rules', index, 'summary'], true) as Node | undefined;
    return { rule: at((item as Node).range?.[0] ?? 0), ...(summary?.range ? { summary: at(summary.range[0]) } : {}) };
  });
}

/** A summary naming a label the rule's alerts never carry would print an empty gap in every page. */
function summaryProblem(rule: Rule): { message: string; fix: string } | undefined {
  const carried = [...rule.by, ...Object.keys(rule.labels), ...(rule.kind === 'error_code_shift' ? [rule.codeLabel] : []), ...(rule.kind === 'slo_burn' ? [SLO_ALERT_LABEL] : [])];
  for (const [, label] of rule.summary.matchAll(/\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)/g)) {
    if (carried.includes(label!)) continue;
    const guess = closestWord(label!, carried);
    return {
      message: `summary uses $labels.${label}, which alerts of "${rule.name}" do not carry (they carry ${carried.length ? carried.join(', ') : 'no labels'})`,
      fix: guess ? `did you mean "$labels.${guess}"?` : `add ${label} to by, or remove it from the summary`,
    };
  }
  return undefined;
}

/** snake_case file fields to the camelCase typed model. */
export function toRule(raw: RawRule, source: SourcePosition): Rule {
  const base = {
    name: raw.name,
    metric: raw.select.metric,
    matchers: raw.select.matchers,
    by: raw.by,
    forMs: raw.for,
    keepFiringForMs: raw.keep_firing_for,
    severity: raw.severity,
    summary: raw.summary,
    runbook: raw.runbook,
    labels: raw.labels,
    warmUpMs: raw.warm_up,
    staleAfterMs: raw.stale_after,
    source,
  };
  switch (raw.kind) {
    case 'error_code_shift':
      return { ...base, kind: raw.kind, codeLabel: raw.code_label, outcomeLabel: raw.outcome_label, successValue: raw.success_value, windowMs: raw.window, baselineMs: raw.baseline, minCount: raw.min_count, minShare: raw.min_share, floorShare: raw.floor_share, sustainMs: raw.sustain, exitAt: raw.exit_at, factor: raw.factor, pValue: raw.p_value };
    case 'error_rate':
      return { ...base, kind: raw.kind, outcomeLabel: raw.outcome_label, successValue: raw.success_value, windowMs: raw.window, baselineMs: raw.baseline, minCalls: raw.min_calls, minErrors: raw.min_errors, minRatio: raw.min_ratio, floorShare: raw.floor_ratio, sustainMs: raw.sustain, exitAt: raw.exit_at, factor: raw.factor, pValue: raw.p_value };
    case 'success_drop':
      return { ...base, kind: raw.kind, windowMs: raw.window, historyMs: raw.history, minExpected: raw.min_expected, dropRatio: raw.drop_ratio, pValue: raw.p_value, recoverRatio: raw.recover_ratio ?? recoveryRatio(raw.drop_ratio), sustainMs: raw.sustain };
    case 'latency':
      return { ...base, kind: raw.kind, windowMs: raw.window, baselineMs: raw.baseline, minCount: raw.min_count, madFactor: raw.mad_factor, minFactor: raw.min_factor, minSeconds: raw.min_seconds, exitAt: raw.exit_at };
    case 'timeouts':
      return { ...base, kind: raw.kind, timeoutLabel: raw.timeout_label, timeoutValue: raw.timeout_value, windowMs: raw.window, baselineMs: raw.baseline, minCount: raw.min_count, minCountNew: raw.min_count_new, minRatio: raw.min_ratio, nearTimeout: raw.near_timeout, floorShare: raw.floor_ratio, sustainMs: raw.sustain, exitAt: raw.exit_at, factor: raw.factor, pValue: raw.p_value };
    case 'routing_flows':
      return { ...base, kind: raw.kind, stateLabel: raw.state_label, unhealthyValue: raw.unhealthy_value, minRatio: raw.min_ratio, minUnhealthy: raw.min_unhealthy, minZones: raw.min_zones };
    case 'queue_backlog':
      return { ...base, kind: raw.kind, pendingMetric: raw.pending_metric, oldestAgeMetric: raw.oldest_age_metric, outcomeLabel: raw.outcome_label, failedValue: raw.failed_value, windowMs: raw.window, baselineMs: raw.baseline, maxOldestAgeMs: raw.max_oldest_age, maxFailed: raw.max_failed, madFactor: raw.mad_factor, minPending: raw.min_pending };
    case 'threshold':
      return { ...base, kind: raw.kind, rateWindowMs: raw.rate_window, op: raw.op, value: raw.value };
    case 'anomaly':
      // A name pattern may select many metrics: each is its own series, never summed with the others.
      return { ...base, by: base.metric === '' && !base.by.includes('__name__') ? ['__name__', ...base.by] : base.by, kind: raw.kind, rateWindowMs: raw.rate_window, direction: raw.direction, season: raw.season, stepMs: raw.step, warmUpSamples: raw.warm_up_samples };
    case 'slo_burn':
      return { ...base, kind: raw.kind, outcomeLabel: raw.outcome_label, successValue: raw.success_value, objective: raw.objective, periodMs: raw.period, windows: raw.windows.map((w) => ({ alert: w.alert, longMs: w.long, shortMs: w.short, burn: w.burn })), minCalls: raw.min_calls, exitAt: raw.exit_at };
  }
}
