// No patient data in any message. Messages are rendered from labels only (never the detector's free-text
// summary, never bodies), only labels on an allow-list, and each value is scrubbed of anything shaped
// like an identifier in case an instrumented service leaked one into a label.
import type { Labels } from '../model/index.js';

const IDENTIFIER_SHAPES: readonly RegExp[] = [
  /[^\s@/{}]+@[^\s@/{}]+\.[a-z]{2,}/gi, // e-mail
  /\b\d{3}-\d{2}-\d{4}\b/g, // SSN
  /\+?\d[\d ().-]{7,}\d/g, // phone numbers and long digit runs (MRNs, account numbers)
  /\b\d{6,}\b/g, // bare MRN-like numbers
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, // UUIDs
  /\b\d{4}-\d{2}-\d{2}\b/g, // dates (of birth)
  /\b[A-Z]{1,4}\d{5,}\b/g, // MRN with a letter prefix
];

export const REDACTED = '[redacted]';

export function scrubValue(value: string): string {
  let out = value;
  for (const shape of IDENTIFIER_SHAPES) out = out.replace(shape, REDACTED);
  // Values are short names and codes; anything long is not a label someone meant to show.
  return out.length > 120 ? `${out.slice(0, 117)}...` : out;
}

/** The allow-listed labels of `labels`, values scrubbed, in allow-list order. */
export function safeLabels(labels: Labels, allow: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of allow) {
    const value = labels[name];
    if (value !== undefined && value !== '') out[name] = scrubValue(value);
  }
  return out;
}
