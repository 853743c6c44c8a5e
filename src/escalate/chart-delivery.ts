// Puts a notification's chart where the responder looks: in the Slack message's thread (files.uploadV2:
// getUploadURLExternal, the upload, completeUploadExternal) and inline in the e-mail (cid:). A chart is
// a help, never a reason to hold a page: a chart that cannot be drawn or that Slack refuses is skipped.
import { WebAPIPlatformError, type WebClient } from '@slack/web-api';
import { renderChartPng } from './chart-png.js';
import type { ChartSpec, EmailPayload, SlackMessageRef } from './state.js';

export const CHART_CID = 'chart@integration-sentinel';

/** Uploads the chart into the thread of `ref`. Throws only what is worth a retry (Slack unreachable). */
export async function uploadChart(client: WebClient, ref: SlackMessageRef, chart: ChartSpec): Promise<void> {
  let png: Buffer;
  try {
    png = await renderChartPng(chart);
  } catch {
    return;
  }
  try {
    await client.filesUploadV2({ channel_id: ref.channel, thread_ts: ref.ts, file: png, filename: 'chart.png', title: chart.title.slice(0, 120) });
  } catch (error) {
    // No files:write scope, a channel the bot cannot post files to: the page itself went out.
    if (error instanceof WebAPIPlatformError) return;
    throw error;
  }
}

/** nodemailer fields for the chart: the HTML with the image and the inline attachment. */
export async function chartMailParts(mail: EmailPayload): Promise<{ html: string; attachments: { filename: string; content: Buffer; cid: string; contentType: string }[] }> {
  if (!mail.chart) return { html: mail.html, attachments: [] };
  try {
    const png = await renderChartPng(mail.chart);
    const img = `<p><img src="cid:${CHART_CID}" alt="the series, its normal band and the alert span" width="640" height="260"></p>`;
    return { html: `${mail.html}\n${img}`, attachments: [{ filename: 'chart.png', content: png, cid: CHART_CID, contentType: 'image/png' }] };
  } catch {
    return { html: mail.html, attachments: [] };
  }
}
