// The demo's simulated service: everything a real integration service does with partners, through
// the shim. An EHR called with instrumentFetch (declared routes, a classify hook for the EHR's own
// expired-token code), a lab SDK client with #private state through instrumentClient, a database
// query through instrumentQuery, a per-patient sync queue through instrumentQueue, and the routing
// flow gauge per availability zone that the detector's routing rule reads.
import type { Meter } from '@opentelemetry/api';
import { METRIC } from '../model/index.js';
import { instrumentClient, instrumentFetch, instrumentQuery, instrumentQueue, NonRetryableError } from '../shim/index.js';
import type { FakePartner } from './partners.js';

export const ZONES = ['zone-a', 'zone-b', 'zone-c'] as const;

/** A partner SDK client like the ones vendors ship: private credentials, async methods. */
class LabClient {
  readonly #baseUrl: string;
  readonly #apiKey: string;
  constructor(baseUrl: string, apiKey: string) {
    this.#baseUrl = baseUrl;
    this.#apiKey = apiKey;
  }
  async getResult(resultId: string): Promise<unknown> {
    const res = await fetch(`${this.#baseUrl}/results/${resultId}`, { headers: { 'x-api-key': this.#apiKey } });
    if (!res.ok) throw Object.assign(new Error(`lab answered ${res.status} for result ${resultId}`), { status: res.status });
    return res.json();
  }
  async submitOrder(patientId: string): Promise<unknown> {
    const res = await fetch(`${this.#baseUrl}/orders`, { method: 'POST', body: JSON.stringify({ patientId }), headers: { 'x-api-key': this.#apiKey } });
    if (!res.ok) throw Object.assign(new Error(`lab refused order for ${patientId}`), { status: res.status });
    return res.json();
  }
}

export interface DemoService {
  /** One round of traffic: a handful of partner calls, a query, a few queue events. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startDemoService(partners: { ehr: FakePartner; lab: FakePartner; pharmacy: FakePartner }, meter: Meter, random: () => number = Math.random): DemoService {
  const ehrFetch = instrumentFetch(fetch, {
    partner: partners.ehr.name,
    routes: ['/patients/:id', '/patients/:id/insurance', '/appointments', '/appointments/:id'],
    errorCodes: ['token_expired'],
    // The EHR names its own error in a header; the code is only kept because it is declared above.
    classify: (value, ctx) => {
      if (ctx.threw || (value as Response).status !== 401) return undefined;
      return (value as Response).headers.get('x-error-code') === 'TOKEN_EXPIRED' ? { outcome: 'auth_error', errorCode: 'token_expired' } : undefined;
    },
  });
  const pharmacyFetch = instrumentFetch(fetch, { partner: partners.pharmacy.name }); // automatic templating
  const lab = instrumentClient(new LabClient(partners.lab.url, 'demo-api-key'), { partner: partners.lab.name });

  const findAssociations = instrumentQuery(
    'find_patient_associations',
    (patientId: number) =>
      new Promise<number>((resolve, reject) => {
        const ms = 2 + random() * 15;
        setTimeout(() => (random() < 0.01 ? reject(Object.assign(new Error(`statement timeout (patient ${patientId})`), { code: '57014' })) : resolve(3)), ms);
      }),
    { system: 'postgresql' },
  );

  const sync = instrumentQueue<{ type: string; patientId: number }>(
    'ehr-sync',
    async (event) => {
      if (random() < 0.08) throw new Error('EHR busy, try again'); // retryable
      if (random() < 0.005) throw new NonRetryableError('EHR rejected the record');
    },
    { eventType: (e) => e.type, resourceKey: (e) => String(e.patientId), backoffMs: (n) => 50 * 2 ** (n - 1) },
  );

  // Routing flows per zone: mostly healthy, the odd flow flapping unhealthy for a moment.
  const flows = meter.createObservableGauge(METRIC.routingFlows, { description: 'Routing flows per availability zone and health state.' });
  const flowCallback = (result: { observe(value: number, attrs: Record<string, string>): void }) => {
    for (const zone of ZONES) {
      const unhealthy = random() < 0.05 ? 1 : 0;
      result.observe(20 - unhealthy, { zone, state: 'healthy' });
      result.observe(unhealthy, { zone, state: 'unhealthy' });
    }
  };
  flows.addCallback(flowCallback);

  const swallow = () => undefined; // failures are the point of the demo: they are counted, not thrown
  const patient = () => 1000 + Math.floor(random() * 9000);

  return {
    async tick() {
      const id = patient();
      sync.push({ type: random() < 0.7 ? 'patient.updated' : 'appointment.created', patientId: id });
      await Promise.allSettled([
        ehrFetch(`${partners.ehr.url}/patients/${id}?include=demographics`).then((r) => r.arrayBuffer(), swallow),
        random() < 0.3 ? ehrFetch(`${partners.ehr.url}/appointments`, { method: 'POST', body: '{}' }).then((r) => r.arrayBuffer(), swallow) : undefined,
        random() < 0.5 ? lab.getResult(`R-${id}`).catch(swallow) : undefined,
        random() < 0.1 ? lab.submitOrder(String(id)).catch(swallow) : undefined,
        random() < 0.3 ? pharmacyFetch(`${partners.pharmacy.url}/v1/prescriptions/${id}/refills`).then((r) => r.arrayBuffer(), swallow) : undefined,
        findAssociations(id).catch(swallow),
      ]);
    },
    async stop() {
      flows.removeCallback(flowCallback);
      await sync.drain();
      sync.close();
    },
  };
}
