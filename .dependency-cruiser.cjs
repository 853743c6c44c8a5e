// The allowed arrows between the parts of src/ (one folder a part). `npm run lint:deps` checks them,
// and .ci/run fails on any forbidden import. Read an arrow as "FROM may not import TO".
const part = (name) => `^src/${name}/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A loop between modules means two parts that cannot be understood (or tested) apart. Type-only imports erase at build time and do not count.',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'model-is-the-bottom',
      severity: 'error',
      comment: 'model/ holds the shared words (labels, samples, alerts, metric names, statistics); it imports nothing of ours.',
      from: { path: part('model') },
      to: { path: '^src/', pathNot: part('model') },
    },
    {
      name: 'detect-is-pure',
      severity: 'error',
      comment: 'The detector is a pure step: it never reaches for the service, escalation, the CLI or compile targets.',
      from: { path: part('detect') },
      to: { path: `^src/(service|escalate|policy|cli|compile|backtest|demo|shim)/` },
    },
    {
      name: 'escalate-knows-no-detector',
      severity: 'error',
      comment: 'Escalation consumes alert events (model/) and the policy (policy/); it never imports the detector.',
      from: { path: part('escalate') },
      to: { path: `^src/(detect|service|cli|compile|backtest|demo)/` },
    },
    {
      name: 'policy-is-data',
      severity: 'error',
      comment: 'The escalation policy (types, schema, loading, matchers) is read by escalate, service and compile; it imports none of them.',
      from: { path: part('policy') },
      to: { path: `^src/(detect|escalate|service|cli|compile|backtest|demo)/` },
    },
    {
      name: 'shim-stands-alone',
      severity: 'error',
      comment: "A user's service imports the shim: it may use model/ and nothing else of ours.",
      from: { path: part('shim') },
      to: { path: '^src/', pathNot: `^src/(shim|model)/` },
    },
    {
      name: 'shim-recording-path-is-api-only',
      severity: 'error',
      comment: 'Only shim/telemetry/ loads the OpenTelemetry SDK, the exporter and node:http; the recording path needs @opentelemetry/api alone.',
      from: { path: part('shim'), pathNot: '^src/shim/telemetry/' },
      to: { path: ['@opentelemetry/sdk-', '@opentelemetry/exporter-', '@opentelemetry/resources', '^http$', '^node:http$'] },
    },
    {
      name: 'rules-below-the-engines',
      severity: 'error',
      comment: 'Rule files are parsed into types that detect, compile and service read; rules never imports them back.',
      from: { path: part('rules') },
      to: { path: `^src/(detect|service|escalate|cli|compile|backtest|demo)/` },
    },
    {
      name: 'ingest-reads-data-only',
      severity: 'error',
      comment: 'Readers of recordings, Prometheus and OTLP turn bytes into samples; what a rule pack reads is asked of detect/rule-selectors.ts by their callers.',
      from: { path: part('ingest') },
      to: { path: `^src/(detect|service|escalate|policy|cli|compile|backtest|demo)/` },
    },
    {
      name: 'only-the-cli-reads-argv',
      severity: 'error',
      comment: 'Library parts never import the command-line layer.',
      from: { path: '^src/', pathNot: part('cli') },
      to: { path: part('cli') },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    exclude: { path: '^dist/' },
  },
};
