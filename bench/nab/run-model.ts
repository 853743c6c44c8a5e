// Runs the anomaly model alone over one NAB csv and prints its detections as `sentinel backtest --json`
// prints firing transitions, so ../shared/nab/score.py can score the model without the detector:
//   python3 ../shared/nab/score.py --run 'npx node bench/nab/run-model.ts {file}'
// ANOMALY_PARAMS='{"spikeZ":7}' overrides defaults for experiments.
import './src-loader.ts';
import { basename } from 'node:path';
import { readNabCsv } from './nab-files.ts';

const { newAnomalyState, updateAnomaly } = await import('../../src/detect/anomaly/anomaly-model.ts');
const { DEFAULT_ANOMALY_PARAMS } = await import('../../src/detect/anomaly/defaults.ts');

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: npx node bench/nab/run-model.ts FILE.csv\n');
  process.exit(2);
}
const params = { ...DEFAULT_ANOMALY_PARAMS, ...(JSON.parse(process.env.ANOMALY_PARAMS ?? '{}') as object) };
const { t, x } = readNabCsv(file);
const state = newAnomalyState();
const metric = basename(file, '.csv');
let out = '';
for (let i = 0; i < t.length; i++) {
  const v = updateAnomaly(state, params, t[i]!, x[i]!);
  if (!v.detected) continue;
  const at = new Date(t[i]!).toISOString();
  out += JSON.stringify({ rule: 'anomaly', state: 'firing', severity: 'warning', labels: { metric }, at, value: x[i], summary: `${metric} ${v.direction} of its normal (${v.by}, z ${v.z.toFixed(1)})` }) + '\n';
}
process.stdout.write(out);
