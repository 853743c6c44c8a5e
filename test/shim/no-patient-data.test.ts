// The healthcare rule: no identifier from a URL, header, body or error message reaches a label.
// 264 URLs (33 identifiers × 8 shapes) go through instrumentFetch against a real partner that echoes
// the path back in a header and in the body; then /metrics is searched for every identifier.
import { describe, expect, it } from 'vitest';
import { instrumentClient, instrumentFetch } from 'integration-sentinel';
import { corpus, IDENTIFIERS } from './identifier-corpus.js';
import { scrape, usePartnerAndTelemetry } from './partner-server.js';

const servers = usePartnerAndTelemetry('privacy-test');

/** Every string of /metrics that is not a sample value: metric names, label names and values, HELP. */
function labelText(metrics: string): string {
  return metrics.split('\n').map((line) => (line.startsWith('#') ? line : line.replace(/ [^ ]+$/, ''))).join('\n');
}

/** The forms an identifier could take in a label: as sent, decoded, and case-folded. */
function forms(identifier: string): string[] {
  const decoded = decodeURIComponent(identifier);
  return [...new Set([identifier, decoded, ...decoded.split(/[\s,.@'/-]+/).filter((p) => p.length >= 4)])].map((f) => f.toLowerCase());
}

function leaks(text: string): string[] {
  const haystack = labelText(text).toLowerCase();
  const found: string[] = [];
  for (const { value } of IDENTIFIERS) for (const f of forms(value)) if (haystack.includes(f)) found.push(`${value} (as "${f}")`);
  return found;
}

describe('no patient data in /metrics', () => {
  it('drives at least 200 URL shapes carrying identifiers and finds none of them in /metrics', async () => {
    const urls = corpus(servers.partner.url);
    expect(urls.length).toBeGreaterThanOrEqual(200);
    const auto = instrumentFetch(fetch, { partner: 'corpus-auto' });
    const routed = instrumentFetch(fetch, { partner: 'corpus-routed', routes: ['/patients/:id', '/fhir/r4/Patient/:id/$everything'] });
    for (const { url, identifier } of urls) {
      const headers = { 'x-patient-ssn': '123-45-6789', 'x-patient-name': decodeURIComponent(identifier) };
      const res = await auto(url, { headers });
      expect(await res.text()).toContain('"ok":true'); // the partner really answered, echoing the data
      await (await routed(url, { method: 'POST', headers })).arrayBuffer();
    }
    const text = await scrape(servers.telemetry.url!);
    expect(leaks(text)).toEqual([]);
    // and the calls were really counted, under templated operations
    expect(text).toContain('partner="corpus-auto",operation="GET /patients/{id}",outcome="success"} 33');
    expect(text).toContain('partner="corpus-auto",operation="GET /fhir/r4/Patient/{id}/$everything",outcome="success"} 33');
    expect(text).toContain('partner="corpus-routed",operation="other",outcome="success"} 198');
  });

  it('keeps error messages and thrown data out of labels', async () => {
    const client = instrumentClient({
      async lookup(ssn: string): Promise<never> { throw Object.assign(new Error(`no patient with SSN ${ssn}`), { code: ssn }); },
      byName(name: string): never { throw new (class PatientNotFound extends Error {})(`${name} not found`); },
    }, { partner: 'corpus-errors' });
    for (const { value } of IDENTIFIERS) {
      await client.lookup(value).catch(() => undefined);
      try { client.byName(value); } catch { /* expected */ }
    }
    const text = await scrape(servers.telemetry.url!);
    expect(leaks(text)).toEqual([]);
    expect(text).toContain('partner="corpus-errors",operation="lookup",outcome="network_error",error_code="Error"} 33');
    expect(text).toContain('partner="corpus-errors",operation="byName",outcome="network_error",error_code="PatientNotFound"} 33');
  });
});
