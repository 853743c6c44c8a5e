// Small stand-ins for the detector and escalator, so the service's own behaviour (scraping, ordering,
// persistence, HTTP) is tested alone; real-parts.test.ts and kill-restart.test.ts wire the real ones.
import { z } from 'zod';
import { loadYamlFile } from '../../../src/config/index.js';
import type { DetectorState } from '../../../src/detect/types.js';
import type { AlertEvent, SampleBatch } from '../../../src/model/index.js';
import type { AckResult, AlertGroupView, Escalator, ReceiverCounters, SilenceInput, SilenceView } from '../../../src/escalate/types.js';
import type { SlackAction } from '../../../src/service/slack-interaction.js';
import type { EscalationPolicy } from '../../../src/policy/types.js';
import type { DurableStore } from '../../../src/store/index.js';
import type { DetectorPort } from '../../../src/service/types.js';

/** Rules: one threshold per metric; the alert fires when any sample of it is above the bound for `for_steps` evaluations. */
const fakeRulesSchema = z.strictObject({
  threshold: z.strictObject({ metric: z.string(), above: z.number(), for_steps: z.number().int().min(0).default(0) }),
});
export type FakeRules = z.output<typeof fakeRulesSchema>;

interface FakeState extends Record<string, unknown> {
  version: number;
  steps: number;
  highFor: number;
  firing: boolean;
  since: number;
  /** Stands in for a learned baseline: must survive a restart. */
  learned: number;
}

export function fakeDetector(onStep?: (batch: SampleBatch) => void): DetectorPort<FakeRules> {
  return {
    loadRules: (path) => loadYamlFile(path, fakeRulesSchema),
    open(initialRules, snapshot) {
      let rules = initialRules;
      let s: FakeState = snapshot ? { ...(snapshot as FakeState) } : { version: 1, steps: 0, highFor: 0, firing: false, since: 0, learned: 0 };
      return {
        snapshot: (): DetectorState => ({ ...s }),
        setRules: (next) => {
          rules = next;
        },
        step(batch) {
          onStep?.(batch);
          s = { ...s, steps: s.steps + 1 };
          const values = batch.samples.filter((x) => x.name === rules.threshold.metric).map((x) => x.value);
          if (values.length === 0) return [];
          s.learned += values.length;
          const high = values.some((v) => v > rules.threshold.above);
          const events: AlertEvent[] = [];
          const event = (state: AlertEvent['state']): AlertEvent => ({
            id: `fake_threshold{partner="acme"}`,
            rule: 'fake_threshold',
            state,
            severity: 'critical',
            labels: { partner: 'acme' },
            at: new Date(batch.atMs).toISOString(),
            atMs: batch.atMs,
            value: Math.max(...values),
            summary: 'acme is above its bound',
            activeSinceMs: s.since,
          });
          if (high) {
            s.highFor += 1;
            if (s.highFor === 1) s.since = batch.atMs;
            if (!s.firing && s.highFor > rules.threshold.for_steps) {
              s.firing = true;
              events.push(event('firing'));
            }
          } else {
            if (s.firing) events.push(event('resolved'));
            s.firing = false;
            s.highFor = 0;
          }
          return events;
        },
      };
    },
  };
}

/** Records what the service hands it; silences kept in memory; Slack requests accepted only with the right header. */
export class FakeEscalator implements Escalator {
  readonly handled: Array<{ events: readonly AlertEvent[]; nowMs: number }> = [];
  readonly ticks: number[] = [];
  readonly acks: Array<{ id: string; by: string }> = [];
  policies: EscalationPolicy[] = [];
  readonly #silences: SilenceView[] = [];
  closed = false;
  readonly store: DurableStore;

  constructor(store: DurableStore, policy: EscalationPolicy) {
    this.store = store;
    this.policies.push(policy);
  }

  async handle(events: readonly AlertEvent[], nowMs: number): Promise<void> {
    this.handled.push({ events, nowMs });
    // Persisted like the real one, so ordering against the service's snapshot can be observed.
    await this.store.write('fake-escalator', { handled: this.handled.length });
  }
  /** The fake's outbox is always empty: nothing is left to deliver. */
  async deliver(_nowMs: number): Promise<void> {}

  async tick(nowMs: number): Promise<void> {
    this.ticks.push(nowMs);
  }
  async ack(id: string, by: string): Promise<AckResult> {
    if (!id.startsWith('fake_threshold')) return { ok: false, reason: 'not_found' };
    this.acks.push({ id, by });
    return { ok: true, groupId: 'group-1' };
  }
  async silenceGroup(): Promise<{ ok: false; reason: string }> {
    return { ok: false, reason: 'not_found' };
  }
  readonly silences = {
    list: (): SilenceView[] => [...this.#silences],
    get: (id: string): SilenceView | undefined => this.#silences.find((s) => s.id === id),
    create: async (input: SilenceInput, nowMs: number): Promise<SilenceView> => {
      const view: SilenceView = {
        id: `s${this.#silences.length + 1}`,
        matchers: input.matchers.map((m) => (typeof m === 'string' ? { label: 'x', op: '=' as const, value: m } : m)),
        startsAtMs: input.startsAtMs ?? nowMs,
        endsAtMs: input.endsAtMs,
        createdBy: input.createdBy,
        comment: input.comment,
        updatedAtMs: nowMs,
        status: 'active',
      };
      this.#silences.push(view);
      return view;
    },
    expire: async (id: string): Promise<boolean> => {
      const i = this.#silences.findIndex((s) => s.id === id);
      if (i < 0) return false;
      this.#silences.splice(i, 1);
      return true;
    },
  };
  groups(): AlertGroupView[] {
    return [];
  }
  counters(): Readonly<Record<string, ReceiverCounters>> {
    return { oncall: { sent: 3, failed: 1, pending: 2 } };
  }
  async reload(policy: EscalationPolicy): Promise<void> {
    this.policies.push(policy);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** The service's Slack check for tests with the FakeEscalator: `v0=good` is the one good signature, and
 *  any `payload=` body acknowledges the fake's alert. */
export function fakeSlackAction(rawBody: string, headers: Readonly<Record<string, string | string[] | undefined>>): SlackAction {
  if (headers['x-slack-signature'] !== 'v0=good' || !rawBody.startsWith('payload=')) return { kind: 'rejected', reason: 'bad signature' };
  return { kind: 'ack', groupId: 'fake_threshold{partner="acme"}', by: 'dana (Slack)' };
}
