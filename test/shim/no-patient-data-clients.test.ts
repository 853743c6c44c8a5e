// The healthcare rule through the client libraries: the identifier corpus (test/shim/identifier-
// corpus.ts, 264 URLs) goes through axios, got and ky wrapped by instrumentClient, against the
// partner that echoes the path back; /metrics then holds none of the identifiers, and the calls were
// counted under templated operations.
import axios from 'axios';
import got from 'got';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { instrumentClient } from 'integration-sentinel/shim';
import { corpus, IDENTIFIERS } from './identifier-corpus.js';
import { scrape, usePartnerAndTelemetry } from './partner-server.js';

const servers = usePartnerAndTelemetry('privacy-clients-test');

/** Every string of /metrics that is not a sample value. */
const labelText = (metrics: string) => metrics.split('\n').map((line) => (line.startsWith('#') ? line : line.replace(/ [^ ]+$/, ''))).join('\n');
const forms = (identifier: string) => {
  const decoded = decodeURIComponent(identifier);
  return [...new Set([identifier, decoded, ...decoded.split(/[\s,.@'/-]+/).filter((p) => p.length >= 4)])].map((f) => f.toLowerCase());
};
function leaks(text: string): string[] {
  const haystack = labelText(text).toLowerCase();
  return IDENTIFIERS.flatMap(({ value }) => forms(value).filter((f) => haystack.includes(f)).map((f) => `${value} (as "${f}")`));
}

describe('no patient data in /metrics through axios, got and ky', () => {
  it('drives the identifier corpus through each client and finds none of it in /metrics', async () => {
    const urls = corpus(servers.partner.url);
    expect(urls.length).toBeGreaterThanOrEqual(200);
    const clients = {
      axios: instrumentClient(axios.create(), { partner: 'corpus-axios' }),
      got: instrumentClient(got.extend({ retry: { limit: 0 } }), { partner: 'corpus-got' }),
      ky: instrumentClient(ky.create({ retry: 0 }), { partner: 'corpus-ky' }),
    };
    for (const { url, identifier } of urls) {
      const headers = { 'x-patient-ssn': '123-45-6789', 'x-patient-name': encodeURIComponent(decodeURIComponent(identifier)) };
      expect((await clients.axios.get(url, { headers })).data.ok).toBe(true);
      expect(((await clients.got.get(url, { headers }).json()) as { ok: boolean }).ok).toBe(true);
      expect(((await clients.ky.get(url, { headers }).json()) as { ok: boolean }).ok).toBe(true);
    }
    const text = await scrape(servers.telemetry.url!);
    expect(leaks(text)).toEqual([]);
    for (const partner of ['corpus-axios', 'corpus-got', 'corpus-ky']) {
      expect(text).toContain(`partner="${partner}",operation="GET /patients/{id}",outcome="success"} 33`);
      expect(text).toContain(`partner="${partner}",operation="GET /fhir/r4/Patient/{id}/$everything",outcome="success"} 33`);
    }
  });
});
