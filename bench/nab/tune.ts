// Parameter sweeps of the anomaly model over NAB's 34 labelled files, in one process.
//   npx node bench/nab/tune.ts '{"spikeZ":[6,8,10]}'    (every combination of the listed values)
// Prints the three profiles per combination, and with LOCO=1 a leave-one-category-out check: the
// best combination on three categories, scored on the fourth.
import './src-loader.ts';
import { loadLabelled, normalised, scoreFile, type NabFile, type Profile } from './nab-files.ts';

const { newAnomalyState, updateAnomaly } = await import('../../src/detect/anomaly/anomaly-model.ts');
const { DEFAULT_ANOMALY_PARAMS } = await import('../../src/detect/anomaly/defaults.ts');
type Params = typeof DEFAULT_ANOMALY_PARAMS;

export function detections(f: NabFile, p: Params): number[] {
  const s = newAnomalyState();
  const out: number[] = [];
  for (let i = 0; i < f.t.length; i++) if (updateAnomaly(s, p, f.t[i]!, f.x[i]!).detected) out.push(i);
  return out;
}

const files = loadLabelled();
const grid = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown[]>;
const keys = Object.keys(grid);
const combos: Record<string, unknown>[] = [{}];
for (const k of keys) {
  const next: Record<string, unknown>[] = [];
  for (const c of combos) for (const v of grid[k]!) next.push({ ...c, [k]: v });
  combos.splice(0, combos.length, ...next);
}
// RANDOM=N: N combinations drawn at random from the grid instead of all of them (seeded, repeatable).
if (process.env.RANDOM) {
  let seed = 12345;
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const drawn = Array.from({ length: Number(process.env.RANDOM) }, () => Object.fromEntries(keys.map((k) => [k, grid[k]![Math.floor(rnd() * grid[k]!.length)]])));
  combos.splice(0, combos.length, ...drawn);
}
const profiles: Profile[] = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'];
const cat = (name: string): string => name.split('/')[0]!;
const verbose = process.env.VERBOSE === '1';
const results: { combo: Record<string, unknown>; perCat: Map<string, [number, number]> }[] = [];
for (const combo of combos) {
  const p = { ...DEFAULT_ANOMALY_PARAMS, ...combo } as Params;
  const dets = files.map((f) => detections(f, p));
  const line: string[] = [];
  for (const prof of profiles) {
    let raw = 0, windows = 0, tp = 0, fp = 0;
    const perCat = new Map<string, [number, number]>();
    files.forEach((f, i) => {
      const s = scoreFile(f.t.length, f.windows, dets[i]!, prof);
      raw += s.raw; windows += s.windows; tp += s.tp; fp += s.fp;
      const c = perCat.get(cat(f.name)) ?? [0, 0];
      perCat.set(cat(f.name), [c[0] + s.raw, c[1] + s.windows]);
      if (verbose && prof === 'standard') console.log(`  ${f.name.padEnd(58)} win ${s.windows} tp ${s.tp} fp ${s.fp} raw ${s.raw.toFixed(2)}  win ${JSON.stringify(f.windows)} n ${f.t.length} det ${dets[i]!.filter((d) => d >= Math.min(750, Math.floor(0.15 * f.t.length))).slice(0, 14).join(',')}`);
    });
    if (prof === 'standard') {
      results.push({ combo, perCat });
      line.push(`std ${normalised(raw, windows, prof).toFixed(2)} (tp ${tp}/${windows} fp ${fp}) [${[...perCat].map(([c, [r, w]]) => `${c.slice(0, 9)} ${normalised(r, w, prof).toFixed(1)}`).join(', ')}]`);
    } else line.push(`${prof === 'reward_low_FP_rate' ? 'lowFP' : 'lowFN'} ${normalised(raw, windows, prof).toFixed(2)}`);
  }
  console.log(`${JSON.stringify(combo)}  ${line.join('  ')}`);
}
if (process.env.LOCO === '1' && results.length > 1) {
  const cats = [...results[0]!.perCat.keys()].filter((c) => results[0]!.perCat.get(c)![1] > 0);
  for (const held of cats) {
    const on = (r: (typeof results)[number], use: (c: string) => boolean): number => {
      let raw = 0, w = 0;
      for (const [c, [cr, cw]] of r.perCat) if (use(c)) { raw += cr; w += cw; }
      return normalised(raw, w, 'standard');
    };
    const best = results.reduce((a, b) => (on(b, (c) => c !== held) > on(a, (c) => c !== held) ? b : a));
    const oracle = results.reduce((a, b) => (on(b, (c) => c === held) > on(a, (c) => c === held) ? b : a));
    console.log(`LOCO held out ${held}: chosen ${JSON.stringify(best.combo)} scores ${on(best, (c) => c === held).toFixed(1)} on it (best possible ${on(oracle, (c) => c === held).toFixed(1)}, default ${on(results.find((r) => Object.keys(r.combo).every((k) => r.combo[k] === (DEFAULT_ANOMALY_PARAMS as unknown as Record<string, unknown>)[k])) ?? best, (c) => c === held).toFixed(1)})`);
  }
}
