// The demo's replay of a postmortem incident: a short generated recording (days of healthy lead-in,
// then the incident) through the default rule pack and the escalation pipeline in recorded time —
// the same driver and notifier as `sentinel backtest --notify` — with the demo's own Slack server and
// SMTP sink on loopback, printing what arrives at each, paced so a person can follow it.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBacktest } from '../backtest/index.js';
import { formatDiagnostic } from '../config/index.js';
import type { AlertEvent } from '../model/index.js';
import { createReplayNotifier } from '../backtest/replay-notifier.js';
import { loadRules } from '../rules/index.js';
import { withRuleText } from '../rules/rule-text.js';
import { ChartHistory } from '../escalate/chart-history.js';
import { generateRecording } from '../simulate/recording-generator.js';
import type { Incident, ScenarioName } from '../simulate/recording-generator.js';
import { emailArrival, formatArrival, IncidentTimeline, recordedTime, SlackArrivals, summaryParagraph, type Arrival } from './arrivals.js';
import { Pacer, playSegments, type PlaySegment, type Speed } from './pacer.js';
import { DEMO_ENV, DEMO_SLACK_CHANNEL, writeDemoPolicy } from './policy.js';
import { startDemoSinks, type DemoSinks } from './sinks/index.js';
import { makeDemoTempDir, removeDemoTempDir } from './temp-dirs.js';

export type IncidentScenario = Exclude<ScenarioName, 'quiet_fortnight'>;
export const INCIDENT_SCENARIOS: readonly IncidentScenario[] = ['error_code_shift', 'query_timeout', 'success_drop', 'zones_unhealthy'];

/** The rule pack shipped beside dist/ (and beside src/ in the repo), wherever the command runs from. */
export const DEFAULT_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

/** `speed: 'auto'` plays the incident, from a little before it to its resolve, in about this long. */
const AUTO_PLAY_WALL_MS = 20_000;
const HOLD_MS = 800;
/** A healthy lead-in of two days, then the incident on the third: enough for every rule to warm up. */
export const DEMO_RECORDING_DAYS = 3;

export interface IncidentReplayOptions {
  readonly scenario: IncidentScenario;
  readonly seed: number;
  /** Recorded ms per wall ms, 'auto' (the incident in ~20 s) or 'max' (no pacing). */
  readonly speed: Speed | 'auto';
  readonly rulesDir?: string;
  readonly out: (text: string) => void;
  /** Aborting stops the replay at the next scrape (Ctrl-C, --duration). */
  readonly signal?: AbortSignal;
  /** Sees what the local Slack and SMTP sink received, before they close (tests, evidence). */
  readonly received?: (sinks: DemoSinks) => void | Promise<void>;
}

export interface IncidentReplayResult {
  readonly incident: Incident;
  readonly timeline: IncidentTimeline;
  /** False when the signal stopped it before the end of the recording. */
  readonly completed: boolean;
}

export async function replayIncident(options: IncidentReplayOptions): Promise<IncidentReplayResult> {
  const { out, signal } = options;
  const rules = await loadRules(options.rulesDir ?? DEFAULT_RULES_DIR);
  if (!rules.ok) throw new Error(`the rule pack does not load:\n${rules.diagnostics.map(formatDiagnostic).join('\n')}`);
  const dir = await makeDemoTempDir();
  const sinks = await startDemoSinks() // loopback only, whatever --host says for /metrics;
  try {
    const policyFile = await writeDemoPolicy(dir, { slackApiUrl: sinks.slack.url, smtpPort: sinks.smtp.port });
    const truth = generateRecording({ scenario: options.scenario, seed: options.seed, days: DEMO_RECORDING_DAYS, out: join(dir, 'recording.om') });
    const incident = truth.incident!;
    const segments = playSegments(incident, options.speed, AUTO_PLAY_WALL_MS);
    const pacer = new Pacer({ segments, holdMs: options.speed === 'max' ? 0 : HOLD_MS, sleep: (ms) => abortableSleep(ms, signal) });
    const playFromMs = segments[0]?.fromMs ?? incident.startMs;
    out(
      `── replaying a postmortem: ${options.scenario} (seed ${options.seed}) ──\n` +
        `recording: ${truth.scrapes} scrapes of ${truth.series} series, ${recordedTime(truth.startMs)} to ${recordedTime(truth.endMs)} (generated, seeded)\n` +
        `local Slack: ${sinks.slack.url}   SMTP sink: 127.0.0.1:${sinks.smtp.port}\n` +
        `recording and escalation policy in ${dir} (removed at exit; examples/sentinel.yaml is the policy's shape)\n` +
        `fast-forwarding ${Math.round((playFromMs - truth.startMs) / 3_600_000)} h of healthy traffic while the rules learn normal, then ${describePlay(segments)}.\n\n`,
    );

    // Deliveries happen inside notifier.handle(), at the scrape's recorded time: the sinks print with it.
    let recordedNow = truth.startMs;
    const timeline = new IncidentTimeline(DEMO_SLACK_CHANNEL);
    const arrived: Arrival[] = [];
    const slackArrivals = new SlackArrivals();
    sinks.slack.onCall = (call) => {
      // The server keeps a post's message just before calling back: the last one is this call's.
      const stored = call.method === 'chat.postMessage' ? sinks.slack.messages.at(-1) : undefined;
      const a = slackArrivals.from(call, recordedNow, stored);
      if (a) arrived.push(a);
    };
    sinks.smtp.onMail = (mail) => arrived.push(emailArrival(mail, recordedNow));
    const printArrivals = async (): Promise<void> => {
      if (arrived.length === 0) return;
      for (const a of arrived.splice(0)) {
        timeline.add(a);
        out(formatArrival(a));
      }
      await pacer.hold();
    };

    const charts = new ChartHistory();
    const notifier = await createReplayNotifier(policyFile, { env: DEMO_ENV, log: (line) => out(`escalation: ${line}\n`) });
    let completed = true;
    try {
      await runBacktest(rules.rules, truth.file!, {
        onBatch: async (events, batch, measure) => {
          if (signal?.aborted) throw new ReplayStopped();
          await pacer.reach(batch.atMs);
          recordedNow = batch.atMs;
          for (const e of events) if (e.state !== 'pending' && e.severity === 'critical') out(formatTransition(e));
          await notifier.handle(charts.observe(withRuleText(rules.rules, events), batch.atMs, measure), batch.atMs);
          await printArrivals();
        },
      });
    } catch (error) {
      if (!(error instanceof ReplayStopped) && !signal?.aborted) throw error;
      completed = false;
      out(`\nreplay stopped at ${recordedTime(recordedNow)}.\n`);
    }
    await notifier.finish(recordedNow);
    await printArrivals().catch(() => undefined);
    out('\n' + summaryParagraph(incident, timeline) + '\n');
    await options.received?.(sinks);
    return { incident, timeline, completed };
  } finally {
    await sinks.close();
    await removeDemoTempDir(dir);
  }
}

class ReplayStopped extends Error {}

function describePlay(segments: readonly PlaySegment[]): string {
  if (segments.length === 0) return 'the incident flat out (--speed max)';
  const pace = (s: PlaySegment) => `${recordedTime(s.fromMs)}–${recordedTime(s.toMs)} at ${Math.round(s.speed)}x (a recorded minute every ${(60 / s.speed).toFixed(2)} s)`;
  return `playing\n  ${segments.map(pace).join(',\n  then ')}`;
}

/** The detector's own transitions, labels only (the summary template is never printed). */
function formatTransition(e: AlertEvent): string {
  const labels = Object.entries(e.labels).map(([k, v]) => `${k}=${v}`).join(' ');
  return `[${recordedTime(e.atMs)}] detector: ${e.rule} ${e.state} (${labels})\n`;
}

function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
