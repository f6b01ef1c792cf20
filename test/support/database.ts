import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresDatabase } from './private-postgres.js';

export type DatabaseKind = 'pglite' | 'postgres';

/**
 * Which database a test server runs on unless the test says otherwise. The vitest project decides
 * (see vitest.config.ts): an in-memory PGlite per server, or (the `postgres` project) a fresh database
 * on TEST_DATABASE_URL's server, dropped afterwards.
 */
export const testDatabaseKind: DatabaseKind =
  process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';

/** The PostgreSQL server the tests may use (an admin URL), when one was given. */
export const testDatabaseUrl: string | undefined = process.env.TEST_DATABASE_URL;

/** Whether a PostgreSQL server was given (TEST_DATABASE_URL), for tests that need one whatever the project. */
export const postgresAvailable = Boolean(testDatabaseUrl);

/** Every engine this run can test on, for a test of the process that runs once per engine. */
export const databaseKinds: DatabaseKind[] = [
  'pglite',
  ...(postgresAvailable ? ['postgres' as const] : []),
];

export interface TestDatabase {
  /** The DATABASE_URL to give the server. */
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(
  kind: DatabaseKind = testDatabaseKind,
): Promise<TestDatabase> {
  if (kind === 'pglite') return { url: 'memory:', drop: async () => {} };
  const adminUrl = testDatabaseUrl;
  if (!adminUrl) throw new Error('a PostgreSQL test database needs TEST_DATABASE_URL');
  return createPostgresDatabase(adminUrl);
}

/**
 * One database shared by servers started one after another (as after a redeploy): embedded PGlite in
 * a shared DATA_DIR, or one PostgreSQL database.
 */
export async function sharedStorage(kind: DatabaseKind = testDatabaseKind): Promise<{
  database: TestDatabase;
  env: Record<string, string>;
  remove(): Promise<void>;
}> {
  if (kind === 'postgres') {
    const database = await createTestDatabase(kind);
    return { database, env: {}, remove: () => database.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'sessiongraph-shared-'));
  return {
    // An empty DATABASE_URL means the embedded default: PGlite in DATA_DIR.
    database: { url: '', drop: async () => {} },
    env: { DATA_DIR: dir },
    remove: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
