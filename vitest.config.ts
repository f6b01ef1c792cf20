import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Tests are grouped by what they depend on, one folder per group:
 * - `http` (test/http/, and unit tests beside their module in src/): HTTP and GraphQL behaviour that
 *   does not depend on the database engine, run once, in process (yoga.fetch) over PGlite in memory;
 * - `pglite` and `postgres` (test/db/): behaviour of the stored state (sessions, cache, sync, races,
 *   counters, the mail outbox), run on each engine; a test file not yet in a folder runs here too, so
 *   none loses an engine by default. The postgres project needs TEST_DATABASE_URL and is left out
 *   without it;
 * - `process` (test/process/): the server as a process of its own, faults, timing, memory and browsers,
 *   run once; its files pick their database themselves (PostgreSQL ones only with TEST_DATABASE_URL).
 */
const withPostgres = Boolean(process.env.TEST_DATABASE_URL);
const database = ['test/db/**/*.test.ts', 'test/*.test.ts'];

const project = (
  name: string,
  include: string[],
  db: 'pglite' | 'postgres' = 'pglite',
  order = 0,
) => ({
  extends: true as const,
  test: { name, include, env: { TEST_DB: db }, sequence: { groupOrder: order } },
});

export default defineConfig({
  // graphql 16 ships CJS and ESM builds; Node loads the CJS one for the libraries, so the tests'
  // own imports must too, or schema types would come from two realms.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    projects: [
      project('http', ['test/http/**/*.test.ts', 'src/**/*.test.ts']),
      project('pglite', database),
      ...(withPostgres ? [project('postgres', database, 'postgres')] : []),
      // After the others: its timing tests (argon2 in the idle scheduling class, memory, medians)
      // measure this machine, and the in-process tests would be load they did not ask for.
      project('process', ['test/process/**/*.test.ts'], 'pglite', 1),
    ],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most of a test's time is spent waiting (for child processes, SMTP, PostgreSQL, argon2 in its own
    // process), so one worker more than there are cores; and a worker keeps its modules from one file
    // to the next (each file builds its own servers, and workers are never shared between projects),
    // rather than importing the app again for every file.
    maxWorkers: availableParallelism() + 1,
    isolate: false,
  },
});
