// The Silence buttons (1h, 4h, 24h) and the Runbook link button inside a Slack block_actions payload,
// read after the request's signature has been checked, like the Acknowledge click (slack-signature.ts).
import { RUNBOOK_ACTION_ID, SILENCE_ACTION_PREFIX, SILENCE_CHOICES } from '../escalate/format.js';

export type SlackButton =
  | { readonly kind: 'silence'; readonly groupId: string; readonly durationMs: number; readonly by: string }
  | { readonly kind: 'link' };

export function parseButtonAction(rawBody: string): SlackButton | undefined {
  const json = new URLSearchParams(rawBody).get('payload');
  if (!json) return undefined;
  let payload: { type?: string; user?: { id?: string; username?: string; name?: string }; actions?: { action_id?: string; value?: string }[] };
  try {
    payload = JSON.parse(json) as typeof payload;
  } catch {
    return undefined;
  }
  if (payload.type !== 'block_actions') return undefined;
  for (const action of payload.actions ?? []) {
    if (action.action_id?.startsWith(RUNBOOK_ACTION_ID)) return { kind: 'link' };
    const choice = SILENCE_CHOICES.find(([label]) => action.action_id === `${SILENCE_ACTION_PREFIX}${label}`);
    if (choice && typeof action.value === 'string') {
      const user = payload.user ?? {};
      return { kind: 'silence', groupId: action.value, durationMs: choice[1], by: `${user.username ?? user.name ?? user.id ?? 'someone'} (Slack)` };
    }
  }
  return undefined;
}
