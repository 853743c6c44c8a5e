// Placeholder while the escalation policy model lands; replaced by the real compiler.
import type { CompileResult, TimeScaleOptions } from '../types.js';
export async function compileAlertmanagerFile(_policy: string, _options: TimeScaleOptions): Promise<{ ok: true; result: CompileResult } | { ok: false; errors: string[] }> {
  return { ok: false, errors: ['sentinel compile: --target alertmanager is not built yet'] };
}
