// No patient data in any message. Messages are rendered from labels only (never the detector's free-text
// summary, never bodies), only labels on an allow-list, and each value is scrubbed of anything shaped
// like an identifier in case an instrumented service leaked one into a label.
import type { Labels } from '../model/index.js';

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';

const IDENTIFIER_SHAPES: readonly RegExp[] = [
  /[^\s@/{}]+@[^\s@/{}]+\.[a-z]{2,}/gi, // e-mail
  // e-mail spelled out to dodge filters: "jane.doe at example dot com", "jane (at) example [dot] org"
  /[\w.+-]+\s*(?:\(at\)|\[at\]|\{at\}|\sat\s)\s*[\w-]+(?:\s*(?:\(dot\)|\[dot\]|\{dot\}|\sdot\s|\.)\s*[\w-]+)+/gi,
  /\b\d{3}-\d{2}-\d{4}\b/g, // SSN
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, // UUIDs
  // dates in any order and separator: 1980-02-01, 01/02/1980, 1.2.80, 2 Feb 1980, February 2, 1980
  /\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b/g,
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?[\\s-]+${MONTH}[\\s,-]+\\d{2,4}\\b`, 'gi'),
  new RegExp(`\\b${MONTH}[\\s-]+\\d{1,2}(?:st|nd|rd|th)?,?[\\s-]+\\d{2,4}\\b`, 'gi'),
  /\+?\d[\d ().-]{7,}\d/g, // phone numbers and long digit runs (MRNs, account numbers)
  /\b[A-Z]{1,4}\d{5,}\b/g, // MRN with a letter prefix
  /\b\d{5,}\b/g, // bare MRN-like numbers
  // whatever follows a word that announces an identifier: "MRN 12345", "patient-Smith", "dob: ..."
  /(?<=\b(?:mrn|patient|pt|dob|born|ssn|member|acct|account|name|surname|firstname|lastname)(?:[\s#:=_-]|\bid\b)+)[^\s/,;|]+/gi,
  /\b[A-Z][a-z]+(?:[ '-][A-Z][a-z]+)+\b/g, // "John Smith", "Mary-Jane O'Neil": capitalised name runs
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
