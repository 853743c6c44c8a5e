// The one rule most service tests page on: a partner answering 401s at more than 0.1 a second. Written
// once so the tests that drive `sentinel run` into an incident agree on what the incident is.
export function authFailuresRules(options: { name?: string; for?: string; summary?: string; runbook?: string } = {}): string {
  return `rules:
  - name: ${options.name ?? 'partner_auth_failures'}
    kind: threshold
    select: integration_requests_total{outcome="auth_error"}
    by: [partner]
    rate_window: 2m
    op: '>'
    value: 0.1
    for: ${options.for ?? '1m'}
    severity: critical
    summary: '${options.summary ?? '{{ $labels.partner }} answers 401s'}'
${options.runbook ? `    runbook: ${options.runbook}\n` : ''}`;
}
