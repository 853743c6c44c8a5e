// The detector state a service saved in data_dir, read as the service reads it at start: the whole
// document with its journal's frames applied (state-journal.ts).
import { fileStore } from '../../../src/store/index.js';
import { SNAPSHOT_KEY } from '../../../src/service/evaluator.js';
import { StateJournal } from '../../../src/service/state-journal.js';

export async function savedState<T>(dataDir: string): Promise<T> {
  const { snapshot } = await new StateJournal({ store: fileStore(dataDir), dir: dataDir, key: SNAPSHOT_KEY }).restore();
  if (!snapshot) throw new Error(`no saved state in ${dataDir}`);
  return snapshot as unknown as T;
}
