import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Which database a test server runs on. The vitest project decides (see vitest.config.ts): the
 * `pglite` project uses an in-memory PGlite per server, the `postgres` project a fresh database on
 * TEST_DATABASE_URL's server per test file, dropped afterwards.
 */
export const testDatabaseKind = process.env.TEST_DB === 'postgres' ? 'postgres' : 'pglite';

export interface TestDatabase {
  /** The DATABASE_URL to give the server. */
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseKind === 'pglite') return { url: 'memory:', drop: async () => {} };
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL');
  const name = `sg_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ).then(() => {}),
  };
}

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * One database shared by servers started one after another (as after a redeploy): embedded PGlite in
 * a shared DATA_DIR, or one PostgreSQL database.
 */
export async function sharedStorage(): Promise<{
  database: TestDatabase;
  env: Record<string, string>;
  remove(): Promise<void>;
}> {
  if (testDatabaseKind === 'postgres') {
    const database = await createTestDatabase();
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
