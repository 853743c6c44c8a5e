// Secrets reach the service only through environment variables named in the escalation policy
// (token_env, auth_password_env, slack_signing_secret_env). Their values are collected here so the
// logger and the HTTP layer can scrub them from anything they print.
import type { EscalationPolicy } from '../policy/types.js';

export function secretEnvNames(policy: EscalationPolicy): string[] {
  const names = new Set<string>([policy.slackSigningSecretEnv]);
  for (const receiver of policy.receivers) {
    for (const integration of receiver.integrations) {
      if (integration.type === 'slack') names.add(integration.tokenEnv);
      else if (integration.authPasswordEnv) names.add(integration.authPasswordEnv);
    }
  }
  return [...names];
}

export function secretValues(policy: EscalationPolicy, env: Readonly<Record<string, string | undefined>>): string[] {
  return secretEnvNames(policy)
    .map((name) => env[name])
    .filter((value): value is string => typeof value === 'string' && value.length > 0);
}
