// Where the Prometheus target's files go inside --out: one rules file per rule (Prometheus loads them
// with a `rule_files: [".../rules/*.yml"]` glob), one promtool unit test per rule beside them.
export function rulesFile(rule: string): string {
  return `rules/${rule}.yml`;
}

export function testFile(rule: string): string {
  return `tests/${rule}.test.yml`;
}

/** The rules file as the rule's test file names it (promtool resolves it from the test's folder). */
export function rulesFileFromTest(rule: string): string {
  return `../${rulesFile(rule)}`;
}
