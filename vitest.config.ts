import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships both .mjs and .js: Pothos requires the CommonJS one, so everything must use it too,
  // or the schema's types come from two copies of graphql.
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
