// The SMTP sink lives in src (`sentinel demo` prints what arrives at it); tests keep these names.
export * from '../../../src/demo/sinks/smtp-sink.ts';
