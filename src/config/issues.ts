// Zod's issues, rewritten for a person editing a YAML file: name the key or value at fault and
// say what to write instead.
import type { z } from 'zod';
import { closestWord, quotedList } from './suggest.js';

export interface DescribedIssue {
  message: string;
  fix?: string;
  /** For unknown keys: point at that key inside the mapping rather than at the mapping. */
  pointAtKey?: string;
}

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

export function describeIssue(issue: Issue, schema: z.ZodType, data: unknown): DescribedIssue {
  const where = issue.path.length > 0 ? String(issue.path[issue.path.length - 1]) : 'the file';
  const actual = valueAt(data, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0]!;
      const known = knownKeysAt(schema, issue.path, data);
      const guess = known ? closestWord(key, known) : undefined;
      const extra = issue.keys.length > 1 ? ` (and ${quotedList(issue.keys.slice(1))})` : '';
      return {
        message: `unknown field ${JSON.stringify(key)}${extra}`,
        fix: guess ? `did you mean ${JSON.stringify(guess)}?` : known ? `known fields are ${quotedList(known)}` : 'remove it',
        pointAtKey: key,
      };
    }
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      const discriminator = (issue as { discriminator?: string }).discriminator;
      if (options && discriminator) {
        const words = options.map(String);
        const guess = typeof actual === 'string' ? closestWord(actual, words) : undefined;
        return {
          message: actual === undefined ? `missing ${discriminator}` : `unknown ${discriminator} ${JSON.stringify(actual)}`,
          fix: guess ? `did you mean ${JSON.stringify(guess)}?` : `use one of ${quotedList(words)}`,
        };
      }
      return { message: `${where}: ${issue.message}` };
    }
    case 'invalid_value': {
      const words = issue.values.map(String);
      const guess = typeof actual === 'string' ? closestWord(actual, words) : undefined;
      return {
        message: `${where}: ${JSON.stringify(actual)} is not allowed`,
        fix: guess ? `did you mean ${JSON.stringify(guess)}?` : `use one of ${quotedList(words)}`,
      };
    }
    case 'invalid_type': {
      if (actual === undefined) return { message: `missing required field ${JSON.stringify(where)}`, fix: `add ${where}: <${issue.expected}>` };
      return { message: `${where} must be ${article(issue.expected)}, not ${describeValue(actual)}`, fix: `write ${where} as ${article(issue.expected)}` };
    }
    case 'too_small':
    case 'too_big':
      return { message: `${where}: ${issue.message.replace(/^Too (small|big): /, '')}` };
    case 'custom': {
      const fix = (issue.params as { fix?: string } | undefined)?.fix;
      return { message: issue.message, fix };
    }
    default:
      return { message: `${where}: ${issue.message}` };
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(data: unknown, path: Path): unknown {
  let current = data;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** The field names an object schema allows at `path`, walking through arrays, optionals and unions. */
function knownKeysAt(schema: z.ZodType, path: Path, data: unknown): string[] | undefined {
  let current: ZodLike | undefined = schema as unknown as ZodLike;
  let value = data;
  for (const key of path) {
    current = unwrap(current, value);
    if (!current) return undefined;
    const def = current._zod.def;
    if (def.type === 'object' && def.shape) current = def.shape[key as string];
    else if (def.type === 'array' && def.element) current = def.element;
    else if (def.type === 'record' && def.valueType) current = def.valueType;
    else return undefined;
    value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  current = unwrap(current, value);
  const shape = current?._zod.def.shape;
  return shape ? Object.keys(shape) : undefined;
}

interface ZodLike {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, ZodLike>;
      element?: ZodLike;
      valueType?: ZodLike;
      innerType?: ZodLike;
      in?: ZodLike;
      options?: ZodLike[];
      discriminator?: string;
    };
  };
}

/** Strip optional/default/pipe wrappers; for a union, pick the option whose discriminator matches. */
function unwrap(schema: ZodLike | undefined, value: unknown): ZodLike | undefined {
  let current = schema;
  for (let guard = 0; current && guard < 20; guard++) {
    const def = current._zod.def;
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'union' && def.options) {
      const discriminator = def.discriminator;
      const tag = discriminator && value && typeof value === 'object' ? (value as Record<string, unknown>)[discriminator] : undefined;
      const match = def.options.find((option) => {
        const literal = unwrap(option, value)?._zod.def.shape?.[discriminator ?? '']?._zod.def as { values?: unknown[] } | undefined;
        return literal?.values?.includes(tag);
      });
      current = match ?? def.options.find((o) => unwrap(o, value)?._zod.def.type === 'object');
      if (current === match || current) return unwrap(current, value);
      return undefined;
    } else return current;
  }
  return current;
}
