import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTENER_APPLICATION_NAME } from '../../src/db/listener.js';
import { TestClient } from '../support/client.js';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../support/database.js';
import { signIn, signUp } from '../support/flows.js';
import { LOGOUT, ME_ID as ME, REFRESH_SESSION as REFRESH } from '../support/operations.js';
import { forgetPassword, mailEnv, RESET_SUBJECT } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { type ServerProcess, spawnServer } from '../support/server-process.js';
import { TestSmtp } from '../support/smtp.js';
import { until } from '../support/wait.js';

/**
 * Two server instances on one PostgreSQL database, as behind a load balancer: first two instances in
 * this process (so the tests can watch their caches and SQL), then two real server processes.
 */

const QUIET = { MAIL_POLL_INTERVAL: '1h' };

describe.runIf(testDatabaseKind === 'postgres')('two instances on one PostgreSQL', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  const trusted = (server: TestServer) => server.booted.app.services.sessions.cache.isTrusted;

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await startServer({ database, env: QUIET });
    b = await startServer({ database, env: QUIET });
    await until(() => trusted(a) && trusted(b));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  /** The same cookie presented to another instance (what a load balancer does between requests). */
  const on = (server: TestServer, c: TestClient) => {
    const copy = new TestClient(server, 'copy');
    for (const [k, v] of c.jar) copy.jar.set(k, v);
    return copy;
  };
  const meOf = async (c: TestClient) => {
    const response = await c.request(ME);
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data?.me ?? null;
  };

  it('a session started on A is valid on B', async () => {
    const onA = new TestClient(a);
    const { user } = await signUp(onA);
    expect((await meOf(on(b, onA)))?.id).toBe(user.id);
  });

  it('a session cached on A is refused by A within 100 ms of its revocation on B', async () => {
    const onA = new TestClient(a);
    const { session } = await signUp(onA);
    const keep = on(a, onA);
    expect(await meOf(keep)).not.toBeNull();
    a.resetQueryLog();
    expect(await meOf(keep)).not.toBeNull();
    expect(a.queries).toEqual([]);

    // The same user on B (here: the same cookie) revokes the session.
    const onB = on(b, onA);
    const revoked = await onB.request('mutation ($id: ID!) { revokeSession(id: $id) }', {
      id: session.id,
    });
    expect(revoked.data).toEqual({ revokeSession: true });
    const elapsed = await until(async () => (await meOf(on(a, keep))) === null, 1_000, 5);
    expect(elapsed).toBeLessThan(100);
  });

  it('a request still in flight on B with the token A just rotated away clears no cookie', async () => {
    const onA = new TestClient(a);
    await signUp(onA);
    // Another tab, sent before A's rotation answered, that the load balancer gives to B.
    const inFlight = on(b, onA);
    expect((await onA.request(REFRESH)).errors).toBeUndefined();
    const late = await inFlight.request(ME);
    expect(late.data?.me).toBeNull();
    expect(late.setCookies).toEqual([]);
    // A cookie that was never rotated away, only ended, is still cleared on B.
    const ended = new TestClient(a);
    await signUp(ended);
    const copy = on(b, ended);
    await ended.request(LOGOUT);
    expect((await copy.request(ME)).setCookies.map((cookie) => cookie.maxAge)).toEqual([0]);
  });

  it('logout on B ends the session on A, and sessions stay cached on both', async () => {
    const onA = new TestClient(a);
    await signUp(onA);
    const onB = on(b, onA);
    expect(await meOf(onA)).not.toBeNull();
    expect(await meOf(onB)).not.toBeNull();
    a.resetQueryLog();
    b.resetQueryLog();
    expect(await meOf(onA)).not.toBeNull();
    expect(await meOf(onB)).not.toBeNull();
    expect([...a.queries, ...b.queries]).toEqual([]);
    const stale = on(a, onA);
    await onB.request('mutation { logout }');
    await until(async () => (await meOf(stale)) === null, 1_000, 5);
  });

  it('while its LISTEN connection is down, A bypasses its cache, so a revoke on B is honoured at once', async () => {
    const onA = new TestClient(a);
    const { session } = await signUp(onA);
    const keep = on(a, onA);
    expect(await meOf(keep)).not.toBeNull();
    a.resetQueryLog();
    expect(await meOf(keep)).not.toBeNull();
    expect(a.queries).toEqual([]);

    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = $1`,
        [LISTENER_APPLICATION_NAME],
      );
      expect(killed.rowCount).toBe(2);
      await until(() => !trusted(a), 2_000, 1);
      // Until it has listened again, every request goes to the database.
      a.resetQueryLog();
      expect(await meOf(keep)).not.toBeNull();
      expect(a.queries.length).toBeGreaterThan(0);

      const other = on(b, onA);
      expect(
        (await other.request('mutation ($id: ID!) { revokeSession(id: $id) }', { id: session.id }))
          .data,
      ).toEqual({
        revokeSession: true,
      });
      expect(await meOf(on(a, keep))).toBeNull();

      // Reconnected and resynced: the cache serves again, and notifications arrive again.
      await until(() => trusted(a) && trusted(b), 10_000);
      const fresh = new TestClient(a);
      const second = await signUp(fresh);
      const freshCopy = on(a, fresh);
      expect(await meOf(freshCopy)).not.toBeNull();
      a.resetQueryLog();
      expect(await meOf(freshCopy)).not.toBeNull();
      expect(a.queries).toEqual([]);
      await on(b, fresh).request('mutation ($id: ID!) { revokeSession(id: $id) }', {
        id: second.session.id,
      });
      await until(async () => (await meOf(on(a, freshCopy))) === null, 1_000, 5);
    } finally {
      await admin.end();
    }
  });
});

describe.runIf(testDatabaseKind === 'postgres')('two server processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let smtp: TestSmtp;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = await TestSmtp.start();
    const env = {
      ...mailEnv(smtp),
      DATABASE_URL: database.url,
      RATE_LIMIT_SIGNIN_ACCOUNT: '3',
      MAIL_NOTIFY_NEW_SIGN_IN: 'false',
      // These servers run real argon2; on a machine busy with other test files the idle class would
      // give it no CPU, and the hash admission would shed the set-up's sign-ups.
      PASSWORD_HASH_PER_CLIENT: '1000',
      PASSWORD_HASH_IDLE_CLASS: 'false',
      PASSWORD_HASH_MAX_WAIT: '1m',
    };
    [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
  }, 90_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await smtp?.stop();
    await database?.drop();
  });

  it('sign in on A, use the cookie on B; revoke on B, and A refuses the old cookie within 100 ms', async () => {
    const onA = new TestClient(a);
    const { user, session } = await signUp(onA);
    const copy = (server: ServerProcess) => {
      const client = new TestClient(server, 'copy');
      for (const [k, v] of onA.jar) client.jar.set(k, v);
      return client;
    };
    const me = async (client: TestClient) => (await client.request(ME)).data?.me?.id ?? null;
    expect(await me(copy(b))).toBe(user.id);
    // Used on A again, so A holds it in its cache when the revocation happens elsewhere.
    expect(await me(copy(a))).toBe(user.id);
    const revoked = await copy(b).request('mutation ($id: ID!) { revokeSession(id: $id) }', {
      id: session.id,
    });
    expect(revoked.data).toEqual({ revokeSession: true });
    const elapsed = await until(async () => (await me(copy(a))) === null, 1_000, 5);
    expect(elapsed).toBeLessThan(100);
  });

  it('counts sign-in failures on A and B together', async () => {
    const { account } = await signUp(new TestClient(a));
    const wrong = { name: account.name, password: 'not-the-password' };
    for (const server of [a, b, a]) {
      const res = await signIn(new TestClient(server), wrong);
      expect(res.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    }
    const limited = await signIn(new TestClient(b), {
      name: account.name,
      password: account.password,
    });
    expect(limited.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('sends each queued mail once although both instances run the mail worker', async () => {
    const accounts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => signUp(new TestClient((i % 2 ? a : b).graphqlUrl))),
    );
    const mark = smtp.mark();
    await Promise.all(
      accounts.map(({ account }, i) =>
        forgetPassword(new TestClient((i % 2 ? b : a).graphqlUrl), account.email),
      ),
    );
    await smtp.waitForCount(accounts.length, (mail) => RESET_SUBJECT.test(mail.subject), {
      after: mark,
    });
    // Both workers have polled several times since (every 100 ms): a duplicate would have arrived by now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (const { account } of accounts) {
      expect(
        smtp.to(account.email, mark).filter((mail) => RESET_SUBJECT.test(mail.subject)),
      ).toHaveLength(1);
    }
  });
});
