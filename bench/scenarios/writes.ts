import { setTimeout as sleep } from 'node:timers/promises';
import { startServer } from '../../test/support/server.js';
import { freshPostgres } from '../databases.js';
import { fmt } from '../load.js';
import { perDatabase, type Scenario, type Verdict, verdict } from '../scenario.js';
import { BARE, gql, LIMITS_OFF, ME, SIGN_IN, signUp } from '../servers.js';
import { DATABASES, type Db, log } from '../settings.js';

const WRITE = /^\s*(UPDATE|INSERT INTO|DELETE FROM)\s+("public"\.)?"?sessions/i;

/**
 * In process (the tests' harness, test/support/server.ts), every SQL statement Prisma sends is
 * counted; hashing is not what this measures, so the harness's cheap argon2 parameters keep it quick.
 */
async function counts(db: Db) {
  const database =
    db === 'PostgreSQL' ? await freshPostgres() : { url: 'memory:', drop: async () => {} };
  const server = await startServer({
    database,
    env: { ...LIMITS_OFF, MAIL_POLL_INTERVAL: '1h' },
    listen: true,
  });
  const url = server.graphqlUrl;
  const { sessions } = server.booted.app.services;
  try {
    while (!sessions.cache.isTrusted) await sleep(10);
    const user = await signUp(url, 'counts');
    const cookies: string[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await gql(url, SIGN_IN, {
        input: { name: user.name, password: 'bench-password-long-enough' },
      });
      if (!res.cookie) throw new Error('sign-in failed');
      cookies.push(res.cookie);
    }
    const sql: string[][] = [];
    const per = async (label: string, n: number, send: (i: number) => Promise<unknown>) => {
      server.resetQueryLog();
      for (let i = 0; i < n; i++) await send(i);
      const each = server.queries.length / n;
      sql.push([label, fmt(each, 2)]);
      return each;
    };
    await per('`{ __typename }`', 100, () => gql(url, BARE));
    sessions.cache.clear();
    const miss = await per(
      '`me`, session not cached (first request after start; cache off)',
      100,
      (i) => gql(url, ME, {}, cookies[i]),
    );
    await per('`me`, session cached (every later request)', 1_000, (i) =>
      gql(url, ME, {}, cookies[i % 100]),
    );
    await per('`signIn`', 20, () =>
      gql(url, SIGN_IN, { input: { name: user.name, password: 'bench-password-long-enough' } }),
    );

    // Every session made due for a touch, then 10,000 reads spread over the 100 sessions.
    await server.booted.db.prisma
      .$executeRaw`UPDATE sessions SET last_seen_at = last_seen_at - interval '10 minutes'`;
    sessions.cache.clear();
    const since = new Date();
    server.resetQueryLog();
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < 10_000) {
          const i = next++;
          await gql(url, ME, {}, cookies[i % 100]);
        }
      }),
    );
    await sessions.close();
    const statements = server.queries.length;
    const writes = server.queries.filter((text) => WRITE.test(text)).length;
    const touched = await server.booted.db.prisma.session.count({
      where: { lastSeenAt: { gte: since } },
    });
    return {
      sql,
      miss,
      touched,
      writeRow: [
        '10,000 `me` over 100 sessions',
        String(touched),
        String(writes),
        fmt(statements / 10_000, 3),
      ],
    };
  } finally {
    await server.close();
    await database.drop();
  }
}

export const writes: Scenario = {
  name: 'writes',
  title: 'Session writes and SQL statements per request',
  goal: [
    'Every session made due for a touch first (lastSeenAt set back 10 minutes; the touch interval is 1 minute),',
    'then 10,000 reads over 100 sessions, 20 at a time. Goal: ≤ 100 session rows written; a `me` whose session',
    "is not cached costs one statement. Counted in-process from Prisma's query log (`onQuery`).",
  ].join('\n'),
  async run() {
    const writeRows: Partial<Record<Db, string[][]>> = {};
    const sqlRows: Partial<Record<Db, string[][]>> = {};
    const verdicts: Verdict[] = [];
    for (const db of DATABASES) {
      log(db, 'session writes, SQL statements per request');
      const result = await counts(db);
      writeRows[db] = [result.writeRow];
      sqlRows[db] = result.sql;
      verdicts.push(
        verdict(`${db}: ≤ 100 session rows written`, String(result.touched), result.touched <= 100),
        verdict(`${db}: one statement per cache miss`, fmt(result.miss, 2), result.miss <= 1),
      );
    }
    return {
      markdown: [
        perDatabase(
          ['run', 'session rows written', 'write statements', 'SQL statements per request'],
          writeRows,
        ),
        '',
        '**SQL statements per request**',
        '',
        perDatabase(['request', 'statements per request'], sqlRows),
      ].join('\n'),
      verdicts,
    };
  },
};
