import { describe, expect, it } from 'vitest';
import { parseMatcher } from '../../src/policy/matchers.js';
import { buildPolicy } from '../../src/policy/index.js';
import { DedupStage, InhibitStage, NotifyStage, SetNotifiesStage, SilenceStage, StepWaitStage, type Flush, type IntegrationRef } from '../../src/escalate/stages.js';
import { emptyState, type AlertRecord, type EscalationState, type GroupState, type StepState } from '../../src/escalate/state.js';
import type { EscalationPolicy } from '../../src/policy/types.js';

const NOW = Date.UTC(2026, 10, 20, 2, 30);
const MIN = 60_000;

function policy(extra: Partial<Parameters<typeof buildPolicy>[0]> = {}): EscalationPolicy {
  return buildPolicy({
    route: { receiver: 'slack', group_by: ['rule', 'partner'], repeat_interval: 3_600_000, steps: [{ after: 15 * MIN, receiver: 'mail' }] },
    receivers: [
      { name: 'slack', slack_configs: [{ channel: 'C1' }] },
      { name: 'mail', email_configs: [{ to_partner_contacts: true, smarthost: 'localhost:25', from: 's@x.example' }] },
    ],
    ...extra,
  } as Parameters<typeof buildPolicy>[0], { partners: { elation: { name: 'Elation Health', contacts: [{ name: 'Ops', email: 'ops@elation.example' }] } } });
}

function alert(id: string, labels: Record<string, string>, resolved = false): AlertRecord {
  return { id, labels: { rule: 'error_code_shift', severity: 'critical', ...labels }, severity: 'critical', activeSinceMs: NOW - 20 * MIN, firingSinceMs: NOW - 20 * MIN, value: 1, lastEventAtMs: NOW, resolvedAtMs: resolved ? NOW - MIN : undefined };
}

/** One flush of group g-1 for one receiver's integration, with the state its stages are built on. */
interface NotifyContext extends Flush {
  readonly policy: EscalationPolicy;
  readonly state: EscalationState;
  readonly integration: IntegrationRef;
  readonly step: StepState;
  readonly stepIndex: number;
}

const writerOf = (state: EscalationState) => ({ outbox: state.outbox, emailThreads: state.emailThreads, nextId: () => `n${++state.seq}` });
const dedup = (ctx: NotifyContext) => new DedupStage(ctx.state.nflog, ctx.integration);
const notify = (ctx: NotifyContext) => new NotifyStage(ctx.policy, ctx.state.nflog, writerOf(ctx.state), ctx.integration, { state: ctx.step, index: ctx.stepIndex }, () => undefined);
const setNotifies = (ctx: NotifyContext) => new SetNotifiesStage(ctx.state.nflog, ctx.integration, ctx.step);

function context(opts: { policy?: EscalationPolicy; stepIndex?: number; receiver?: 'slack' | 'mail'; group?: Partial<GroupState>; sources?: Record<string, string>[] } = {}): NotifyContext {
  const p = opts.policy ?? policy();
  const state = emptyState();
  const receiverName = opts.receiver ?? 'slack';
  const group: GroupState = {
    id: 'g-1', key: 'k', route: { ...p.route }, labels: { rule: 'error_code_shift', partner: 'elation' }, createdAtMs: NOW - 20 * MIN, nextFlushAtMs: NOW,
    alerts: {}, steps: [{ receiver: 'slack', afterMs: 0, triggeredAtMs: NOW - 19 * MIN }, { receiver: 'mail', afterMs: 15 * MIN }], ...opts.group,
  };
  state.groups[group.id] = group;
  const stepIndex = opts.stepIndex ?? (receiverName === 'slack' ? 0 : 1);
  const integration = p.receivers.find((r) => r.name === receiverName)!.integrations[0]!;
  return { policy: p, state, group, integration: { receiver: receiverName, config: integration, key: `${receiverName}/${integration.type}/0` }, step: group.steps[stepIndex]!, stepIndex, nowMs: NOW, firingSources: opts.sources ?? [] };
}

describe('InhibitStage', () => {
  const inhibiting = policy({ inhibit_rules: [{ source_matchers: [parseMatcher('rule="routing_flows_unhealthy"')], target_matchers: [parseMatcher('outcome="timeout"')], equal: ['zone'] }] });
  const timeoutA = alert('t-a', { partner: 'elation', outcome: 'timeout', zone: 'a' });
  const timeoutB = alert('t-b', { partner: 'elation', outcome: 'timeout', zone: 'b' });
  it('holds back partner timeouts in a zone whose routing flows are unhealthy, and only in that zone', () => {
    const ctx = context({ policy: inhibiting, sources: [{ rule: 'routing_flows_unhealthy', severity: 'critical', zone: 'a' }] });
    expect(new InhibitStage(ctx.policy.inhibitRules).exec(ctx, [timeoutA, timeoutB]).map((a) => a.id)).toEqual(['t-b']);
  });
  it('lets a resolved alert through so its resolve is never lost', () => {
    const ctx = context({ policy: inhibiting, sources: [{ rule: 'routing_flows_unhealthy', zone: 'a' }] });
    expect(new InhibitStage(ctx.policy.inhibitRules).exec(ctx, [alert('t-a', { outcome: 'timeout', zone: 'a' }, true)])).toHaveLength(1);
  });
});

describe('SilenceStage', () => {
  it('mutes firing alerts an active silence matches and nothing once it has ended', () => {
    const ctx = context();
    ctx.state.silences.push({ id: 's1', matchers: [parseMatcher('partner="elation"')], startsAtMs: NOW - MIN, endsAtMs: NOW + MIN, createdBy: 'dana', comment: 'maintenance', updatedAtMs: NOW });
    const alerts = [alert('a', { partner: 'elation' }), alert('b', { partner: 'quest' })];
    expect(new SilenceStage(ctx.state.silences).exec(ctx, alerts).map((a) => a.id)).toEqual(['b']);
    expect(new SilenceStage(ctx.state.silences).exec({ ...ctx, nowMs: NOW + 2 * MIN }, alerts).map((a) => a.id)).toEqual(['a', 'b']);
  });
});

const stepWait = (ctx: NotifyContext, alerts: readonly AlertRecord[]) => new StepWaitStage(ctx.step).exec(ctx, alerts);

describe('StepWaitStage', () => {
  const firing = [alert('a', { partner: 'elation' })];
  const paged = (minutesAgo: number): Partial<GroupState> => ({
    steps: [{ receiver: 'slack', afterMs: 0, triggeredAtMs: NOW - minutesAgo * MIN }, { receiver: 'mail', afterMs: 15 * MIN }],
  });
  it('holds a later step until `after` has passed since the first page', () => {
    expect(stepWait(context({ receiver: 'mail', group: paged(14) }), firing)).toEqual([]);
    expect(stepWait(context({ receiver: 'mail', group: paged(15) }), firing)).toHaveLength(1);
  });
  it('never escalates an acknowledged group or one with nothing firing', () => {
    expect(stepWait(context({ receiver: 'mail', group: { ack: { by: 'dana', atMs: NOW - MIN } } }), firing)).toEqual([]);
    expect(stepWait(context({ receiver: 'mail' }), [alert('a', {}, true)])).toEqual([]);
  });
});

describe('DedupStage', () => {
  const a = alert('a', { partner: 'elation' });
  const b = alert('b', { partner: 'elation' });
  const logged = (ctx: NotifyContext, entry: { firing: string[]; resolved?: string[]; atMs: number; acked?: boolean }) => {
    ctx.state.nflog['g-1|slack/slack/0'] = { firing: entry.firing, resolved: entry.resolved ?? [], atMs: entry.atMs, acked: entry.acked ?? false, count: 1 };
  };
  it('notifies the first time, when an alert joins, and when one resolves; otherwise only after repeat_interval', () => {
    const ctx = context();
    const stage = dedup(ctx);
    expect(stage.exec(ctx, [a])).toHaveLength(1);
    logged(ctx, { firing: ['a'], atMs: NOW - 10 * MIN });
    expect(stage.exec(ctx, [a])).toEqual([]);
    expect(stage.exec(ctx, [a, b])).toHaveLength(2);
    expect(stage.exec(ctx, [{ ...a, resolvedAtMs: NOW }])).toHaveLength(1);
    logged(ctx, { firing: ['a'], atMs: NOW - 60 * MIN });
    expect(stage.exec(ctx, [a])).toHaveLength(1);
  });
  it('stops repeating once acknowledged, after Slack was told of the ack once', () => {
    const ctx = context({ group: { ack: { by: 'dana', atMs: NOW - MIN } } });
    const stage = dedup(ctx);
    logged(ctx, { firing: ['a'], atMs: NOW - 120 * MIN });
    expect(stage.exec(ctx, [a])).toHaveLength(1);
    logged(ctx, { firing: ['a'], atMs: NOW - 120 * MIN, acked: true });
    expect(stage.exec(ctx, [a])).toEqual([]);
  });
});

describe('NotifyStage and SetNotifiesStage', () => {
  it('writes a rendered notification to the outbox and records what was told', () => {
    const ctx = context({ receiver: 'mail' });
    const alerts = [alert('a', { partner: 'elation', operation: 'GET /patients/{id}', error_code: '403' })];
    notify(ctx).exec(ctx, alerts);
    expect(ctx.state.outbox).toHaveLength(1);
    const entry = ctx.state.outbox[0]!;
    expect(entry).toMatchObject({ integration: 'mail/email/0', receiver: 'mail', groupId: 'g-1', attempts: 0, nextAttemptAtMs: NOW });
    expect(entry.payload).toMatchObject({ kind: 'email', to: ['ops@elation.example'] });
    expect(entry.payload.kind === 'email' && entry.payload.subject).toBe('[FIRING] Elation Health: error code shift (403) in operation GET /patients/{id} since 2026-11-20 02:10 UTC');
    setNotifies(ctx).exec(ctx, alerts);
    expect(ctx.state.nflog['g-1|mail/email/0']).toEqual({ firing: ['a'], resolved: [], atMs: NOW, acked: false, count: 1 });
    expect(ctx.step.triggeredAtMs).toBe(NOW);
  });
  it('keeps quiet about resolves for a receiver with send_resolved: false', () => {
    const p = policy({ receivers: [{ name: 'slack', slack_configs: [{ channel: 'C1', send_resolved: false }] }, { name: 'mail', email_configs: [{ to: ['x@y.example'], smarthost: 'h:25', from: 'f@y.example' }] }] } as never);
    const ctx = context({ policy: p });
    ctx.state.nflog['g-1|slack/slack/0'] = { firing: ['a'], resolved: [], atMs: NOW - MIN, acked: false, count: 1 };
    notify(ctx).exec(ctx, [alert('a', {}, true)]);
    expect(ctx.state.outbox).toEqual([]);
  });
});
