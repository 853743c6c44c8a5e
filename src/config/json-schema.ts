// JSON Schemas for editors, generated from the very zod schemas the loaders validate with (zod 4's
// z.toJSONSchema, input side), so completion and red squiggles in the editor agree with `sentinel
// check`. Durations and selectors are strings that zod transforms; they are described as the strings
// a user writes, with the defaults in the file's own units (`5m`, not 300000).
import { z } from 'zod';
import { durationMs, formatDuration } from './duration.js';
import { selector } from './selector.js';

export interface EditorSchemaOptions {
  readonly title: string;
  readonly description: string;
  /** More string-in, value-out schemas to describe as strings (e.g. matcher text). */
  readonly strings?: ReadonlyArray<{ schema: z.ZodType; description: string }>;
}

const DURATION = {
  type: 'string',
  pattern: '^(0|([0-9]+(ms|s|m|h|d|w))+)$',
  description: 'A Prometheus duration: a number and a unit (ms, s, m, h, d, w), e.g. 30s, 5m, 1h30m.',
};

export function editorSchema(schema: z.ZodType, options: EditorSchemaOptions): Record<string, unknown> {
  const strings = new Map<unknown, string>([[selector, 'A PromQL series selector: metric_name{label="value", other=~"regex"}.'], ...(options.strings ?? []).map((s) => [s.schema, s.description] as const)]);
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const def = (zodSchema as unknown as { _zod: { def: { type: string; innerType?: unknown; defaultValue?: unknown } } })._zod.def;
      const target = jsonSchema as Record<string, unknown>;
      if (zodSchema === durationMs) replace(target, DURATION);
      else if (strings.has(zodSchema)) replace(target, { type: 'string', description: strings.get(zodSchema) });
      else if (def.type === 'default' && def.innerType === durationMs && typeof def.defaultValue === 'number') target.default = formatDuration(def.defaultValue);
    },
  }) as Record<string, unknown>;
  return { $schema: json.$schema, title: options.title, description: options.description, ...without(json, '$schema') };
}

function replace(target: Record<string, unknown>, value: Record<string, unknown>): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, value);
}

function without(object: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _omitted, ...rest } = object;
  return rest;
}
