// The console's alert card says what the messages say: the detector's judgement in words (counts,
// normal), and no identifier that reached a label or a summary, since the page leaves the service too.
import { describe, expect, it } from 'vitest';
import { renderConsolePage } from '../../src/console/page.ts';
import type { ConsoleAlert, ConsoleApi } from '../../src/console/types.ts';

const NOW = Date.parse('2026-03-09T03:00:00Z');

function apiWith(alert: ConsoleAlert): ConsoleApi {
  return {
    now: () => NOW,
    activeAlerts: () => [alert],
    targets: () => [],
    rules: () => [],
    lastReload: () => undefined,
    alertChart: () => undefined,
    startSession: () => undefined,
    escalator: { silences: { list: () => [] }, groups: () => [] } as unknown as ConsoleApi['escalator'],
  };
}

const base: ConsoleAlert = {
  id: 'a1', rule: 'partner_error_code_shift', state: 'firing', severity: 'critical', kind: 'error_code_shift',
  labels: { partner: 'pharmacy', error_code: '403' }, summary: 'pharmacy now answers 403 to 60% of calls',
  value: 31 / 52, activeSince: new Date(NOW - 10 * 60_000).toISOString(),
};

describe('the console alert card', () => {
  it('explains the alert with the counts and the normal the detector judged against', () => {
    const html = renderConsolePage(apiWith({ ...base, explain: { window: '10m', observed: 31 / 52, count: 31, total: 52, normal: 0, reference: 'trailing 7d' } }));
    expect(html).toContain('403 on 31 of 52 calls (60%) in the last 10m; never seen in the 7 days before');
  });

  it('says only the value when the detector gave no explanation', () => {
    const html = renderConsolePage(apiWith(base));
    expect(html).toContain('answers 403 to 60% of calls');
    expect(html).not.toContain('never seen');
  });

  it('shows no identifier from a label value or a summary', () => {
    const html = renderConsolePage(apiWith({ ...base, labels: { partner: 'pharmacy', error_code: 'patient-Smith', operation: 'GET /patients/John Smith' }, summary: 'MRN 1234567 failed for John Smith' }));
    for (const id of ['Smith', '1234567', 'John']) expect(html).not.toContain(id);
    expect(html).toContain('[redacted]');
  });
});
