// Public API of integration-sentinel. Each part of the system re-exports its user-facing surface here.
export type { Labels, Sample, SampleBatch, AlertEvent, Severity, TransitionState, DetectorState } from './detect/types.js';
export * from './shim/index.js';
export * from './rules/index.js';
export * from './detect/index.js';
export { createEscalator } from './escalate/escalator.js';
export { createReplayNotifier } from './escalate/replay.js';
export { loadPolicyFile, policyFromRaw } from './escalate/policy.js';
export { escalationSchema, contactsFileSchema } from './escalate/schema.js';
export { verifySlackRequest, signSlackRequest } from './escalate/slack-verify.js';
export { SilenceError } from './escalate/silences.js';
export type { EscalationPolicy, Escalator, EscalatorOptions, Route, Receiver, InhibitRule, EscalationStep, Silence, SilenceInput, SilenceView, AlertGroupView, ReceiverCounters, AckResult, InteractionResult } from './escalate/types.js';
export { readRecording, parseExposition, newReadStats, SeriesInterner } from './ingest/index.js';
export type { MalformedLine, ReadStats, ReadRecordingOptions, ParseExpositionOptions } from './ingest/index.js';
