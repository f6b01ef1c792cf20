import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSweeper } from '../../src/core/sessions/sweeping.js';
import { createLogger } from '../../src/logger.js';
import { graphql } from '../generated/index.js';
import { errorCode, TestClient } from '../support/client.js';
import { TestClock } from '../support/clock.js';
import { signUp } from '../support/flows.js';
import { CHANGE_PASSWORD, REVOKE_OTHER_SESSIONS, REVOKE_SESSION } from '../support/operations.js';
import { startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const ME = graphql(`
  query MeIdName {
    me {
      id
      name
    }
  }
`);

// The mail worker polls with SQL of its own; slowed down here so the query log shows only requests.
const QUIET = { MAIL_POLL_INTERVAL: '1h' };

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: QUIET });
  // On PostgreSQL the cache is trusted only once its LISTEN connection is up.
  await until(() => server.booted.app.services.sessions.cache.isTrusted);
});
afterAll(() => server.close());

const client = () => new TestClient(server);
const meOf = async (c: TestClient) => (await c.request(ME)).data?.me ?? null;
/** A second holder of the same cookie that keeps it even when the server clears it (a thief, a stale tab). */
const copyOf = (c: TestClient) => c.clone('copy');

describe('session cache', () => {
  it('serves an authenticated request without any SQL once the session is cached', async () => {
    const c = client();
    const { user } = await signUp(c);
    expect((await meOf(c))?.id).toBe(user.id);
    server.resetQueryLog();
    for (let i = 0; i < 5; i++) expect((await meOf(c))?.id).toBe(user.id);
    expect(server.queries).toEqual([]);
  });

  it('refuses a cached session at once after logout', async () => {
    const c = client();
    await signUp(c);
    const copy = copyOf(c);
    expect(await meOf(copy)).not.toBeNull();
    expect((await c.request('mutation { logout }')).data).toEqual({ logout: true });
    expect(await meOf(copy)).toBeNull();
  });

  it('refuses a cached session at once after revokeSession and revokeOtherSessions', async () => {
    const phone = client();
    const { account, session } = await signUp(phone);
    const laptop = client();
    await laptop.request(
      'mutation ($input: SignInInput!) { signIn(input: $input) { session { id } } }',
      {
        input: { name: account.name, password: account.password },
      },
    );
    const third = client();
    await third.request(
      'mutation ($input: SignInInput!) { signIn(input: $input) { session { id } } }',
      {
        input: { name: account.name, password: account.password },
      },
    );
    const phoneCopy = copyOf(phone);
    const thirdCopy = copyOf(third);
    expect(await meOf(phoneCopy)).not.toBeNull();
    expect(await meOf(thirdCopy)).not.toBeNull();

    await laptop.request(REVOKE_SESSION, { id: session.id });
    expect(await meOf(phoneCopy)).toBeNull();

    expect((await laptop.request(REVOKE_OTHER_SESSIONS)).data).toEqual({
      revokeOtherSessions: 1,
    });
    expect(await meOf(thirdCopy)).toBeNull();
    expect(await meOf(laptop)).not.toBeNull();
  });

  it('refuses the old token of a cached session after refreshSession and changePassword', async () => {
    const c = client();
    const { account } = await signUp(c);
    const beforeRefresh = copyOf(c);
    expect(await meOf(beforeRefresh)).not.toBeNull();
    await c.request('mutation { refreshSession { id } }');
    expect(await meOf(beforeRefresh)).toBeNull();
    expect(await meOf(c)).not.toBeNull();

    const beforeChange = copyOf(c);
    expect(await meOf(beforeChange)).not.toBeNull();
    const changed = await c.request(CHANGE_PASSWORD, {
      input: { currentPassword: account.password, newPassword: `${account.password}-new` },
    });
    expect(errorCode(changed)).toBeUndefined();
    expect(await meOf(beforeChange)).toBeNull();
    expect(await meOf(c)).not.toBeNull();
  });

  it('drops a cached user row when the user changes (userChanged)', async () => {
    const c = client();
    const { user } = await signUp(c);
    await meOf(c);
    const { prisma } = server.booted.db;
    const { sessions } = server.booted.app.services;
    await prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { displayName: 'Renamed' } });
      await sessions.userChanged(user.id, tx);
    });
    const me = await c.request(
      graphql(`
        query MeDisplayName {
          me {
            displayName
          }
        }
      `),
    );
    expect(me.data?.me?.displayName).toBe('Renamed');
  });
});

describe('expiry with the cache', () => {
  const clock = new TestClock();
  let short: TestServer;
  beforeAll(async () => {
    short = await startServer({
      now: clock.now,
      env: { ...QUIET, SESSION_IDLE_TTL: '3s', SESSION_TOUCH_INTERVAL: '1s' },
    });
    await until(() => short.booted.app.services.sessions.cache.isTrusted);
  });
  afterAll(() => short.close());

  it('refuses a cached session once it expires, and slides an active one', async () => {
    const idle = new TestClient(short);
    const active = new TestClient(short);
    await signUp(idle);
    await signUp(active);
    expect(await idleMe(idle)).not.toBeNull();
    // Used every 300 ms past its 3 s lifetime: the sliding expiry keeps it alive, the idle one dies.
    for (let i = 0; i < 14; i++) {
      expect(await idleMe(active)).not.toBeNull();
      clock.advance(300);
    }
    expect(await idleMe(idle)).toBeNull();
    expect(await idleMe(active)).not.toBeNull();
  });

  it('writes lastSeenAt at most once per interval per session, batched: one statement per flush', async () => {
    const touchy = await startServer({
      now: clock.now,
      env: { ...QUIET, SESSION_TOUCH_INTERVAL: '1s' },
    });
    try {
      const clients = Array.from({ length: 10 }, () => new TestClient(touchy));
      const ids: string[] = [];
      for (const c of clients) ids.push((await signUp(c)).session.id);
      clock.advance(1_100);
      touchy.resetQueryLog();
      const started = performance.now();
      for (let round = 0; round < 10; round++) {
        for (const me of await Promise.all(clients.map((c) => idleMe(c))))
          expect(me).not.toBeNull();
      }
      await touchy.booted.app.services.sessions.close();
      const seconds = (performance.now() - started) / 1000;
      const writes = touchy.queries.filter((sql) => /^\s*UPDATE\s+"?sessions/i.test(sql));
      const sessionWrites = touchy.queries.filter(
        (sql) => /sessions/i.test(sql) && !/^\s*SELECT/i.test(sql),
      );
      // 100 reads: each session due once per second, all due sessions in one statement per (1 s) flush.
      expect(writes.length).toBeGreaterThan(0);
      expect(writes.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
      expect(sessionWrites).toEqual(writes);
      const rows = await touchy.booted.db.prisma.session.findMany({ where: { id: { in: ids } } });
      expect(rows).toHaveLength(ids.length);
      for (const row of rows)
        expect(row.lastSeenAt.getTime() - row.createdAt.getTime()).toBeGreaterThanOrEqual(1_000);
    } finally {
      await touchy.close();
    }
  });

  async function idleMe(c: TestClient) {
    return (await c.request(ME)).data?.me ?? null;
  }
});

describe('sweeper', () => {
  it('deletes expired sessions in bounded batches and leaves live ones', async () => {
    const c = client();
    const { user } = await signUp(c);
    const { prisma } = server.booted.db;
    const past = new Date(Date.now() - 60_000);
    await prisma.session.createMany({
      data: Array.from({ length: 25 }, (_, i) => ({
        userId: user.id,
        tokenHash: `${i}`.padStart(64, 'e'),
        keepSignedIn: false,
        expiresAt: past,
        absoluteExpiresAt: past,
      })),
    });
    const sweeper = startSweeper(prisma, createLogger(server.config), {
      intervalMs: 3_600_000,
      batchSize: 10,
    });
    server.resetQueryLog();
    expect(await sweeper.sweep()).toBe(25);
    await sweeper.stop();
    expect(server.queries.filter((sql) => /DELETE FROM sessions/.test(sql))).toHaveLength(3);
    expect(await prisma.session.count({ where: { userId: user.id } })).toBe(1);
    expect(await meOf(c)).not.toBeNull();
  });
});
