// startTelemetry: where the shim's metrics go. Either our own MeterProvider with the Prometheus
// exporter behind a /metrics server of ours, or (beside a service that already runs an OTel SDK)
// the global MeterProvider, whose readers then export our instruments with everything else.
// This folder is the only part of the shim that loads the SDK, the exporter and node:http: the
// recording path (fetch, client, query, queue) needs @opentelemetry/api alone.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { metrics } from '@opentelemetry/api';
import { bindGlobal, bindMeter } from '../instruments.js';
import { registry } from '../registry.js';
import { SCOPE_NAME, type Telemetry, type TelemetryOptions } from '../types.js';
import { localHistogramProducer } from './histogram-producer.js';

export async function startTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  if (!options || typeof options.serviceName !== 'string' || options.serviceName === '') {
    throw new TypeError('startTelemetry: serviceName is required, e.g. startTelemetry({ serviceName: "scheduling-api", port: 9464 })');
  }
  if (options.useGlobalMeterProvider) {
    bindGlobal();
    // The binding moves when an SDK registers a new global provider later: read it when asked.
    const current = () => registry().binding;
    return {
      url: undefined,
      port: undefined,
      get meter() { return current()?.meter ?? metrics.getMeter(SCOPE_NAME); },
      shutdown: async () => { const b = current(); if (b?.global) b.detach(); },
    };
  }

  // The exporter's own server treats port 0 as "default 9464", so we serve its handler ourselves:
  // port 0 then really means "any free port", which tests and `sentinel demo` rely on.
  const resource = resourceFromAttributes({ 'service.name': options.serviceName });
  const exporter = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true, metricProducers: [localHistogramProducer(resource)] });
  const provider = new MeterProvider({ resource, readers: [exporter] });
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') exporter.getMetricsRequestHandler(req, res);
    else {
      res.statusCode = 404;
      res.end('not found: metrics are at /metrics\n');
    }
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`startTelemetry: cannot listen on ${host}:${options.port ?? 9464} (${err.code ?? err.message}); pick another port, or port 0 for any free one`)),
    );
    server.listen(options.port ?? 9464, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const bound = bindMeter(provider.getMeter(SCOPE_NAME), { localHistograms: true });
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  let stopped = false;
  return {
    url: `http://${urlHost}:${port}/metrics`,
    port,
    meter: bound.meter,
    async shutdown() {
      if (stopped) return;
      stopped = true;
      bound.detach();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await provider.shutdown();
    },
  };
}
