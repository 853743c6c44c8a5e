// One entry point per target; the CLI and the tests call `compile` and get files plus fidelity notes.
import { formatDiagnostic } from '../config/index.js';
import { loadRules } from '../rules/index.js';
import type { Rule } from '../rules/index.js';
import type { CompileResult, CompileTarget, TimeScaleOptions } from './types.js';

export type { CompileResult, CompileTarget, Fidelity, FidelityNote, TimeScaleOptions } from './types.js';
export { COMPILE_TARGETS } from './types.js';

export interface CompileInputs extends TimeScaleOptions {
  readonly rules?: string;
  readonly policy?: string;
  readonly partners?: readonly string[];
  /** Alertmanager: folder holding the secret files (default /etc/alertmanager/secrets). */
  readonly secretsDir?: string;
}

export type CompileOutcome = { readonly ok: true; readonly result: CompileResult } | { readonly ok: false; readonly errors: readonly string[] };

export async function compile(target: CompileTarget, inputs: CompileInputs): Promise<CompileOutcome> {
  switch (target) {
    case 'prometheus': {
      const rules = await rulesFrom(inputs.rules);
      if (!rules.ok) return rules;
      const { compilePrometheus } = await import('./prometheus/index.js');
      return { ok: true, result: compilePrometheus(rules.rules, inputs) };
    }
    case 'grafana': {
      const rules = await rulesFrom(inputs.rules);
      if (!rules.ok) return rules;
      const { compileGrafana } = await import('./grafana/index.js');
      return { ok: true, result: compileGrafana(rules.rules, { partners: inputs.partners }) };
    }
    case 'alertmanager': {
      if (!inputs.policy) return { ok: false, errors: ['sentinel compile: --target alertmanager needs --policy sentinel.yaml'] };
      const { compileAlertmanagerFile } = await import('./alertmanager/index.js');
      return compileAlertmanagerFile(inputs.policy, inputs);
    }
  }
}

async function rulesFrom(path: string | undefined): Promise<{ ok: true; rules: readonly Rule[] } | { ok: false; errors: string[] }> {
  if (!path) return { ok: false, errors: ['sentinel compile: this target needs --rules DIR|FILE (the rule pack, e.g. rules/)'] };
  const loaded = await loadRules(path);
  if (!loaded.ok) return { ok: false, errors: loaded.diagnostics.map(formatDiagnostic) };
  return { ok: true, rules: loaded.rules };
}
