// The sentinel.yaml most service tests start from: one scrape target, Slack as the only receiver, a
// route that pages at once and repeats every 4 h. Tests vary the parts their case is about.
export interface SentinelYamlOptions {
  /** The full URL scraped, e.g. `${target.url}/metrics`. */
  readonly targetUrl: string;
  readonly slackUrl: string;
  /** The rules path, relative to the config file. */
  readonly rules?: string;
  readonly channel?: string;
  /** Read the Slack signing secret from SLACK_SIGNING_SECRET (the interactivity endpoint's check). */
  readonly signingSecret?: boolean;
}

export function sentinelYaml(o: SentinelYamlOptions): string {
  return `listen: { host: 127.0.0.1, port: 0 }
data_dir: ./data
rules: ${o.rules ?? './rules.yaml'}
targets:
  - name: app
    url: ${o.targetUrl}
escalation:
  global:
    slack_api_url: ${o.slackUrl}
    slack_token_env: SLACK_BOT_TOKEN
${o.signingSecret ? '    slack_signing_secret_env: SLACK_SIGNING_SECRET\n' : ''}  route:
    receiver: oncall
    group_by: [rule, partner]
    group_wait: 0s
    group_interval: 1m
    repeat_interval: 4h
  receivers:
    - name: oncall
      slack_configs:
        - channel: ${o.channel ?? 'C0ONCALL'}
`;
}
