// The Silence… modal: the button on a page opens it (Slack's views.open with the click's trigger_id),
// the responder writes how long and why, and the submission (view_submission, signed like every click)
// silences the group with that comment. The view is plain Block Kit; the group id rides in
// private_metadata; slack-views.ts opens it. Durations are written as in rules and amtool (`90m`, `4h`, `2d`), as in the console.
import { formatDuration, parseDuration } from '../config/duration.js';
import type { EscalationPolicy, SlackConfig } from '../policy/types.js';
import { scrubValue } from './redact.js';
import { nflogKey, type SlackMessageRef } from './state.js';

export const SILENCE_MODAL_ACTION_ID = 'sentinel_silence_modal';
export const SILENCE_MODAL_CALLBACK_ID = 'sentinel_silence';
/** Block and action ids of the modal's two inputs (view.state.values[block][action].value). */
export const MODAL_DURATION = { block: 'duration', action: 'duration_text' } as const;
export const MODAL_COMMENT = { block: 'comment', action: 'comment_text' } as const;

const MIN_MS = 60_000;
const MAX_MS = 90 * 86_400_000;
export const DEFAULT_SILENCE = '4h';

/** A silence's length as a responder writes it, or what to write instead. */
export function parseSilenceDuration(text: string): { ok: true; ms: number } | { ok: false; message: string } {
  const ms = parseDuration(text.trim());
  if (ms === undefined) return { ok: false, message: `"${text.trim().slice(0, 20)}" is not a duration: write 90m, 4h or 2d` };
  if (ms < MIN_MS || ms > MAX_MS) return { ok: false, message: `a silence lasts between 1m and 90d (${formatDuration(ms)} asked)` };
  return { ok: true, ms };
}

export function silenceModalView(groupId: string, title: string): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: SILENCE_MODAL_CALLBACK_ID,
    private_metadata: groupId,
    title: { type: 'plain_text', text: 'Silence alerts' },
    submit: { type: 'plain_text', text: 'Silence' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: title.slice(0, 2900) } },
      {
        type: 'input', block_id: MODAL_DURATION.block, label: { type: 'plain_text', text: 'For how long' },
        hint: { type: 'plain_text', text: 'e.g. 90m, 4h, 2d (at most 90d)' },
        element: { type: 'plain_text_input', action_id: MODAL_DURATION.action, initial_value: DEFAULT_SILENCE, max_length: 12 },
      },
      {
        type: 'input', block_id: MODAL_COMMENT.block, label: { type: 'plain_text', text: 'Why' },
        hint: { type: 'plain_text', text: 'a ticket, the partner\'s maintenance window; no patient details' },
        element: { type: 'plain_text_input', action_id: MODAL_COMMENT.action, multiline: true, max_length: 500 },
      },
    ],
  };
}

/** The Slack integration the group's message went out through (its API URL and token), else the first one. */
export function slackConfigFor(policy: EscalationPolicy, messages: Readonly<Record<string, SlackMessageRef>>, groupId: string): SlackConfig | undefined {
  let first: SlackConfig | undefined;
  for (const receiver of policy.receivers) {
    for (const [index, config] of receiver.integrations.entries()) {
      if (config.type !== 'slack') continue;
      first ??= config;
      if (messages[nflogKey(groupId, `${receiver.name}/slack/${index}`)]) return config;
    }
  }
  return first;
}

/** What the modal says it silences: the group's labels (allow-listed, scrubbed like every message). */
export function modalTitle(labels: Readonly<Record<string, string>>): string {
  const text = Object.entries(labels).map(([k, v]) => `${k}="${scrubValue(v)}"`).join(', ');
  return `Silences every alert matching ${text || 'this group'}, and acknowledges the page.`;
}
