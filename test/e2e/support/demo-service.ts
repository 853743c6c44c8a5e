// A small service instrumented with the real shim (imported by package name), calling a loopback
// partner about 40 times a second, running a query, a queue and reporting routing flows, so Prometheus
// scrapes exactly what a user's service would expose. `breakPartner()` makes the partner answer 403s.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { instrumentFetch, instrumentQuery, startTelemetry, trackQueue, type Telemetry } from 'integration-sentinel';

export const DEMO_PARTNER = 'acme-ehr';
export const DEMO_QUERY = 'select_associations';
export const DEMO_QUEUE = 'elation-sync';

export interface DemoService {
  /** host:port of /metrics, as Prometheus' static_configs wants it. */
  readonly metricsAddress: string;
  breakPartner(): void;
  healPartner(): void;
  /** Partner calls made so far (by status), for failure messages. */
  readonly calls: Record<number, number>;
  stop(): Promise<void>;
}

export async function startDemoService(): Promise<DemoService> {
  let broken = false;
  const partner: Server = createServer((req, res) => {
    // Expired credentials, answered the way the postmortem's partner did: 403 instead of 401.
    if (broken) res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":"forbidden"}');
    else res.writeHead(200, { 'content-type': 'application/json' }).end(`{"ok":true,"path":${JSON.stringify(req.url)}}`);
  });
  await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
  const partnerUrl = `http://127.0.0.1:${(partner.address() as AddressInfo).port}`;

  const telemetry: Telemetry = await startTelemetry({ port: 0, serviceName: 'sentinel-e2e-demo' });
  const zones = ['zone-a', 'zone-b', 'zone-c'];
  const flows = telemetry.meter.createObservableGauge('integration_routing_flows', { description: 'Routing flows by zone and state.' });
  flows.addCallback((result) => {
    for (const zone of zones) {
      result.observe(20, { zone, state: 'healthy' });
      result.observe(0, { zone, state: 'unhealthy' });
    }
  });

  const partnerFetch = instrumentFetch(fetch, { partner: DEMO_PARTNER, routes: ['/patients/:id', '/appointments/:id'] });
  const lookup = instrumentQuery(DEMO_QUERY, async () => [], { system: 'postgresql' });
  const queue = trackQueue(DEMO_QUEUE);
  const calls: Record<number, number> = {};
  let n = 0;
  const timer = setInterval(() => {
    n++;
    const path = n % 4 === 0 ? `/appointments/${1000 + n}` : `/patients/${n}`;
    partnerFetch(`${partnerUrl}${path}`)
      .then(async (response) => {
        calls[response.status] = (calls[response.status] ?? 0) + 1;
        await response.arrayBuffer();
      })
      .catch(() => undefined);
    void lookup();
    const event = queue.enqueued('appointment');
    queue.processed(event);
  }, 25);

  return {
    metricsAddress: new URL(telemetry.url!).host,
    breakPartner: () => (broken = true),
    healPartner: () => (broken = false),
    calls,
    async stop() {
      clearInterval(timer);
      queue.close();
      await telemetry.shutdown();
      await new Promise<void>((resolve) => partner.close(() => resolve()));
    },
  };
}
