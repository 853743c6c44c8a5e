// Real loopback HTTP servers for the service's tests: scrape targets whose answer the test changes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer & { server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A target serving whatever `body` currently holds at /metrics. */
export async function metricsTarget(initial: string): Promise<TestServer & { body: string }> {
  const state = { body: initial };
  const server = await listen((_req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(state.body);
  });
  return Object.assign(state, { url: `${server.url}/metrics`, port: server.port, close: server.close }) as TestServer & { body: string };
}

/** A port that refuses connections: bound, then closed. */
export async function closedPort(): Promise<number> {
  const server = await listen(() => {});
  await server.close();
  return server.port;
}
