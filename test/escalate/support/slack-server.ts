// The local Slack-compatible server lives in src (the demo uses it too); tests use these names.
export { startLocalSlack as startFakeSlack } from '../../../src/demo/sinks/local-slack.ts';
export type { LocalSlack as FakeSlack, SlackCall, StoredMessage } from '../../../src/demo/sinks/local-slack.ts';
