import { describe, expect, it } from 'vitest';
import { parseExposition, SeriesInterner, type MalformedLine } from '../../src/ingest/index.js';

describe('parsing a live scrape', () => {
  const body = [
    '# HELP integration_requests Partner calls.',
    '# TYPE integration_requests counter',
    'integration_requests_total{partner="acme_ehr",operation="GET /patients/{id}",outcome="success"} 1831',
    'integration_requests_total{outcome="auth_error",error_code="token_expired",partner="acme_ehr",operation="GET /patients/{id}"} 4',
    'garbage here',
    'integration_routing_flows{zone="eu-west-2a",state="healthy"} 10 1700000000000',
    '# EOF',
  ].join('\n');

  it('stamps samples without a timestamp with now, keeps explicit ones, and names the target', () => {
    const problems: MalformedLine[] = [];
    const samples = parseExposition(body, { target: 'demo:9464', nowMs: 1_700_000_123_000, onMalformed: (m) => problems.push(m) });
    expect(samples.map((s) => [s.name, s.value, s.timestampMs, s.target])).toEqual([
      ['integration_requests_total', 1831, 1_700_000_123_000, 'demo:9464'],
      ['integration_requests_total', 4, 1_700_000_123_000, 'demo:9464'],
      ['integration_routing_flows', 10, 1_700_000_000_000, 'demo:9464'],
    ]);
    expect(samples[1]!.series).toBe('integration_requests_total{error_code="token_expired",operation="GET /patients/{id}",outcome="auth_error",partner="acme_ehr"}');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'demo:9464', line: 5, text: 'garbage here' });
    expect(problems[0]!.message).toMatch(/^demo:9464:5: /);
  });

  it('shares Labels objects across scrapes when given one interner', () => {
    const interner = new SeriesInterner();
    const a = parseExposition(body, { target: 't', nowMs: 1, interner });
    const b = parseExposition(body, { target: 't', nowMs: 2, interner });
    expect(b[0]!.labels).toBe(a[0]!.labels);
    expect(interner.size).toBe(3);
  });

  it('treats a label with an empty value as absent, as Prometheus does', () => {
    const [a, b] = parseExposition('r_total{partner="acme",error_code=""} 1\nr_total{partner="acme"} 2\n', { target: 't', nowMs: 1, interner: new SeriesInterner() });
    expect(a!.labels).toEqual({ partner: 'acme' });
    expect(a!.series).toBe('r_total{partner="acme"}');
    expect(b!.labels).toBe(a!.labels);
  });

  it('never throws on arbitrary garbage', () => {
    const junk = ['{}', '}', 'a{', 'a{b', 'a{b=', 'a{b="', 'a{b="\\', 'a 1 2 3', 'a{b="c"}', 'a{b="c"}x 1', '\u0000', 'a NaN', 'a -Inf 5'];
    const problems: MalformedLine[] = [];
    const samples = parseExposition(junk.join('\n'), { target: 't', nowMs: 5, onMalformed: (m) => problems.push(m) });
    expect(samples.map((s) => s.value)).toEqual([NaN, -Infinity]);
    expect(problems.length).toBe(junk.length - 2);
  });
});
