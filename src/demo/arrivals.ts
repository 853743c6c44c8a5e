// What reaches the demo's local Slack server and SMTP sink, as one line each with the recorded time it
// arrived ("[Tue 03:14] Slack #integrations: :rotating_light: ..."), and the incident's timeline for
// the closing paragraph. Only what the receivers really got is printed: the sinks are the source.
import type { SlackCall, StoredMessage } from './sinks/local-slack.js';
import type { ReceivedMail } from './sinks/smtp-sink.js';

export type Arrival =
  | {
      readonly kind: 'slack';
      readonly atMs: number;
      /** `#name` as the policy wrote it (Slack's answers and updates use the channel id). */
      readonly channel: string;
      readonly change: 'posted' | 'updated' | 'thread';
      /** The top-level message this is, updates or replies to. */
      readonly messageTs: string;
      readonly text: string;
    }
  | { readonly kind: 'email'; readonly atMs: number; readonly to: readonly string[]; readonly subject: string };

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `Tue 03:14`: recordings are written in UTC, and their day of the week matters (nights, weekends). */
export function recordedTime(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** The escalation's own timestamps (`2026-03-07 01:16 UTC`) in the demo's short form. */
function shortenTimes(text: string): string {
  return text.replace(/\b(\d{4}-\d\d-\d\d \d\d:\d\d) UTC\b/g, (_, t: string) => recordedTime(Date.parse(`${t.replace(' ', 'T')}:00Z`)));
}

function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The first block's mrkdwn (icon, headline, facts) reads best in a terminal; `text` is the fallback. */
function slackSummary(args: Record<string, unknown>, headlineOnly: boolean): string {
  const blocks = Array.isArray(args.blocks) ? (args.blocks as { text?: { text?: unknown } }[]) : [];
  const first = blocks[0]?.text?.text;
  const raw = typeof first === 'string' ? first : String(args.text ?? '');
  const lines = unescapeSlack(raw).replace(/\*/g, '').split('\n');
  return shortenTimes(headlineOnly ? lines[0]! : lines.join(' · '));
}

/** Turns the Web API calls the local Slack server accepts into arrivals, naming channels as the policy does. */
export class SlackArrivals {
  private readonly channelNames = new Map<string, string>();

  /** `stored`: the message the server kept for this call (for a post, the one it just created). */
  from(call: SlackCall, atMs: number, stored: StoredMessage | undefined): Arrival | undefined {
    const channel = String(call.args.channel ?? '');
    if (call.method === 'chat.postMessage' && stored) {
      if (channel.startsWith('#')) this.channelNames.set(stored.channel, channel);
      const thread = stored.threadTs !== undefined;
      return {
        kind: 'slack', atMs, channel: this.name(stored.channel), change: thread ? 'thread' : 'posted', messageTs: stored.threadTs ?? stored.ts,
        text: thread ? shortenTimes(unescapeSlack(String(call.args.text ?? ''))) : slackSummary(call.args, false),
      };
    }
    if (call.method === 'chat.update') {
      return { kind: 'slack', atMs, channel: this.name(channel), change: 'updated', messageTs: String(call.args.ts ?? ''), text: slackSummary(call.args, true) };
    }
    return undefined; // lookups (conversations.*) deliver nothing
  }

  private name(channelId: string): string {
    return this.channelNames.get(channelId) ?? channelId;
  }
}

export function emailArrival(mail: ReceivedMail, atMs: number): Arrival {
  return { kind: 'email', atMs, to: mail.to, subject: shortenTimes(mail.subject) };
}

export function formatArrival(a: Arrival): string {
  const at = `[${recordedTime(a.atMs)}]`;
  if (a.kind === 'email') return `${at} e-mail to ${a.to.join(', ')}: subject "${a.subject}"\n`;
  if (a.change === 'thread') return `${' '.repeat(at.length)} ↳ ${a.channel} thread: ${a.text}\n`;
  return `${at} Slack ${a.channel}${a.change === 'updated' ? ', message updated' : ''}: ${a.text}\n`;
}

/** The moments the closing paragraph tells, taken from what arrived: the page is the first message
 *  posted to `pageChannel`, its resolve the update of that same message that says RESOLVED. */
export class IncidentTimeline {
  readonly pageChannel: string;
  pagedAtMs: number | undefined;
  private pageTs: string | undefined;
  emailedAtMs: number | undefined;
  emailedTo: readonly string[] = [];
  resolvedAtMs: number | undefined;
  slackCalls = 0;
  emails = 0;

  constructor(pageChannel: string) {
    this.pageChannel = pageChannel;
  }

  add(a: Arrival): void {
    if (a.kind === 'email') {
      this.emails++;
      if (this.emailedAtMs === undefined) {
        this.emailedAtMs = a.atMs;
        this.emailedTo = a.to;
      }
      return;
    }
    this.slackCalls++;
    if (a.change === 'posted' && a.channel === this.pageChannel && this.pageTs === undefined) {
      this.pagedAtMs = a.atMs;
      this.pageTs = a.messageTs;
    }
    if (a.change !== 'thread' && a.messageTs === this.pageTs && a.text.includes('[RESOLVED]')) this.resolvedAtMs ??= a.atMs;
  }
}

export interface IncidentFacts {
  readonly description: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** One paragraph: incident started at X, paged at Y (N minutes later), e-mailed at Z, resolved at W. */
export function summaryParagraph(incident: IncidentFacts, t: IncidentTimeline): string {
  const minutes = (ms: number): string => {
    const total = Math.round(ms / 60_000);
    const [h, m] = [Math.floor(total / 60), total % 60];
    const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
    return h === 0 ? count(m, 'minute') : m === 0 ? count(h, 'hour') : `${count(h, 'hour')} ${count(m, 'minute')}`;
  };
  const parts = [`The incident (${incident.description}) started at ${recordedTime(incident.startMs)}.`];
  if (t.pagedAtMs === undefined) parts.push(`Nobody was paged in ${t.pageChannel}.`);
  else parts.push(`Slack ${t.pageChannel} was paged at ${recordedTime(t.pagedAtMs)}, ${minutes(t.pagedAtMs - incident.startMs)} after it started.`);
  if (t.emailedAtMs !== undefined) {
    const after = t.pagedAtMs !== undefined ? `, ${minutes(t.emailedAtMs - t.pagedAtMs)} after the page, nobody having acknowledged it` : '';
    parts.push(`${t.emailedTo.join(', ')} ${t.emailedTo.length === 1 ? 'was' : 'were'} e-mailed at ${recordedTime(t.emailedAtMs)}${after}.`);
  } else parts.push('No e-mail was sent.');
  if (t.resolvedAtMs === undefined) parts.push(`The incident ended at ${recordedTime(incident.endMs)}; no resolve had reached Slack when the replay stopped.`);
  else if (t.resolvedAtMs >= incident.endMs) parts.push(`The incident ended at ${recordedTime(incident.endMs)} and the resolve reached Slack at ${recordedTime(t.resolvedAtMs)}.`);
  else parts.push(`Slack was told it resolved at ${recordedTime(t.resolvedAtMs)}, ${minutes(incident.endMs - t.resolvedAtMs)} before the incident really ended at ${recordedTime(incident.endMs)}: the rule stopped seeing it.`);
  parts.push(`In all: ${t.slackCalls} Slack call${t.slackCalls === 1 ? '' : 's'} (posts, updates, thread replies) and ${t.emails} e-mail${t.emails === 1 ? '' : 's'}.`);
  return wrap(parts.join(' '), 100) + '\n';
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}
