// Durable state for the service: alerts, baselines, silences, the notification log and outbox.
// Each key is one JSON document written atomically, so a SIGKILL leaves either the old or the new
// version on disk, never half of one.
export interface DurableStore {
  read<T>(key: string): Promise<T | undefined>;
  write(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  keys(): Promise<string[]>;
  /** Moves a document that cannot be used out of the way (renamed with a timestamp, kept for a human);
   *  the key then reads as absent. Returns where it went. */
  setAside?(key: string, reason: string): Promise<string | undefined>;
}

/** Told when a document is set aside (unreadable JSON, or a shape its reader refused). */
export type SetAsideListener = (event: { readonly key: string; readonly path: string; readonly movedTo: string; readonly reason: string }) => void;

/** A document already serialised (in slices, between turns of the event loop): written as it is. */
export class JsonText {
  constructor(readonly text: string) {}
}
