// The shim's own entry point, `integration-sentinel/shim`, as a user's service imports it from the
// built package: it must not drag in the escalation and dashboard dependencies (Slack, e-mail, the
// Grafana SDK: hundreds of milliseconds of import), and within the shim only telemetry/ may load the
// SDK, the exporter and node:http.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDist, ROOT } from '../demo/ensure-dist.js';

const HEAVY = ['@slack/web-api', 'nodemailer', 'smtp-server', '@grafana/grafana-foundation-sdk'];

// Records every URL the ESM and CommonJS loaders resolve (Node's in-thread module hooks see both
// import and require), then imports the specifier by name from the repo, as the package itself.
const PROBE = `
import { registerHooks } from 'node:module';
const urls = [];
registerHooks({ resolve(specifier, context, nextResolve) { const r = nextResolve(specifier, context); urls.push(r.url); return r; } });
const mod = await import(process.env.PROBE_SPECIFIER);
process.stdout.write(JSON.stringify({ exports: Object.keys(mod), urls }));
`;

function loadedBy(specifier: string): { exports: string[]; urls: string[] } {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE], {
    cwd: ROOT, encoding: 'utf8', timeout: 30_000, env: { ...process.env, PROBE_SPECIFIER: specifier },
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as { exports: string[]; urls: string[] };
}

const heavyIn = (urls: string[]) => HEAVY.filter((name) => urls.some((u) => u.includes(`/node_modules/${name}/`)));

describe('the integration-sentinel/shim entry point', () => {
  it('loads the shim and OpenTelemetry, and none of Slack, nodemailer, smtp-server or the Grafana SDK', () => {
    ensureDist();
    const { exports, urls } = loadedBy('integration-sentinel/shim');
    expect(exports).toEqual(expect.arrayContaining(['startTelemetry', 'instrumentFetch', 'instrumentClient', 'instrumentQuery', 'instrumentQueue', 'trackQueue', 'METRIC']));
    expect(urls.some((u) => u.endsWith('/dist/shim/index.js'))).toBe(true);
    expect(urls.some((u) => u.includes('/node_modules/@opentelemetry/api/'))).toBe(true);
    expect(heavyIn(urls)).toEqual([]);
  }, 120_000); // ensureDist may rebuild dist/ first

  it('is told apart from the full package, which does load them (so the probe can see them)', () => {
    ensureDist();
    // smtp-server is the demo's alone; the full entry loads the Slack client, nodemailer and Grafana's SDK.
    expect(heavyIn(loadedBy('integration-sentinel').urls)).toEqual(expect.arrayContaining(['@slack/web-api', 'nodemailer', '@grafana/grafana-foundation-sdk']));
  }, 120_000);
});

describe('the recording path', () => {
  it('imports @opentelemetry/api alone: only shim/telemetry/ imports the SDK, the exporter or node:http', () => {
    const shim = join(ROOT, 'src/shim');
    const files = readdirSync(shim, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.startsWith('telemetry'));
    const offending: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(shim, file), 'utf8');
      for (const [, spec] of text.matchAll(/^\s*(?:import\s*|(?:import|export)\b[^'";]*?\bfrom\s*)['"]([^'"]+)['"]/gm)) {
        const allowed = spec === '@opentelemetry/api' || spec!.startsWith('./') || spec!.startsWith('../model/');
        if (!allowed) offending.push(`${relative(ROOT, join(shim, file))}: ${spec}`);
      }
    }
    expect(files.length).toBeGreaterThan(8);
    expect(offending).toEqual([]);
  });
});
