// `sentinel backtest --notify FILE [--dry-run]`, before the run: refuse with the list of missing
// secrets rather than replay hours of sends that cannot succeed; with --dry-run, point every Slack and
// SMTP integration at loopback sinks and print each message as it arrives, sending nothing anywhere.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { formatDiagnostic } from '../config/index.js';
import { loadPolicyFile } from '../policy/index.js';
import type { EscalationPolicy } from '../policy/types.js';
import { formatMissingSecrets, missingSecrets } from '../service/required-secrets.js';

export interface PreparedNotify {
  readonly policyFile: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  close(): Promise<void>;
}

export type NotifyPlan = { ok: true; prepared: PreparedNotify } | { ok: false; message: string };

export async function prepareNotify(file: string, options: { dryRun: boolean; print: (line: string) => void }): Promise<NotifyPlan> {
  const loaded = await loadPolicyFile(file);
  if (!loaded.ok) return { ok: false, message: `cannot use ${file} for --notify:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}` };
  if (!options.dryRun) {
    const missing = missingSecrets(loaded.value, process.env, { interactive: false });
    if (missing.length > 0) {
      return {
        ok: false,
        message: `sentinel backtest: --notify ${file} needs these environment variables, which are not set:\n${formatMissingSecrets(missing)}`
          + 'set them, or add --dry-run to print the messages instead of sending them',
      };
    }
    return { ok: true, prepared: { policyFile: file, env: process.env, close: async () => undefined } };
  }
  return dryRun(file, loaded.value, options.print);
}

async function dryRun(file: string, policy: EscalationPolicy, print: (line: string) => void): Promise<NotifyPlan> {
  // Loaded only for a dry run: the sinks pull in an SMTP server.
  const { startDemoSinks } = await import('../demo/sinks/index.js');
  const sinks = await startDemoSinks();
  const dir = await mkdtemp(join(tmpdir(), 'sentinel-dry-run-'));
  const close = async (): Promise<void> => {
    await sinks.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const doc = parseDocument(await readFile(file, 'utf8'));
    pointAtSinks(doc, sinks.slack.url, `127.0.0.1:${sinks.smtp.port}`, dirname(resolve(file)));
    const rewritten = join(dir, 'sentinel.yaml');
    await writeFile(rewritten, doc.toString());
    sinks.slack.onCall = (call) => {
      if (call.method !== 'chat.postMessage' && call.method !== 'chat.update') return;
      const thread = call.args.thread_ts ? ' (thread reply)' : '';
      print(`dry-run slack ${call.method === 'chat.update' ? 'update' : 'post'} ${String(call.args.channel)}${thread}: ${String(call.args.text ?? '').split('\n')[0]}`);
    };
    sinks.smtp.onMail = (mail) => print(`dry-run e-mail to ${mail.to.join(', ')}: ${mail.subject}`);
    // Placeholders the local sinks accept: no real secret is read for a dry run.
    const env: Record<string, string> = {};
    for (const m of missingSecrets(policy, {}, { interactive: false })) env[m.env] = 'dry-run-placeholder';
    return { ok: true, prepared: { policyFile: rewritten, env, close } };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Every Slack API URL and SMTP smarthost in the file, global and per config, now the sinks'. */
function pointAtSinks(doc: Document, slackUrl: string, smarthost: string, base: string): void {
  doc.setIn(['escalation', 'global', 'slack_api_url'], slackUrl);
  doc.setIn(['escalation', 'global', 'smtp_smarthost'], smarthost);
  doc.setIn(['escalation', 'global', 'smtp_require_tls'], false);
  const contacts = doc.getIn(['escalation', 'contacts_file']);
  if (typeof contacts === 'string') doc.setIn(['escalation', 'contacts_file'], resolve(base, contacts));
  const receivers = doc.getIn(['escalation', 'receivers'], true);
  if (!isSeq(receivers)) return;
  receivers.items.forEach((_, i) => {
    for (const [list, edits] of [['slack_configs', { api_url: slackUrl }], ['email_configs', { smarthost, require_tls: false }]] as const) {
      const configs = doc.getIn(['escalation', 'receivers', i, list], true);
      if (!isSeq(configs)) continue;
      configs.items.forEach((config, j) => {
        if (!isMap(config)) return;
        for (const [key, value] of Object.entries(edits)) if (config.has(key)) doc.setIn(['escalation', 'receivers', i, list, j, key], value);
      });
    }
  });
}
