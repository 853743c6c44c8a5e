// A service's own OpenTelemetry NodeSDK, as services start it, with a Prometheus reader whose
// /metrics we serve on port 0 (traces and logs off: nothing leaves the machine).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { NodeSDK } from '@opentelemetry/sdk-node';

export interface RunningSdk {
  readonly metricsUrl: string;
  shutdown(): Promise<void>;
}

export async function startNodeSdk(serviceName: string): Promise<RunningSdk> {
  process.env.OTEL_TRACES_EXPORTER = 'none';
  process.env.OTEL_LOGS_EXPORTER = 'none';
  process.env.OTEL_SERVICE_NAME = serviceName;
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const sdk = new NodeSDK({ metricReaders: [exporter as never], instrumentations: [], autoDetectResources: false });
  sdk.start();
  const server: Server = createServer((req, res) => exporter.getMetricsRequestHandler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    metricsUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    async shutdown() {
      await new Promise((resolve) => server.close(resolve));
      await sdk.shutdown();
    },
  };
}

/** Our series as the SDK's exporter shows them, without its scope label. */
export async function sdkScrape(url: string): Promise<string> {
  return (await (await fetch(url)).text()).replace(/,?otel_scope_name="integration-sentinel"/g, '').replace(/\{,/g, '{');
}
