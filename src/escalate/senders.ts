// One sender per receiver integration, keyed `${receiver}/${type}/${index}`. Secrets are read from the
// environment here, by the names the policy gives, and live only inside the clients.
import type { EscalationPolicy } from '../policy/types.js';
import { createEmailSender } from './email.js';
import type { Sender } from './outbox.js';
import { createSlackSender } from './slack.js';

export function buildSenders(policy: EscalationPolicy, env: Readonly<Record<string, string | undefined>>, log: (line: string) => void): Map<string, Sender> {
  const senders = new Map<string, Sender>();
  for (const receiver of policy.receivers) {
    receiver.integrations.forEach((config, index) => {
      const key = `${receiver.name}/${config.type}/${index}`;
      if (config.type === 'slack') {
        const token = env[config.tokenEnv];
        if (!token) log(`escalation: ${key}: environment variable ${config.tokenEnv} is not set; Slack will refuse the calls`);
        senders.set(key, createSlackSender({ config, token: token ?? '', timeoutMs: Math.min(10_000, policy.receiverTimeoutMs) }));
      } else {
        const password = config.authPasswordEnv ? env[config.authPasswordEnv] : undefined;
        if (config.authPasswordEnv && !password) log(`escalation: ${key}: environment variable ${config.authPasswordEnv} is not set`);
        senders.set(key, createEmailSender({ config, password, deadlineMs: policy.receiverTimeoutMs }));
      }
    });
  }
  return senders;
}

export async function closeSenders(senders: ReadonlyMap<string, Sender>): Promise<void> {
  await Promise.all([...senders.values()].map((s) => s.close?.()));
}
