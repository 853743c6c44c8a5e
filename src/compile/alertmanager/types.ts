// Alertmanager 0.25 configuration objects, as `amtool check-config` reads them (snake_case keys).

export interface AmRoute {
  receiver?: string;
  matchers?: string[];
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  continue?: boolean;
  routes?: AmRoute[];
}

export interface AmHttpConfig {
  authorization: { type: 'Bearer'; credentials_file: string };
}

export interface AmSlackConfig {
  send_resolved: boolean;
  api_url: string;
  channel: string;
  http_config: AmHttpConfig;
  title: string;
  text: string;
}

export interface AmEmailConfig {
  send_resolved: boolean;
  to: string;
  from: string;
  smarthost: string;
  auth_username?: string;
  auth_password_file?: string;
  require_tls: boolean;
  headers: Record<string, string>;
  text: string;
  html: string;
}

export interface AmReceiver {
  name: string;
  slack_configs?: AmSlackConfig[];
  email_configs?: AmEmailConfig[];
}

export interface AmInhibitRule {
  source_matchers: string[];
  target_matchers: string[];
  equal?: string[];
}

export interface AmConfig {
  route: AmRoute;
  inhibit_rules: AmInhibitRule[];
  receivers: AmReceiver[];
}

export interface AlertmanagerOptions {
  /** Folder where Alertmanager finds secret files (one per environment variable name of the policy). */
  readonly secretsDir?: string;
  readonly timeScale?: number;
}
