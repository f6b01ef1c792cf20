import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../test/support/database.js';
import { ConfigError, loadConfig } from '../config.js';
import { UnnamedStatementsClient } from './pooler.js';

const SECRET = 'pooler-test-secret-0123456789abcdefghij';
const DIRECT = 'postgres://app:pw@db.internal:5432/app';
const POOLED = 'postgres://app:pw@pgbouncer.internal:6432/app';

const databaseOf = (env: Record<string, string>) =>
  loadConfig({ SESSION_SECRET: SECRET, ...env }).database;

describe('DIRECT_DATABASE_URL', () => {
  it('set apart from DATABASE_URL, marks DATABASE_URL as pooled and is kept for what needs one connection', () => {
    expect(databaseOf({ DATABASE_URL: POOLED, DIRECT_DATABASE_URL: DIRECT })).toEqual({
      kind: 'postgres',
      url: POOLED,
      directUrl: DIRECT,
    });
  });

  it('unset or the same as DATABASE_URL, leaves one direct connection string', () => {
    const direct = { kind: 'postgres', url: DIRECT };
    expect(databaseOf({ DATABASE_URL: DIRECT })).toEqual(direct);
    expect(databaseOf({ DATABASE_URL: DIRECT, DIRECT_DATABASE_URL: DIRECT })).toEqual(direct);
  });

  it('stops the start without a PostgreSQL DATABASE_URL, or when it is no postgres:// URL', () => {
    expect(() => databaseOf({ DIRECT_DATABASE_URL: DIRECT })).toThrow(ConfigError);
    expect(() => databaseOf({ DATABASE_URL: 'memory:', DIRECT_DATABASE_URL: DIRECT })).toThrow(
      'Invalid DIRECT_DATABASE_URL',
    );
    expect(() =>
      databaseOf({ DATABASE_URL: POOLED, DIRECT_DATABASE_URL: 'mysql://db/app' }),
    ).toThrow('Invalid DIRECT_DATABASE_URL');
  });
});

// The test harness reads the environment (only src/config.ts does in the server's own code).
const adminUrl = testDatabaseUrl;

describe.runIf(adminUrl)('a connection for a transaction-mode pooler', () => {
  const preparedAfterNamedQuery = async (client: pg.Client) => {
    await client.connect();
    try {
      const named = await client.query({
        name: 'pooler_probe',
        text: 'SELECT $1::int AS n',
        values: [7],
      });
      expect(named.rows).toEqual([{ n: 7 }]);
      const { rows } = await client.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM pg_prepared_statements',
      );
      return rows[0]?.count;
    } finally {
      await client.end();
    }
  };

  it('runs a named statement unnamed, so the server connection keeps no prepared statement', async () => {
    expect(await preparedAfterNamedQuery(new UnnamedStatementsClient(adminUrl))).toBe(0);
    // The same query on a plain connection does leave one: the probe sees what it claims to.
    expect(await preparedAfterNamedQuery(new pg.Client(adminUrl))).toBe(1);
  });
});
