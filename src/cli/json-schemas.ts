// The JSON Schemas in schemas/, one per kind of file a user writes, generated from the loaders' zod
// schemas. test/config/json-schema.test.ts fails when a file in schemas/ is not what this produces
// (UPDATE_SCHEMAS=1 rewrites them). Example files point at them with `# yaml-language-server: $schema=`.
import { editorSchema } from '../config/json-schema.js';
import { contactsFileSchema, matcherSchema, policyFileSchema } from '../policy/schema.js';
import { namedSelector, ruleFileSchema } from '../rules/schema.js';
import { serviceConfigSchema } from '../service/config.js';

// Kinds other than anomaly take a selector that names its metric: the same string for an editor.
const NAMED_SELECTOR = { schema: namedSelector, description: 'A PromQL series selector: metric_name{label="value", other=~"regex"}.' };
const MATCHER = { schema: matcherSchema, description: 'One label matcher as in Alertmanager: label="value", label!="value", label=~"regex" or label!~"regex".' };

export function editorSchemas(): Map<string, Record<string, unknown>> {
  return new Map([
    ['rules.schema.json', editorSchema(ruleFileSchema, { title: 'Integration Sentinel rule file', description: 'rules/*.yaml: a list of detection rules (sentinel check --rules FILE validates them). See docs/rules.md.', strings: [NAMED_SELECTOR] })],
    ['sentinel.schema.json', editorSchema(serviceConfigSchema, { title: 'Integration Sentinel service config', description: 'sentinel.yaml for `sentinel run --config`: targets, rules, data_dir, listen and escalation. See the README\'s config reference.', strings: [MATCHER] })],
    ['escalation.schema.json', editorSchema(policyFileSchema, { title: 'Integration Sentinel escalation policy', description: 'A file with an escalation: section, for `sentinel backtest --notify` and `sentinel compile --target alertmanager --policy`. See docs/escalation.md.', strings: [MATCHER] })],
    ['contacts.schema.json', editorSchema(contactsFileSchema, { title: 'Integration Sentinel partner contacts', description: 'The contacts_file an escalation policy names: partner label value -> name and contacts.' })],
  ]);
}
