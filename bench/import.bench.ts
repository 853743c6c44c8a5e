// Import time of the shim's entry point against the OpenTelemetry parts it needs, imported alone
// (run: npm run bench -- import). Each import is timed inside a fresh Node process (no module cache,
// no warm JIT), the variants interleaved round by round so machine load drifts over all of them
// alike; medians. Goal: `integration-sentinel/shim` ≤ 1.2x `@opentelemetry/api` + `sdk-metrics` +
// `exporter-prometheus`. The full package (`integration-sentinel`) is shown for reference.
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROUNDS = 30;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const VARIANTS = [
  { name: 'OpenTelemetry alone (api + sdk-metrics + exporter-prometheus)', specifiers: ['@opentelemetry/api', '@opentelemetry/sdk-metrics', '@opentelemetry/exporter-prometheus'] },
  { name: 'integration-sentinel/shim', specifiers: ['integration-sentinel/shim'] },
  { name: 'integration-sentinel (the full package)', specifiers: ['integration-sentinel'] },
] as const;

/** Milliseconds from before the first import to after the last, measured in a new process run from
 * the repo, where the package imports itself by name as a user's service would import it. */
function importMs(specifiers: readonly string[]): number {
  const script = `const t = performance.now(); for (const s of ${JSON.stringify(specifiers)}) await import(s); process.stdout.write(String(performance.now() - t));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`importing ${specifiers.join(', ')} failed (run npm run build first):\n${result.stderr}`);
  return Number(result.stdout);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const times = VARIANTS.map(() => [] as number[]);
for (const v of VARIANTS) importMs(v.specifiers); // warm the file system cache once
for (let r = 0; r < ROUNDS; r++) {
  // Rotate the order each round so no variant always runs first after the previous process exits.
  for (let k = 0; k < VARIANTS.length; k++) {
    const i = (r + k) % VARIANTS.length;
    times[i]!.push(importMs(VARIANTS[i]!.specifiers));
  }
}

const base = median(times[0]!);
console.log(`import time in a fresh process, median of ${ROUNDS} interleaved rounds (load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`);
console.log(`  ${'variant'.padEnd(64)} ${'median'.padEnd(10)} ${'min'.padEnd(10)} ratio   goal ≤ 1.2`);
VARIANTS.forEach((v, i) => {
  const m = median(times[i]!);
  const ratio = m / base;
  const note = i === 1 ? (ratio <= 1.2 ? 'meets goal' : 'MISSES goal') : i === 0 ? '' : '(for reference)';
  console.log(`  ${v.name.padEnd(64)} ${`${m.toFixed(1)} ms`.padEnd(10)} ${`${Math.min(...times[i]!).toFixed(1)} ms`.padEnd(10)} ${ratio.toFixed(2).padEnd(7)} ${note}`);
});
