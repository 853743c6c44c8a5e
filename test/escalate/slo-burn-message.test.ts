// What a responder reads for an slo_burn page: the example's summary with its page/ticket label (on
// the default render allow-list), and the burn in words over the window that judged it.
import { describe, expect, it } from 'vitest';
import { openDetector } from '../../src/detect/index.ts';
import { alertContent, fromDetector } from '../../src/escalate/message-content.js';
import { safeLabels } from '../../src/escalate/redact.js';
import { DEFAULT_RENDER_LABELS } from '../../src/policy/index.js';
import { uncommentedSloPack } from '../support/slo-pack.ts';
import { rules } from '../detect/batches.ts';
import { sloScrapes } from '../detect/slo-series.ts';

describe('an slo_burn page in words', () => {
  it('names the partner, page or ticket and the burn over the hour that judged it', async () => {
    const pack = rules(await uncommentedSloPack());
    const detector = openDetector(pack);
    const events = [];
    for (const b of sloScrapes([{ partner: 'acme_ehr', perMinute: 60, burn: (m) => (m >= 480 ? 200 : 0.2) }], 500, 4)) events.push(...detector.step(b));
    const page = events.find((e) => e.state === 'firing' && e.labels.slo_alert === 'page')!;
    const labels = safeLabels({ ...page.labels, rule: page.rule, severity: page.severity }, DEFAULT_RENDER_LABELS);
    const content = alertContent({ rule: page.rule, kind: 'slo_burn', labels, value: page.value, summaryTemplate: pack[0]!.summary, explain: fromDetector(page.explain!) });
    expect(content.summary).toMatch(/^acme_ehr burns its error budget \d+(\.\d+)?x faster than its objective allows \(page\)$/);
    expect(content.explanation).toMatch(/^error budget burning \d+(\.\d+)?x the sustainable rate in the last 1h$/);
  });
});
