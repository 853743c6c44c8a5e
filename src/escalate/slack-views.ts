// Slack's views.open for the Silence… modal, through the real @slack/web-api client with the Slack
// integration's API URL and token. Not the outbox's business: a click is answered now or never (a
// trigger_id lives 3 seconds), so no retry, and a refusal is only logged.
import { LogLevel, WebAPIPlatformError, WebClient } from '@slack/web-api';
import type { SlackConfig } from '../policy/types.js';

/** Opens the modal in the clicking user's Slack. A trigger_id lives 3 seconds: this is called at once. */
export async function openSlackView(config: SlackConfig, token: string, triggerId: string, view: Record<string, unknown>, timeoutMs = 2_500): Promise<{ ok: true } | { ok: false; reason: string }> {
  const client = new WebClient(token, { slackApiUrl: config.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: timeoutMs, logLevel: LogLevel.ERROR });
  try {
    // Block Kit built as plain JSON (silence-modal.ts); Slack itself validates the view.
    await client.views.open({ trigger_id: triggerId, view: view as unknown as Parameters<WebClient['views']['open']>[0]['view'] });
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof WebAPIPlatformError ? String(error.data.error) : (error as Error).message };
  }
}

