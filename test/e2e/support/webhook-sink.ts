// A local HTTP receiver standing in for Slack's incoming-webhook endpoint (and any webhook): records every
// JSON body Alertmanager posts, so the test asserts on what a channel would have received.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
  path: string;
  authorization: string | undefined;
  body: unknown;
  atMs: number;
}

export interface WebhookSink {
  readonly url: string;
  readonly received: ReceivedPost[];
  close(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  const received: ReceivedPost[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text: a non-JSON post is itself worth seeing in a failure
      }
      received.push({ path: req.url ?? '/', authorization: req.headers.authorization, body, atMs: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
