// Slack's interactivity endpoint between the HTTP layer and the escalator: the request signature is
// checked here (the escalator never sees an unsigned click), the Acknowledge, Silence and Silence…
// actions and the Silence… modal's submission are read, and the escalator's domain answer becomes what
// Slack sees: a status code, or (for a submission with a mistake) the errors Slack shows in the modal.
import type { Escalator } from '../escalate/types.js';
import { parseAckAction, verifySlackRequest } from './slack-signature.js';
import { parseButtonAction } from './slack-silence-action.js';

export type SlackHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** What a Slack request asks for, once its signature has been checked. */
export type SlackAction =
  | { readonly kind: 'rejected'; readonly reason: string }
  | { readonly kind: 'not_an_action' }
  | { readonly kind: 'ack'; readonly groupId: string; readonly by: string }
  | { readonly kind: 'silence'; readonly groupId: string; readonly durationMs: number; readonly by: string; readonly comment?: string }
  | { readonly kind: 'open_silence_modal'; readonly groupId: string; readonly triggerId: string }
  | { readonly kind: 'modal_errors'; readonly errors: Readonly<Record<string, string>> }
  | { readonly kind: 'link' };

export type ReadSlackAction = (rawBody: string, headers: SlackHeaders, nowMs: number) => SlackAction;

/** What the HTTP layer answers Slack's interactivity request with. */
export interface InteractionResult {
  readonly status: number;
  readonly body: string;
  /** Set when the body is JSON (a view_submission's response_action). */
  readonly contentType?: 'application/json';
}

/** Verifies with the signing secret in effect at the time of the request (it may change on reload). */
export function slackActionReader(signingSecret: () => string): ReadSlackAction {
  return (rawBody, headers, nowMs) => {
    const verified = verifySlackRequest(rawBody, headers, signingSecret(), nowMs);
    if (!verified.ok) return { kind: 'rejected', reason: verified.reason };
    const action = parseAckAction(rawBody);
    if (action) return { kind: 'ack', groupId: action.groupId, by: action.by };
    return parseButtonAction(rawBody) ?? { kind: 'not_an_action' };
  };
}

export async function answerSlackInteraction(
  escalator: Pick<Escalator, 'ack' | 'silenceGroup' | 'openSilenceModal'>,
  read: ReadSlackAction,
  /** `nowMs`: the escalator's time of the ack; `signedAtMs`: what the signature's timestamp is checked
   *  against (the same in tests; the wall clock when the service's clock runs fast). */
  request: { readonly rawBody: string; readonly headers: SlackHeaders; readonly nowMs: number; readonly signedAtMs?: number },
  log: (line: string) => void,
): Promise<InteractionResult> {
  const action = read(request.rawBody, request.headers, request.signedAtMs ?? request.nowMs);
  if (action.kind === 'rejected') {
    log(`escalation: rejected Slack interactivity request: ${action.reason}`);
    return { status: 401, body: 'invalid request signature' };
  }
  if (action.kind === 'not_an_action') return { status: 400, body: 'not an acknowledge action' };
  if (action.kind === 'link') return { status: 200, body: '' };
  if (action.kind === 'modal_errors') return { status: 200, body: JSON.stringify({ response_action: 'errors', errors: action.errors }), contentType: 'application/json' };
  if (action.kind === 'open_silence_modal') {
    const opened = escalator.openSilenceModal ? await escalator.openSilenceModal(action.groupId, action.triggerId) : { ok: false as const, reason: 'not supported' };
    if (opened.ok) return { status: 200, body: '' };
    if (opened.reason === 'not_found') return { status: 404, body: 'unknown alert group' };
    log(`escalation: Slack refused to open the silence modal: ${opened.reason}`);
    return { status: 200, body: '' };
  }
  if (action.kind === 'silence') {
    const silenced = await escalator.silenceGroup(action.groupId, action.durationMs, action.by, request.nowMs, action.comment);
    // A submission that lost its group (resolved and gone) still closes the modal: Slack shows no 404s.
    if (!silenced.ok && action.comment !== undefined) return { status: 200, body: JSON.stringify({ response_action: 'errors', errors: { duration: 'this alert group is gone (resolved); nothing was silenced' } }), contentType: 'application/json' };
    return silenced.ok ? { status: 200, body: '' } : { status: 404, body: 'unknown alert group' };
  }
  const result = await escalator.ack(action.groupId, action.by, request.nowMs);
  return result.ok ? { status: 200, body: '' } : { status: 404, body: 'unknown alert group' };
}
