// The Silence buttons (1h, 4h, 24h), the Silence… button that opens the modal, the modal's submission
// (view_submission: duration and comment) and the Runbook link button inside a Slack interactivity
// payload, read after the request's signature has been checked, like the Acknowledge click (slack-signature.ts).
import { RUNBOOK_ACTION_ID, SILENCE_ACTION_PREFIX, SILENCE_CHOICES } from '../escalate/format.js';
import { MODAL_COMMENT, MODAL_DURATION, parseSilenceDuration, SILENCE_MODAL_ACTION_ID, SILENCE_MODAL_CALLBACK_ID } from '../escalate/silence-modal.js';

export type SlackButton =
  | { readonly kind: 'silence'; readonly groupId: string; readonly durationMs: number; readonly by: string; readonly comment?: string }
  | { readonly kind: 'open_silence_modal'; readonly groupId: string; readonly triggerId: string }
  /** A submission Slack must show again with these errors beside the inputs (block id -> message). */
  | { readonly kind: 'modal_errors'; readonly errors: Readonly<Record<string, string>> }
  | { readonly kind: 'link' };

interface Payload {
  type?: string;
  trigger_id?: string;
  user?: { id?: string; username?: string; name?: string };
  actions?: { action_id?: string; value?: string }[];
  view?: { callback_id?: string; private_metadata?: string; state?: { values?: Record<string, Record<string, { value?: string | null }>> } };
}

export function parseButtonAction(rawBody: string): SlackButton | undefined {
  const json = new URLSearchParams(rawBody).get('payload');
  if (!json) return undefined;
  let payload: Payload;
  try {
    payload = JSON.parse(json) as Payload;
  } catch {
    return undefined;
  }
  const user = payload.user ?? {};
  const by = `${user.username ?? user.name ?? user.id ?? 'someone'} (Slack)`;
  if (payload.type === 'view_submission') return submission(payload, by);
  if (payload.type !== 'block_actions') return undefined;
  for (const action of payload.actions ?? []) {
    if (action.action_id?.startsWith(RUNBOOK_ACTION_ID)) return { kind: 'link' };
    if (action.action_id === SILENCE_MODAL_ACTION_ID && typeof action.value === 'string' && typeof payload.trigger_id === 'string') {
      return { kind: 'open_silence_modal', groupId: action.value, triggerId: payload.trigger_id };
    }
    const choice = SILENCE_CHOICES.find(([label]) => action.action_id === `${SILENCE_ACTION_PREFIX}${label}`);
    if (choice && typeof action.value === 'string') return { kind: 'silence', groupId: action.value, durationMs: choice[1], by };
  }
  return undefined;
}

/** The modal's two inputs; a duration that does not parse goes back to the modal, beside its input. */
function submission(payload: Payload, by: string): SlackButton | undefined {
  const view = payload.view;
  if (view?.callback_id !== SILENCE_MODAL_CALLBACK_ID || !view.private_metadata) return undefined;
  const values = view.state?.values ?? {};
  const durationText = values[MODAL_DURATION.block]?.[MODAL_DURATION.action]?.value ?? '';
  const comment = (values[MODAL_COMMENT.block]?.[MODAL_COMMENT.action]?.value ?? '').trim();
  const errors: Record<string, string> = {};
  const duration = parseSilenceDuration(durationText);
  if (!duration.ok) errors[MODAL_DURATION.block] = duration.message;
  if (comment === '') errors[MODAL_COMMENT.block] = 'say why (a ticket, the partner\'s maintenance window)';
  if (!duration.ok || comment === '') return { kind: 'modal_errors', errors };
  return { kind: 'silence', groupId: view.private_metadata, durationMs: duration.ms, by, comment };
}
