// The recording generator lives in src/simulate/ (`sentinel demo` replays its incidents); tests and
// benches keep importing it from here. Loaded after the hook so plain Node can follow src's `.js` imports.
import { resolveSrcTsImports } from './node-src-imports.ts';

resolveSrcTsImports();
const generator: typeof import('../../src/simulate/recording-generator.ts') = await import('../../src/simulate/recording-generator.ts');
export const { generateRecording, SCENARIOS, SHAPE_SCENARIOS } = generator;
export type { GenerateOptions, GroundTruth, Incident, NoiseEvent, ScenarioName } from '../../src/simulate/recording-generator.ts';
