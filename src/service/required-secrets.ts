// Which environment variables a policy cannot work without, checked before anything starts: a Slack
// token per Slack config, an SMTP password where one is named, and (for `sentinel run`) the signing
// secret the Acknowledge button's requests are verified with. Missing ones are listed together, so one
// fix makes the whole set right, instead of a send retried for hours that can never succeed.
import type { EscalationPolicy } from '../policy/types.js';

export interface MissingSecret {
  readonly env: string;
  readonly neededFor: string;
}

export function missingSecrets(
  policy: EscalationPolicy,
  env: Readonly<Record<string, string | undefined>>,
  options: { readonly interactive: boolean },
): MissingSecret[] {
  // env name -> what it is -> the receivers that need it
  const needed = new Map<string, Map<string, string[]>>();
  const need = (name: string, what: string, receiver?: string): void => {
    if (env[name]) return;
    const whats = needed.get(name) ?? new Map<string, string[]>();
    needed.set(name, whats);
    whats.set(what, [...(whats.get(what) ?? []), ...(receiver ? [receiver] : [])]);
  };
  let slack = false;
  for (const receiver of policy.receivers) {
    for (const integration of receiver.integrations) {
      if (integration.type === 'slack') {
        slack = true;
        need(integration.tokenEnv, 'the Slack bot token', receiver.name);
      } else if (integration.authPasswordEnv) {
        need(integration.authPasswordEnv, 'the SMTP password', receiver.name);
      }
    }
  }
  // Every firing Slack message carries an Acknowledge button; its clicks are refused without the secret.
  if (options.interactive && slack) need(policy.slackSigningSecretEnv, "verifying the Acknowledge button's requests (/slack/interactivity)");
  return [...needed].map(([name, whats]) => ({
    env: name,
    neededFor: [...whats].map(([what, receivers]) => {
      const unique = [...new Set(receivers)];
      return unique.length === 0 ? what : `${what} of receiver${unique.length === 1 ? '' : 's'} ${unique.join(', ')}`;
    }).join('; '),
  }));
}

/** `  SLACK_BOT_TOKEN: the Slack bot token of receiver oncall-slack`, one line each. */
export function formatMissingSecrets(missing: readonly MissingSecret[]): string {
  return missing.map((m) => `  ${m.env}: ${m.neededFor}\n`).join('');
}
