// URL shapes that carry patient identifiers, as partner APIs really put them in paths, query strings
// and fragments. Each entry keeps the identifier so the test can look for it in /metrics.

/** Identifiers as they appear in a URL (percent-encoded where a browser or client would encode). */
export const IDENTIFIERS: { kind: string; value: string }[] = [
  { kind: 'numeric id', value: '4815162342' },
  { kind: 'short numeric id', value: '88213' },
  { kind: 'uuid', value: '3f2b8c1e-9d4a-4e6b-a7c2-5e1f0d9b8a76' },
  { kind: 'uuid upper', value: 'C56A4180-65AA-42EC-A945-5FD21DEC0538' },
  { kind: 'object id', value: '507f1f77bcf86cd799439011' },
  { kind: 'hex', value: 'deadbeefcafe1234' },
  { kind: 'mrn', value: 'MRN-0042137' },
  { kind: 'mrn letters', value: 'A7734291' },
  { kind: 'mrn zero-padded', value: '000731954' },
  { kind: 'ssn', value: '123-45-6789' },
  { kind: 'ssn digits', value: '987654320' },
  { kind: 'medicare mbi', value: '1EG4-TE5-MK73' },
  { kind: 'member id', value: 'XKZ918273645' },
  { kind: 'dob iso', value: '1984-03-07' },
  { kind: 'dob us', value: '03-07-1984' },
  { kind: 'dob compact', value: '19840307' },
  { kind: 'dob slashes encoded', value: '03%2F07%2F1984' },
  { kind: 'email', value: 'jane.doe@example.com' },
  { kind: 'email encoded', value: 'maria.garcia%40clinic.example' },
  { kind: 'phone e164', value: '+15558675309' },
  { kind: 'phone dashed', value: '555-867-5309' },
  { kind: 'phone parens encoded', value: '%28555%29%20123-4567' },
  { kind: 'name kebab', value: 'john-smith' },
  { kind: 'surname', value: 'Okonkwo' },
  { kind: 'lowercase surname', value: 'nguyen' },
  { kind: 'name with space', value: 'Maria%20Garcia' },
  { kind: 'name comma', value: 'garcia,maria' },
  { kind: 'name apostrophe', value: "o'brien" },
  { kind: 'name camel', value: 'JaneDoe' },
  { kind: 'name with digits', value: 'jdoe84' },
  { kind: 'name unicode', value: 'Jos%C3%A9%20Mu%C3%B1oz' },
  { kind: 'jwt-like token', value: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwMTIzIn0.c2lnbmF0dXJlLXZhbHVl' },
  { kind: 'base64 token', value: 'dGhpcyBpcyBhIHNlY3JldCB0b2tlbg' },
];

/** Path shapes; `{x}` is replaced by the identifier. Query strings and fragments included on purpose. */
export const SHAPES: string[] = [
  '/patients/{x}',
  '/api/v2/patients/{x}/appointments',
  '/fhir/r4/Patient/{x}/$everything',
  '/patients/search/{x}',
  '/patients/by-name/{x}/lab-results',
  '/members/{x}/eligibility?dob=1984-03-07&ssn=123-45-6789',
  '/{x}',
  '/lookup?patient={x}#{x}',
];

export function corpus(baseUrl: string): { url: string; identifier: string }[] {
  const out: { url: string; identifier: string }[] = [];
  for (const shape of SHAPES) {
    for (const { value } of IDENTIFIERS) out.push({ url: baseUrl + shape.replaceAll('{x}', value), identifier: value });
  }
  return out;
}
