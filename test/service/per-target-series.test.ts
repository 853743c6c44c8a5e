// The detector keeps one series per (target, series): two replicas never merge into one counter that
// "resets", and a snapshot saved before series were keyed per target resumes without a false increase.
import { describe, expect, it } from 'vitest';
import { openDetector } from '../../src/detect/index.js';
import type { Sample } from '../../src/model/index.js';
import { MIN, rules, sample, T0 } from '../detect/batches.js';
import { authFailuresRules } from './support/auth-failures-rule.js';

const pack = rules(authFailuresRules({ summary: 'x' }));
const auth = (value: number, atMs: number, target?: string): Sample => ({ ...sample('integration_requests_total', { partner: 'acme', outcome: 'auth_error' }, value, atMs), ...(target ? { target } : {}) });

describe('series per target in the detector', () => {
  it('reads two replicas of one steady series as steady, not as resets', () => {
    const detector = openDetector(pack);
    const events = Array.from({ length: 10 }, (_, i) => detector.step({ atMs: T0 + i * MIN, samples: [auth(100, T0 + i * MIN, 'a'), auth(5000, T0 + i * MIN, 'b')] }));
    expect(events.flat()).toEqual([]);
  });

  it('resumes a snapshot saved before series were per target: the second replica is no burst, the first keeps counting', () => {
    const old = openDetector(pack);
    for (let i = 0; i < 5; i++) old.step({ atMs: T0 + i * MIN, samples: [auth(100, T0 + i * MIN)] });
    const resumed = openDetector(pack, JSON.parse(JSON.stringify(old.snapshot())));
    const quiet = Array.from({ length: 5 }, (_, i) => resumed.step({ atMs: T0 + (5 + i) * MIN, samples: [auth(5000, T0 + (5 + i) * MIN, 'b'), auth(100, T0 + (5 + i) * MIN, 'a')] }));
    expect(quiet.flat()).toEqual([]);
    // Replica a's binding was carried over: its real increase still pages.
    const burst = Array.from({ length: 4 }, (_, i) => resumed.step({ atMs: T0 + (10 + i) * MIN, samples: [auth(5000, T0 + (10 + i) * MIN, 'b'), auth(100 + 60 * (i + 1), T0 + (10 + i) * MIN, 'a')] }));
    expect(burst.flat().map((e) => e.state)).toContain('firing');
  });
});
