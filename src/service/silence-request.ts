// POST /api/silences: the body in Alertmanager's API words (matchers, startsAt, endsAt, createdBy,
// comment), checked field by field so a 400 says which field is wrong and what to write instead.
import { z } from 'zod';
import { closestWord } from '../config/index.js';
import type { LabelMatcher } from '../config/index.js';
import { MatcherError, parseMatcher } from '../policy/matchers.js';
import type { SilenceInput } from '../escalate/types.js';

export interface RequestProblem {
  readonly field: string;
  readonly message: string;
  readonly fix?: string;
}

/** Alertmanager's matcher object; `isEqual` defaults to true as in its API. */
const matcherObject = z.strictObject({
  name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'label names are letters, digits and _'),
  value: z.string(),
  isRegex: z.boolean().default(false),
  isEqual: z.boolean().default(true),
});

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time such as 2026-11-23T08:00:00Z' });

const silenceBody = z.strictObject({
  matchers: z.array(z.union([z.string(), matcherObject])).min(1, 'at least one matcher is needed (a silence of everything is a mistake)'),
  startsAt: isoTime.optional(),
  endsAt: isoTime,
  createdBy: z.string().trim().min(1, 'say who creates the silence'),
  comment: z.string().trim().min(1, 'say why (a ticket, the incident)'),
});

const FIELDS = Object.keys(silenceBody.shape);
const ALIASES: Record<string, string> = {
  start: 'startsAt', end: 'endsAt', author: 'createdBy', starts_at: 'startsAt', ends_at: 'endsAt', created_by: 'createdBy',
};

const FIXES: Record<string, string> = {
  matchers: 'write matchers as ["partner=\\"acme\\""] or [{"name":"partner","value":"acme"}]',
  startsAt: 'use an ISO-8601 time such as 2026-11-23T08:00:00Z, or leave it out for now',
  endsAt: 'use an ISO-8601 time such as 2026-11-23T10:00:00Z',
  createdBy: 'set createdBy to your name',
  comment: 'set comment to the reason, e.g. "partner maintenance, ticket OPS-42"',
};

export function parseSilenceRequest(body: unknown, nowMs: number): { ok: true; input: SilenceInput } | { ok: false; problems: RequestProblem[] } {
  const parsed = silenceBody.safeParse(body);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map(describe) };
  const { matchers, startsAt, endsAt, createdBy, comment } = parsed.data;
  const problems: RequestProblem[] = [];
  const labelMatchers: LabelMatcher[] = [];
  matchers.forEach((m, i) => {
    if (typeof m !== 'string') {
      const op = m.isEqual ? (m.isRegex ? '=~' : '=') : m.isRegex ? '!~' : '!=';
      labelMatchers.push({ label: m.name, op, value: m.value });
      return;
    }
    try {
      labelMatchers.push(parseMatcher(m));
    } catch (error) {
      if (!(error instanceof MatcherError)) throw error;
      problems.push({ field: `matchers[${i}]`, message: error.message, fix: error.fix });
    }
  });
  const startsAtMs = startsAt === undefined ? nowMs : Date.parse(startsAt);
  const endsAtMs = Date.parse(endsAt);
  if (endsAtMs <= nowMs) problems.push({ field: 'endsAt', message: 'endsAt is in the past', fix: 'a silence must end in the future' });
  else if (endsAtMs <= startsAtMs) problems.push({ field: 'endsAt', message: 'endsAt is not after startsAt', fix: 'end the silence later than it starts' });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, input: { matchers: labelMatchers, startsAtMs, endsAtMs, createdBy, comment } };
}

function describe(issue: z.core.$ZodIssue): RequestProblem {
  const field = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('') || 'body';
  const top = String(issue.path[0] ?? '');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    // Common other spellings first (the words people say), then the closest field name.
    const suggestion = issue.path.length === 0 ? (ALIASES[key] ?? closestWord(key, FIELDS)) : undefined;
    return { field: key, message: `unknown field ${JSON.stringify(key)}`, fix: suggestion ? `did you mean ${JSON.stringify(suggestion)}?` : `fields are ${FIELDS.join(', ')}` };
  }
  if (issue.code === 'invalid_type' && issue.path.length === 0) {
    return { field: 'body', message: 'the body must be a JSON object', fix: `send {${FIELDS.map((f) => JSON.stringify(f)).join(', ')}}` };
  }
  const missing = issue.code === 'invalid_type' && issue.input === undefined;
  return { field, message: missing ? `missing ${field}` : `${field}: ${issue.message}`, fix: FIXES[top] };
}
