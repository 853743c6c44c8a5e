// schemas/*.json are generated from the loaders' zod schemas: this fails when one is stale
// (regenerate: UPDATE_SCHEMAS=1 npx vitest run test/config/json-schema.test.ts), and checks that the
// example files name them and that they accept the examples and reject what check rejects.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { editorSchemas } from '../../src/cli/json-schemas.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SCHEMAS = join(ROOT, 'schemas');

describe('schemas/ for editors', () => {
  const generated = editorSchemas();

  it('are what the zod schemas generate', async () => {
    for (const [name, schema] of generated) {
      const text = JSON.stringify(schema, null, 2) + '\n';
      if (process.env.UPDATE_SCHEMAS) await writeFile(join(SCHEMAS, name), text);
      const onDisk = await readFile(join(SCHEMAS, name), 'utf8').catch(() => '(missing)');
      expect(onDisk, `schemas/${name} is stale: run UPDATE_SCHEMAS=1 npx vitest run test/config/json-schema.test.ts`).toBe(text);
    }
    expect((await readdir(SCHEMAS)).sort()).toEqual([...generated.keys()].sort());
  });

  it('are named by a yaml-language-server line in every example and rule file', async () => {
    const expected: Record<string, string> = {
      'examples/sentinel.yaml': '../schemas/escalation.schema.json',
      'examples/contacts.yaml': '../schemas/contacts.schema.json',
      'examples/service/sentinel.yaml': '../../schemas/sentinel.schema.json',
    };
    for (const name of await readdir(join(ROOT, 'rules'))) if (name.endsWith('.yaml')) expected[`rules/${name}`] = '../schemas/rules.schema.json';
    for (const [file, schema] of Object.entries(expected)) {
      const first = (await readFile(join(ROOT, file), 'utf8')).split('\n', 1)[0];
      expect(first, file).toBe(`# yaml-language-server: $schema=${schema}`);
    }
  });

  it('accept the example files and reject a misspelt field, as check does', async () => {
    const validate = (name: string, data: unknown): boolean => z.fromJSONSchema(generated.get(name)! as never).safeParse(data).success;
    const rules = parse(await readFile(join(ROOT, 'rules', 'partners.yaml'), 'utf8')) as { rules: Record<string, unknown>[] };
    expect(validate('rules.schema.json', rules)).toBe(true);
    expect(validate('rules.schema.json', { rules: [{ ...rules.rules[0], windw: '5m' }] })).toBe(false);
    expect(validate('rules.schema.json', { rules: [{ ...rules.rules[0], window: 5 }] })).toBe(false);
    expect(validate('sentinel.schema.json', parse(await readFile(join(ROOT, 'examples', 'service', 'sentinel.yaml'), 'utf8')))).toBe(true);
    expect(validate('escalation.schema.json', parse(await readFile(join(ROOT, 'examples', 'sentinel.yaml'), 'utf8')))).toBe(true);
    expect(validate('contacts.schema.json', parse(await readFile(join(ROOT, 'examples', 'contacts.yaml'), 'utf8')))).toBe(true);
  });
});
