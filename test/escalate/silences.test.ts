import { describe, expect, it } from 'vitest';
import { collectSilences, expireSilence, isSilenced, newSilence, SilenceError, silenceStatus, SILENCE_RETENTION_MS } from '../../src/escalate/silences.js';

const NOW = Date.UTC(2026, 10, 20, 9, 0);
const HOUR = 3_600_000;

describe('silences', () => {
  it('silences matching alerts from start to end, with author and comment', () => {
    const s = newSilence({ matchers: ['partner="elation"', 'rule=~"error_.*"'], startsAtMs: NOW + HOUR, endsAtMs: NOW + 3 * HOUR, createdBy: 'dana', comment: 'Elation maintenance' }, NOW, 1);
    expect(s).toMatchObject({ createdBy: 'dana', comment: 'Elation maintenance', startsAtMs: NOW + HOUR, endsAtMs: NOW + 3 * HOUR });
    const labels = { partner: 'elation', rule: 'error_code_shift' };
    expect(silenceStatus(s, NOW)).toBe('pending');
    expect(isSilenced([s], labels, NOW)).toBe(false);
    expect(isSilenced([s], labels, NOW + 2 * HOUR)).toBe(true);
    expect(isSilenced([s], { ...labels, partner: 'quest' }, NOW + 2 * HOUR)).toBe(false);
    expect(silenceStatus(s, NOW + 3 * HOUR)).toBe('expired');
  });

  it('expires on request and is collected after the retention', () => {
    const list = [newSilence({ matchers: ['partner="elation"'], endsAtMs: NOW + HOUR, createdBy: 'dana', comment: 'x' }, NOW, 1)];
    const expired = expireSilence(list, list[0]!.id, NOW + 60_000);
    expect(expired?.endsAtMs).toBe(NOW + 60_000);
    expect(expireSilence(list, list[0]!.id, NOW + 120_000)).toBeUndefined();
    expect(collectSilences(list, NOW + 60_000 + SILENCE_RETENTION_MS - 1)).toHaveLength(1);
    expect(collectSilences(list, NOW + 60_000 + SILENCE_RETENTION_MS)).toHaveLength(0);
  });

  it('refuses bad silences with a fix', () => {
    const bad = [
      { matchers: [], endsAtMs: NOW + HOUR, createdBy: 'dana', comment: 'x' },
      { matchers: ['partner=~".*"'], endsAtMs: NOW + HOUR, createdBy: 'dana', comment: 'x' },
      { matchers: ['partner="elation"'], endsAtMs: NOW - 1, createdBy: 'dana', comment: 'x' },
      { matchers: ['partner="elation"'], endsAtMs: NOW + HOUR, createdBy: ' ', comment: 'x' },
      { matchers: ['partner="elation"'], endsAtMs: NOW + HOUR, createdBy: 'dana', comment: '' },
      { matchers: ['partner=~"("'], endsAtMs: NOW + HOUR, createdBy: 'dana', comment: 'x' },
    ];
    for (const input of bad) {
      expect(() => newSilence(input, NOW, 1)).toThrow(SilenceError);
      try {
        newSilence(input, NOW, 1);
      } catch (error) {
        expect((error as SilenceError).fix.length).toBeGreaterThan(5);
      }
    }
  });
});
