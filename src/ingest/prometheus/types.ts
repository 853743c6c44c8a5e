// Contract of the Prometheus source: where to read, how to authenticate, and what the run could not
// read. Option names follow Prometheus' own `http_config` (authorization, tls_config) so a user can
// copy them from the prometheus.yml that already reaches this server.

/** TLS settings as Prometheus' `tls_config` names them. */
export interface TlsConfig {
  readonly ca_file?: string;
  readonly cert_file?: string;
  readonly key_file?: string;
  readonly insecure_skip_verify?: boolean;
}

export interface PrometheusHttpConfig {
  /** Base URL, e.g. `http://prometheus:9090` (a path prefix such as `/prom` is kept). */
  readonly url: string;
  /** `Authorization: Bearer <token>` when set (read from an env var or a file by the CLI). */
  readonly bearerToken?: string;
  readonly tls?: TlsConfig;
  /** Per request; a slower answer is a failed window (default 60 s). */
  readonly timeoutMs?: number;
}

export interface PrometheusReadOptions extends PrometheusHttpConfig {
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepMs: number;
  /** Series selectors to read (`integration_requests_total{outcome="success"}`). */
  readonly selectors: readonly string[];
  /** Points per series per query; Prometheus refuses more than 11,000 (default 720: 12 h at 1 m). */
  readonly pointsPerQuery?: number;
  /** Windows in flight at once (default 2: more only added contention on the 2-core bench machine). */
  readonly concurrency?: number;
  /** Filled in as the run goes: what was read and what could not be. */
  readonly stats?: PrometheusReadStats;
}

/** A window the run could not read (after one retry): its samples are missing from the backtest. */
export interface UnreadWindow {
  readonly fromMs: number;
  readonly toMs: number;
  readonly query: string;
  readonly reason: string;
}

export interface PrometheusReadStats {
  queries: number;
  samples: number;
  series: number;
  /** Windows done (read or given up), of `windowsTotal`. */
  windowsDone: number;
  windowsTotal: number;
  readonly unread: UnreadWindow[];
  /** Prometheus' own `warnings` (e.g. partial data from a remote store), with the query they came with. */
  readonly warnings: string[];
}
