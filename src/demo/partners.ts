// The demo's fake partners: three small HTTP servers on loopback that answer like an EHR, a lab and
// a pharmacy do on an ordinary day (mostly 200s, a few 503s, the odd expired token), with a little
// latency. Bodies carry made-up patient data on purpose: none of it may reach /metrics.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePartner {
  readonly name: string;
  readonly url: string;
  close(): Promise<void>;
}

export interface PartnerBehaviour {
  /** Probability of a 503. */
  unavailable: number;
  /** Probability of a 401 with the partner's own code in `x-error-code`. */
  tokenExpired: number;
  /** Typical latency in ms (jittered ±50%). */
  latencyMs: number;
}

export async function startFakePartner(name: string, behaviour: PartnerBehaviour, random: () => number = Math.random): Promise<FakePartner> {
  const server: Server = createServer((req, res) => {
    const delay = behaviour.latencyMs * (0.5 + random());
    setTimeout(() => {
      const roll = random();
      res.setHeader('content-type', 'application/json');
      if (roll < behaviour.unavailable) {
        res.statusCode = 503;
        res.end('{"error":"upstream maintenance"}');
      } else if (roll < behaviour.unavailable + behaviour.tokenExpired) {
        res.statusCode = 401;
        res.setHeader('x-error-code', 'TOKEN_EXPIRED');
        res.end('{"error":"token expired"}');
      } else {
        res.statusCode = req.method === 'POST' ? 201 : 200;
        res.end(JSON.stringify({ partner: name, path: req.url, patient: { name: 'Jane Q. Example', dob: '1984-03-07' } }));
      }
    }, delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
