// How a notification reads in Slack (block kit, one message per group, history in its thread) and in
// e-mail (plain text and HTML). Every line carries the notifying clock's "at", so a replay in recorded
// time shows when each message would have arrived.
import { SILENCE_MODAL_ACTION_ID } from './silence-modal.js';
import { describeAlert, formatAt, formatSpan, type AlertLine, type NotificationView } from './notification.js';

export const ACK_ACTION_ID = 'sentinel_ack';
/** Slack's Silence buttons: fixed choices, each `sentinel_silence_<duration>`, the group id as value. */
export const SILENCE_CHOICES = [['1h', 3_600_000], ['4h', 4 * 3_600_000], ['24h', 24 * 3_600_000]] as const;
export const SILENCE_ACTION_PREFIX = 'sentinel_silence_';
/** The runbook link button: Slack still posts the click, which is answered 200 and otherwise ignored. */
export const RUNBOOK_ACTION_ID = 'sentinel_runbook';
const MAX_LINES = 10;

function statusWord(v: NotificationView): string {
  return v.status === 'firing' ? 'FIRING' : 'RESOLVED';
}

/** The one line both receivers lead with: Slack's title and the e-mail subject.
 *  `[FIRING] Routing flows unhealthy in zones eu-west-2a, eu-west-2b since 2026-11-23 02:43 UTC`. */
export function headline(v: NotificationView): string {
  return v.status === 'firing'
    ? `[${statusWord(v)}] ${v.title} since ${formatAt(v.sinceMs)}`
    : `[${statusWord(v)}] ${v.title} (was firing since ${formatAt(v.sinceMs)})`;
}

function facts(v: NotificationView): string[] {
  // The title names up to three codes and operations; list them here only when it could not name all.
  const named = (values: readonly string[]) => values.every((value) => v.title.includes(value));
  const lines: string[] = [];
  if (v.errorCodes.length > 0 && !named(v.errorCodes)) lines.push(`error code ${v.errorCodes.join(', ')}`);
  if (v.operations.length > 0 && !named(v.operations)) lines.push(`operations: ${v.operations.join(', ')}`);
  lines.push(`${v.firing.length} firing, ${v.resolved.length} resolved`);
  return lines;
}

function alertList(lines: readonly AlertLine[], verb: string): string[] {
  // The rule's summary leads; the labels and the explanation in words follow (message-content.ts).
  const shown = lines.slice(0, MAX_LINES).map((a) => `${verb} ${a.content.summary ? `${a.content.summary} — ` : ''}${describeAlert(a)} (${a.content.explanation})`);
  if (lines.length > MAX_LINES) shown.push(`... and ${lines.length - MAX_LINES} more`);
  return shown;
}

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly unknown[];
}

export function slackMessage(v: NotificationView): SlackMessage {
  const icon = v.status === 'resolved' ? ':white_check_mark:' : v.severity === 'critical' ? ':rotating_light:' : ':warning:';
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `${icon} *${escapeSlack(headline(v))}*\n${escapeSlack(facts(v).join(' · '))}` } },
  ];
  const list = [...alertList(v.firing, '•'), ...alertList(v.resolved, '✓')];
  if (list.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escapeSlack(list.join('\n')) } });
  const runbookButtons = v.runbooks.slice(0, 2).map((url, i) => ({ type: 'button', action_id: `${RUNBOOK_ACTION_ID}_${i}`, text: { type: 'plain_text', text: 'Runbook' }, url }));
  if (v.silenced) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlack(`Silenced by ${v.silenced.by} until ${formatAt(v.silenced.untilMs)}${v.silenced.comment ? `: ${v.silenced.comment}` : ''}`) }] });
  }
  if (v.ack) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlack(`Acknowledged by ${v.ack.by} at ${formatAt(v.ack.atMs)}`) }] });
    if (runbookButtons.length > 0) blocks.push({ type: 'actions', block_id: 'sentinel_links', elements: runbookButtons });
  } else if (v.status === 'firing') {
    const silenceButtons = SILENCE_CHOICES.map(([label]) => ({ type: 'button', action_id: `${SILENCE_ACTION_PREFIX}${label}`, text: { type: 'plain_text', text: `Silence ${label}` }, value: v.groupId }));
    blocks.push({
      type: 'actions',
      block_id: 'sentinel_actions',
      elements: [{ type: 'button', action_id: ACK_ACTION_ID, text: { type: 'plain_text', text: 'Acknowledge' }, style: 'primary', value: v.groupId }, ...silenceButtons, ...runbookButtons],
    });
    // Another length, and the reason on record: a modal (silence-modal.ts) opened by this button.
    blocks.push({
      type: 'section', block_id: 'sentinel_silence_more', text: { type: 'mrkdwn', text: 'Another duration, or a reason on record?' },
      accessory: { type: 'button', action_id: SILENCE_MODAL_ACTION_ID, text: { type: 'plain_text', text: 'Silence…' }, value: v.groupId },
    });
  } else if (runbookButtons.length > 0) {
    blocks.push({ type: 'actions', block_id: 'sentinel_links', elements: runbookButtons });
  }
  const footer = [`updated at ${formatAt(v.atMs)}`, `group ${v.groupId}`];
  if (v.dashboardLink) footer.push(`<${v.dashboardLink}|dashboard>`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: footer.join(' · ') }] });
  // The top-level text is what notifications and screen readers show: escaped like the blocks, so a
  // label value cannot smuggle in <!channel> or a link.
  return { text: escapeSlack(`${headline(v)} (at ${formatAt(v.atMs)})`), blocks };
}

/** The thread reply that records one change in the group's history. */
export function slackHistoryLine(v: NotificationView): string {
  return escapeSlack(`at ${formatAt(v.atMs)}: ${v.changes.join('; ')}`);
}

export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export function emailMessage(v: NotificationView): EmailMessage {
  const what = v.rule.replace(/_/g, ' ');
  const subject = headline(v);
  const rows: [string, string][] = [
    ['What broke', `${what} (${v.severity})`],
    ['Partner', v.partner ? `${v.partner.name} (${v.partner.key})` : v.partners.length > 0 ? v.partners.join(', ') : 'not partner-specific'],
    ['Operations', v.operations.join(', ') || 'all'],
    ['Error code', v.errorCodes.join(', ') || 'none reported'],
    ['Since', `${formatAt(v.sinceMs)} (${formatSpan(v.atMs - v.sinceMs)} before this message)`],
    ['Status', statusLine(v)],
    ['Sent at', formatAt(v.atMs)],
  ];
  if (v.dashboardLink) rows.push(['Dashboard', v.dashboardLink]);
  for (const url of v.runbooks) rows.push(['Runbook', url]);
  if (v.silenced) rows.push(['Silenced', `by ${v.silenced.by} until ${formatAt(v.silenced.untilMs)}`]);
  const list = [...alertList(v.firing, 'firing:'), ...alertList(v.resolved, 'resolved:')];
  const note = v.partner?.escalationNote;
  const closing = 'This message carries alert labels only, never patient data.';
  const text = [
    `Integration Sentinel: ${subject}`,
    '',
    ...rows.map(([k, val]) => `${k}: ${val}`),
    '',
    'Affected series:',
    ...list.map((l) => `  ${l}`),
    ...(note ? ['', `Escalation note for ${v.partner!.name}: ${note}`] : []),
    '',
    closing,
    '',
  ].join('\n');
  const html = [
    `<h2>${escapeHtml(subject)}</h2>`,
    '<table>',
    ...rows.map(([k, val]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${k === 'Dashboard' || k === 'Runbook' ? `<a href="${escapeHtml(val)}">${escapeHtml(val)}</a>` : escapeHtml(val)}</td></tr>`),
    '</table>',
    '<h3>Affected series</h3>',
    `<ul>${list.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`,
    ...(note ? [`<p><strong>Escalation note for ${escapeHtml(v.partner!.name)}:</strong> ${escapeHtml(note)}</p>`] : []),
    `<p><small>${escapeHtml(closing)}</small></p>`,
  ].join('\n');
  return { subject, text, html };
}

function statusLine(v: NotificationView): string {
  if (v.status === 'resolved') return 'resolved';
  const parts = [v.ack ? `acknowledged by ${v.ack.by} at ${formatAt(v.ack.atMs)}` : 'not acknowledged'];
  if (v.escalatedAfterMs !== undefined) parts.push(`escalated to you after ${formatSpan(v.escalatedAfterMs)} without acknowledgement`);
  parts.push(v.changes.join('; '));
  return `firing, ${parts.join('; ')}`;
}

/** Slack's three control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
