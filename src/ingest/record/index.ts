// Recording a live /metrics into the file format backtest reads.
export { Recorder } from './recorder.js';
export type { RecorderOptions, RecorderStats } from './recorder.js';
export { RecordingFile } from './recording-file.js';
