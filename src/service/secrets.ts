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

/** The API token's environment variable: when set, every write to the API must carry it. */
export const API_TOKEN_ENV = 'SENTINEL_API_TOKEN';

/** Shapes of credentials people paste by mistake (tokens, keys, passwords in URLs or `key=value`). */
const SECRET_SHAPES: readonly RegExp[] = [
  /\bxox[abposr]-[A-Za-z0-9-]{8,}/g, // Slack tokens
  /\bxapp-[A-Za-z0-9-]{8,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g, // JWTs
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /(?<=\bbearer\s+)\S+/gi,
  /(?<=:\/\/[^/\s:@]+:)[^@\s/]+(?=@)/g, // the password in scheme://user:password@host
  /(?<=\b(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|client[_-]?secret)\s*[:=]\s*)\S+/gi,
  /\b[A-Za-z0-9+/_-]{32,}={0,2}/g, // long random-looking runs (keys, hashes)
];

/** A silence comment as it may be stored and shown: known secret values and credential shapes replaced. */
export function redactSecrets(text: string, known: readonly string[]): string {
  let out = text;
  for (const secret of known) if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  for (const shape of SECRET_SHAPES) out = out.replace(shape, '[redacted]');
  return out;
}
