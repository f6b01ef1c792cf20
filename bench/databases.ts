import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPostgresDatabase, withClient } from '../test/support/private-postgres.js';
import { type Account, LIMITS_OFF, signUp, startOurs } from './servers.js';
import { type Db, settings } from './settings.js';

/**
 * A database for a scenario, on PostgreSQL (a fresh database on the admin URL's server, made by the
 * tests' harness) or PGlite (a fresh data directory), with a signed-up bench user and as many
 * sessions in the table as asked for.
 */
export interface Bed {
  db: Db;
  /** What a server needs to run on it: DATABASE_URL or DATA_DIR. */
  env: Record<string, string>;
  user: Account;
  /** PostgreSQL only: the database's URL (the peer's DATABASE_URL, the idle probe's target). */
  url?: string;
  remove(): Promise<void>;
}

export type Sql = (
  text: string,
  params?: unknown[],
) => Promise<{ rows: Record<string, unknown>[] }>;

export const freshPostgres = () => createPostgresDatabase(settings.adminUrl, 'sg_bench');

export const pgSql =
  (url: string): Sql =>
  (text, params) =>
    withClient(url, (client) => client.query(text, params));

export async function prepareBed(db: Db, sessions = 1_000): Promise<Bed> {
  if (db === 'PostgreSQL') {
    const database = await freshPostgres();
    const env = { DATABASE_URL: database.url };
    const user = await seed(env, (filler) => fillSessions(pgSql(database.url), filler, sessions));
    return { db, env, user, url: database.url, remove: database.drop };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'sg-bench-'));
  const env = { DATA_DIR: dataDir };
  // PGlite is one process's database: the filler rows are written while no server runs.
  const user = await seed(env, (filler) =>
    withPglite(dataDir, (sql) => fillSessions(sql, filler, sessions)),
  );
  return { db, env, user, remove: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** Signs up the bench user and a filler user on a server of its own, then fills the table with it stopped. */
async function seed(
  env: Record<string, string>,
  fill: (fillerId: string) => Promise<void>,
): Promise<Account> {
  const server = await startOurs({ ...LIMITS_OFF, ...env });
  let user: Account;
  let filler: Account;
  try {
    user = await signUp(server.url, 'bench');
    filler = await signUp(server.url, 'filler');
  } finally {
    await server.stop();
  }
  await fill(filler.id);
  return user;
}

/** Brings the sessions table to `total` rows with a filler user's sessions (generate_series, one statement). */
async function fillSessions(sql: Sql, fillerUserId: string, total: number): Promise<void> {
  const { rows } = await sql('SELECT count(*)::int AS n FROM sessions');
  const missing = total - Number(rows[0]?.n ?? 0);
  if (missing > 0) {
    await sql(
      `INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, absolute_expires_at, keep_signed_in)
       SELECT gen_random_uuid(), md5(i::text || $3 || 'a') || md5(i::text || $3 || 'b'), $1::uuid, now(), now(),
              now() + interval '1 day', now() + interval '90 days', false
         FROM generate_series(1, $2::int) AS i`,
      [fillerUserId, missing, randomBytes(8).toString('hex')],
    );
  }
  // As a long-running database would be: vacuumed and analysed, not mid-autovacuum during the measurement.
  await sql('VACUUM ANALYZE sessions');
}

async function withPglite<T>(dataDir: string, work: (sql: Sql) => Promise<T>): Promise<T> {
  const db = new PGlite(join(dataDir, 'pglite'));
  try {
    return await work((text, params) => db.query<Record<string, unknown>>(text, params ?? []));
  } finally {
    await db.close();
  }
}
