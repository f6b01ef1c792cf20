import { defineConfig } from 'vitest/config';

// Every test runs on the embedded PGlite; with TEST_DATABASE_URL set, the whole suite runs a second
// time on that PostgreSQL server (one fresh database per server the tests start).
const databases = ['pglite', ...(process.env.TEST_DATABASE_URL ? ['postgres'] : [])];

export default defineConfig({
  // graphql 16 ships CJS and ESM builds; Node loads the CJS one for the libraries, so the tests'
  // own imports must too, or schema types would come from two realms.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    projects: databases.map((db) => ({
      extends: true,
      test: { name: db, env: { TEST_DB: db } },
    })),
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
