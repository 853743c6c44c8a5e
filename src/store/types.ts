// Durable state for the service: alerts, baselines, silences, the notification log and outbox.
// Each key is one JSON document written atomically, so a SIGKILL leaves either the old or the new
// version on disk, never half of one.
export interface DurableStore {
  read<T>(key: string): Promise<T | undefined>;
  write(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

/** A document already serialised (in slices, between turns of the event loop): written as it is. */
export class JsonText {
  constructor(readonly text: string) {}
}
