// CLI for the recording generator. Prints the ground truth as JSON on stdout.
//   npx node test/support/generate-recording.ts --scenario error_code_shift --seed 3 --days 5 --out /tmp/r.om [--noise] [--vary]
import { parseArgs } from 'node:util';
import { generateRecording, SCENARIOS, type ScenarioName } from './recording-generator.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    seed: { type: 'string', default: '1' },
    days: { type: 'string' },
    out: { type: 'string' },
    noise: { type: 'boolean', default: false },
    vary: { type: 'boolean', default: false },
    interval: { type: 'string' },
    'type-lines': { type: 'string' },
  },
});
const scenario = values.scenario as ScenarioName | undefined;
if (!scenario || !SCENARIOS.includes(scenario) || !values.out) {
  process.stderr.write(`usage: generate-recording --scenario ${SCENARIOS.join('|')} --out FILE [--seed N] [--days D] [--noise] [--vary] [--interval S] [--type-lines top|every-scrape]\n`);
  process.exit(2);
}
const typeLines = values['type-lines'];
if (typeLines !== undefined && typeLines !== 'top' && typeLines !== 'every-scrape') {
  process.stderr.write(`--type-lines must be top or every-scrape, not ${typeLines}\n`);
  process.exit(2);
}
const truth = generateRecording({
  scenario,
  seed: Number(values.seed),
  out: values.out,
  noise: values.noise,
  vary: values.vary,
  ...(values.days !== undefined ? { days: Number(values.days) } : {}),
  ...(values.interval !== undefined ? { intervalSeconds: Number(values.interval) } : {}),
  ...(typeLines !== undefined ? { typeLines } : {}),
});
const iso = (ms: number): string => new Date(ms).toISOString();
process.stdout.write(JSON.stringify({
  ...truth,
  start: iso(truth.startMs),
  end: iso(truth.endMs),
  ...(truth.incident ? { incidentStart: iso(truth.incident.startMs), incidentEnd: iso(truth.incident.endMs) } : {}),
}, null, 2) + '\n');
