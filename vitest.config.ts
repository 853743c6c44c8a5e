import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests import the package by its public names; point them at the sources so no build is needed.
    // Exact matches, the subpath first: a plain 'integration-sentinel' prefix would also catch '/shim'.
    alias: [
      { find: /^integration-sentinel\/shim$/, replacement: src('./src/shim/index.ts') },
      { find: /^integration-sentinel$/, replacement: src('./src/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/plain-summary-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // 2 cores: more workers only fight each other.
    maxWorkers: 2,
  },
});
