// The service's log: one event per line on stderr, `time level event key=value ...`, so an operator can
// grep it and a log shipper can split it without a JSON parser. Secret values are scrubbed from every
// line as a last line of defence: even an error message that quotes a token never prints it.

export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  /** Where lines go; stderr by default. Tests pass an array's push. */
  readonly write?: (line: string) => void;
  /** Values that must never appear in a log line (tokens, passwords); read at every line, so a reload
   *  that brings new secrets is covered at once. */
  readonly secrets?: () => readonly string[];
  readonly now?: () => number;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const now = options.now ?? Date.now;
  const secrets = options.secrets ?? (() => []);
  const emit = (level: LogLevel, event: string, fields: LogFields = {}): void => {
    let line = `${new Date(now()).toISOString()} ${level} ${event}`;
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      line += ` ${key}=${formatValue(value)}`;
    }
    write(scrub(line, secrets()) + '\n');
  };
  return {
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}

/** Quote values with spaces or quotes so `key=value` pairs stay splittable; newlines never break a line. */
function formatValue(value: string | number | boolean): string {
  const text = String(value);
  return /^[^\s"=]*$/.test(text) && text !== '' ? text : JSON.stringify(text);
}

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Short values would scrub ordinary words; the secrets we handle are long random tokens.
    if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  return out;
}

/** A logger that drops everything, for library use and tests that do not look at logs. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
