import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../../src/errors.js';
import { TestClient } from '../support/client.js';
import { createTestDatabase, postgresAvailable } from '../support/database.js';
import { newAccount, SIGN_UP, signUp } from '../support/flows.js';
import {
  canRunPrivatePostgres,
  createPrivatePostgres,
  type PrivatePostgres,
} from '../support/private-postgres.js';
import { startServer, type TestServer } from '../support/server.js';
import { spawnServer } from '../support/server-process.js';
import { until } from '../support/wait.js';

/**
 * Database faults against a private PostgreSQL cluster (stopping the shared one would break every
 * other test). Run once, in the postgres project.
 */

const QUIET = { MAIL_POLL_INTERVAL: '1h', RATE_LIMIT_SIGNUP_IP: '10000' };

interface Outcome {
  status: number;
  retryAfter: string | null;
  me: { id: string } | null | undefined;
  errors: { message: string; extensions?: { code?: string; retryAfter?: number } }[] | undefined;
  setCookie: string[];
}

interface LogLine {
  level: number;
  msg: string;
  component?: string;
  reason?: string;
}

async function meWith(server: TestServer, cookie: string): Promise<Outcome> {
  const response = await server.fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `sessionId=${cookie}` },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  const text = await response.text();
  let body: { data?: { me: { id: string } | null }; errors?: Outcome['errors'] } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`not a GraphQL response (${response.status}): ${text.slice(0, 200)}`);
  }
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    me: body.data?.me,
    errors: body.errors,
    setCookie: response.headers.getSetCookie(),
  };
}

const readyStatus = async (server: TestServer) =>
  (await server.fetch(`${server.origin}/ready`)).status;

describe.runIf(postgresAvailable && canRunPrivatePostgres)('database faults', () => {
  let cluster: PrivatePostgres;
  let server: TestServer;
  const log: string[] = [];
  const logLines = () => log.map((line) => JSON.parse(line) as LogLine);

  beforeAll(async () => {
    cluster = await createPrivatePostgres();
    server = await startServer({
      database: { url: cluster.url, drop: async () => {} },
      env: { ...QUIET, LOG_LEVEL: 'warn' },
      logStream: { write: (line: string) => void log.push(line) },
    });
    await until(() => server.booted.app.services.sessions.cache.isTrusted);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await cluster?.remove();
  });

  it('PostgreSQL stopped under load: 503 UNAVAILABLE with Retry-After, cookies kept, /ready 503; started again: recovers without a restart', async () => {
    const users = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const c = new TestClient(server);
        const { user, session } = await signUp(c);
        return { id: user.id, sessionId: session.id, cookie: c.sessionValue!, client: c };
      }),
    );
    const [revoked, ...live] = users;
    expect(revoked).toBeDefined();
    await revoked!.client.request('mutation { logout }');

    const outcomes: Outcome[] = [];
    let stop = false;
    const load = live.map(async ({ cookie }) => {
      while (!stop) {
        outcomes.push(await meWith(server, cookie));
        await sleep(5);
      }
    });
    // Every user's load has answered once before the stop, and again during the outage.
    await until(() => outcomes.length >= live.length, 10_000);
    await cluster.stop('fast');
    await until(async () => (await readyStatus(server)) === 503, 10_000, 50);
    expect((await server.fetch(`${server.origin}/health`)).status).toBe(200);
    const duringOutage = outcomes.length;
    await until(
      () => outcomes.slice(duringOutage).filter((o) => o.me == null).length >= live.length,
      20_000,
    );
    await cluster.start();
    await until(async () => (await readyStatus(server)) === 200, 20_000, 100);
    await until(async () => (await meWith(server, live[0]!.cookie)).me != null, 20_000, 100);
    stop = true;
    await Promise.all(load);

    const failures = outcomes.filter((o) => o.me == null);
    expect(outcomes.length).toBeGreaterThan(duringOutage);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      // Unavailable, not broken: a client (or load balancer) may retry, and knows when.
      expect(failure.status).toBe(503);
      expect(failure.retryAfter).toMatch(/^[1-9]\d*$/);
      expect(failure.errors).toEqual([
        expect.objectContaining({
          message: ERROR_MESSAGES.UNAVAILABLE,
          extensions: { code: 'UNAVAILABLE', retryAfter: Number(failure.retryAfter) },
        }),
      ]);
      // Masked: no SQL, no stack, no driver message, host or port reaches the client.
      expect(JSON.stringify(failure.errors)).not.toMatch(
        new RegExp(
          `ECONNREFUSED|terminat|sessions|prisma|postgres|127\\.0\\.0\\.1|${cluster.port}`,
          'i',
        ),
      );
      // A database outage is not a dead session: the browser must keep its cookie.
      expect(failure.setCookie).toEqual([]);
    }
    // One warning for the outage, not an error with a stack per failed request.
    const warnings = logLines().filter((line) => line.msg.startsWith('database unavailable'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, reason: expect.any(String) });
    expect(
      logLines().filter(
        (line) =>
          line.level >= 50 && (line.component === 'yoga' || line.msg === 'unexpected error'),
      ),
    ).toEqual([]);

    for (const user of live) {
      const recovered = await meWith(server, user.cookie);
      expect(recovered).toMatchObject({
        status: 200,
        retryAfter: null,
        errors: undefined,
        setCookie: [],
      });
      expect(recovered.me?.id).toBe(user.id);
    }
    const after = await meWith(server, revoked!.cookie);
    expect(after.me).toBeNull();
    expect(after.errors).toBeUndefined();
  }, 90_000);

  it('connections killed mid-load (pg_terminate_backend): no half-written user or session, and the server carries on', async () => {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    // Earlier tests logged users out on purpose; only the users made under fire count here.
    const since = (await admin.query('SELECT now() AS t')).rows[0].t as Date;
    // Holds the sessions table so a sign-up is caught between its user row and its session row.
    const holder = new pg.Client({ connectionString: cluster.url });
    await holder.connect();
    const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
      .rows[0]?.pid;
    const results: { ok: boolean; id?: string; cookie?: string }[] = [];
    let stop = false;
    const workers = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const c = new TestClient(server);
        const response = await c.request(SIGN_UP, {
          input: newAccount(),
        });
        const id = response.data?.signUp.user.id;
        results.push(id ? { ok: true, id, cookie: c.sessionValue! } : { ok: false });
      }
    });
    const terminateServerConnections = () =>
      admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), $1) AND backend_type = 'client backend'`,
        [holderPid],
      );
    const waitingForHolder = async () =>
      (
        await admin.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
          [holderPid],
        )
      ).rows[0]?.n ?? 0;
    try {
      for (let round = 0; round < 10; round++) {
        // The server has carried on since the last kill: a sign-up succeeded on fresh connections.
        const succeededBefore = results.filter((r) => r.ok).length;
        await until(() => results.filter((r) => r.ok).length > succeededBefore, 20_000, 5);
        if (round % 2 === 0) {
          // Kill a sign-up certainly mid-transaction: its user row written, its session row waiting.
          await holder.query('BEGIN');
          await holder.query('LOCK TABLE sessions IN EXCLUSIVE MODE');
          await until(async () => (await waitingForHolder()) > 0, 20_000, 5);
          await terminateServerConnections();
          await holder.query('ROLLBACK');
        } else {
          // And wherever the work happens to be.
          await terminateServerConnections();
        }
      }
    } finally {
      stop = true;
      await Promise.all(workers);
      await holder.end();
    }
    await until(() => server.booted.app.services.sessions.cache.isTrusted, 20_000);

    const orphans = await admin.query(
      `SELECT u.id::text, u.created_at FROM users u
        WHERE u.created_at >= $1 AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id)`,
      [since],
    );
    await admin.end();
    const known = new Set(results.map((r) => r.id));
    expect(
      orphans.rows.map((row: { id: string }) => ({ ...row, answered: known.has(row.id) })),
    ).toEqual([]);
    expect(results.filter((r) => !r.ok).length).toBeGreaterThan(0);
    const succeeded = results.filter((r) => r.ok);
    expect(succeeded.length).toBeGreaterThan(0);
    for (const { id, cookie } of succeeded.slice(-5))
      expect((await meWith(server, cookie!)).me?.id).toBe(id);
    // And new work succeeds on fresh connections.
    await signUp(new TestClient(server));
  }, 60_000);

  it('starts while the database is down and becomes ready once it comes up within DB_WAIT', async () => {
    await cluster.stop('fast');
    const startLog: string[] = [];
    const starting = startServer({
      database: { url: cluster.url, drop: async () => {} },
      env: { ...QUIET, DB_WAIT: '30s', LOG_LEVEL: 'warn' },
      logStream: { write: (line: string) => void startLog.push(line) },
    });
    // The database comes up only once start-up has found it down and is waiting for it.
    await until(() => startLog.some((line) => line.includes('waiting up to')), 20_000, 20);
    await cluster.start();
    const late = await starting;
    try {
      expect(await readyStatus(late)).toBe(200);
      await signUp(new TestClient(late));
    } finally {
      await late.close();
    }
  }, 60_000);
});

describe.runIf(postgresAvailable)('kill -9', () => {
  it('the server killed during sign-ups leaves no user without its session, and starts again', async () => {
    const database = await createTestDatabase('postgres');
    const start = () =>
      spawnServer({
        DATABASE_URL: database.url,
        LOG_LEVEL: 'silent',
        RATE_LIMIT_SIGNUP_IP: '10000',
        // The idle scheduling class would give sign-ups' hashes no CPU on a busy machine; this is about a crash.
        PASSWORD_HASH_IDLE_CLASS: 'false',
      });
    try {
      const first = await start();
      let succeeded = 0;
      let cut = 0;
      let stop = false;
      const workers = Array.from({ length: 10 }, async () => {
        while (!stop) {
          const response = await new TestClient(first)
            .request(SIGN_UP, { input: newAccount() })
            .catch(() => undefined);
          if (response?.data?.signUp) succeeded++;
          if (!response) cut++;
        }
      });
      await until(() => succeeded >= 3, 30_000);
      // The kill lands on a sign-up certainly mid-transaction: its user row written, its session row
      // waiting for the sessions table, which we hold until the server is dead.
      const admin = new pg.Client({ connectionString: database.url });
      const holder = new pg.Client({ connectionString: database.url });
      await admin.connect();
      await holder.connect();
      try {
        const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
          .rows[0]?.pid;
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE sessions IN EXCLUSIVE MODE');
        await until(
          async () =>
            ((
              await admin.query<{ n: number }>(
                'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
                [holderPid],
              )
            ).rows[0]?.n ?? 0) > 0,
          20_000,
          5,
        );
        await first.stop('SIGKILL');
        stop = true;
        await holder.query('ROLLBACK');
        await Promise.all(workers);
        expect(cut).toBeGreaterThan(0);

        const users = await admin.query('SELECT count(*)::int AS n FROM users');
        const orphans = await admin.query(
          'SELECT count(*)::int AS n FROM users u WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id)',
        );
        expect(users.rows[0].n).toBeGreaterThanOrEqual(succeeded);
        expect(orphans.rows[0].n).toBe(0);
      } finally {
        await admin.end();
        await holder.end();
      }

      const second = await start();
      try {
        await signUp(new TestClient(second));
      } finally {
        await second.stop();
      }
    } finally {
      await database.drop();
    }
  }, 120_000);
});
