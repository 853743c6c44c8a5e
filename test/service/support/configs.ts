// Writes a service config, its rules and escalation section into a fresh temp folder.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ConfigFiles {
  readonly dir: string;
  readonly config: string;
  readonly rules: string;
  readonly dataDir: string;
}

export interface TargetSpec {
  readonly name: string;
  readonly url: string;
  readonly extra?: string;
}

export function serviceYaml(targets: readonly TargetSpec[], options: { rules?: string; extra?: string; escalation?: string } = {}): string {
  const targetLines = targets
    .map((t) => `  - name: ${t.name}\n    url: ${JSON.stringify(t.url)}\n    timeout: 300ms\n${t.extra ?? ''}`)
    .join('');
  return `listen:
  host: 127.0.0.1
  port: 0
data_dir: ./data
rules: ${options.rules ?? './rules.yaml'}
evaluation_interval: 1h
scrape_interval: 1h
${options.extra ?? ''}targets:
${targetLines}escalation:
${options.escalation ?? `  route:
    receiver: oncall
  receivers:
    - name: oncall
      slack_configs:
        - channel: "#oncall"
          api_url: http://127.0.0.1:9/api/
          token_env: TEST_SLACK_TOKEN
`}`;
}

export async function writeConfig(yaml: string, rules = 'threshold:\n  metric: partner_errors\n  above: 5\n'): Promise<ConfigFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'sentinel-service-'));
  const config = join(dir, 'sentinel.yaml');
  await writeFile(config, yaml);
  await writeFile(join(dir, 'rules.yaml'), rules);
  return { dir, config, rules: join(dir, 'rules.yaml'), dataDir: join(dir, 'data') };
}
