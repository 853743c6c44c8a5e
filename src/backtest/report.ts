// --report out.html: hands the incidents to the report part (src/report), loaded only when asked for.
import { writeFile } from 'node:fs/promises';
import type { Rule } from '../rules/types.js';
import type { BacktestSummary, Incident } from './types.js';

export interface ReportInput {
  readonly rules: readonly Rule[];
  readonly dataFile: string;
  readonly incidents: readonly Incident[];
  readonly summary: BacktestSummary;
}

export async function writeReport(file: string, input: ReportInput): Promise<void> {
  const reportModule = '../report/index.js';
  const report = (await import(reportModule)) as { renderReport(input: unknown): Promise<string> | string };
  await writeFile(file, await report.renderReport(input));
}
