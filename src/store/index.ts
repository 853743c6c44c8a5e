export type { DurableStore, SetAsideListener } from './types.js';
export { JsonText } from './types.js';
export { fileStore, memoryStore } from './file-store.js';
