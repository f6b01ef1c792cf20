import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEventSweeper } from '../../src/core/auth/events/security-event-sweeping.js';
import { createLogger } from '../../src/logger.js';
import { graphql } from '../generated/index.js';
import { errorCode, TestClient } from '../support/client.js';
import { DAY, SECOND, TestClock } from '../support/clock.js';
import { newAccount, SIGN_UP, signIn, signUp, UNLIMITED } from '../support/flows.js';
import { CHANGE_PASSWORD, mailEnv, RESET_PASSWORD, requestCode } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { TestSmtp } from '../support/smtp.js';

/**
 * The security log (API.md part two, "Security events"): what happened to the account, newest first,
 * with device name and IP, written in the transaction of the change; SIGN_IN_FAILED only for existing
 * accounts and off the request's path; kept SECURITY_EVENT_RETENTION.
 */

const EVENTS = graphql(`
  query SecurityLog($first: Int, $after: String) {
    securityEvents(first: $first, after: $after) {
      edges {
        cursor
        node { id kind at ip userAgent deviceName sessionId }
      }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

const REVOKE_SESSION = graphql(`
  mutation RevokeOne($id: ID!) { revokeSession(id: $id) }
`);
const REVOKE_OTHERS = graphql(`
  mutation RevokeOthers { revokeOtherSessions }
`);
const LOGOUT_NOW = graphql(`
  mutation SignOutNow { logout }
`);

const CHROME_ON_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';

async function log(client: TestClient, variables: { first?: number; after?: string } = {}) {
  const response = await client.request(EVENTS, variables);
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.securityEvents;
}

const kinds = async (client: TestClient) =>
  (await log(client, { first: 100 })).edges.map((edge) => edge.node.kind);

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await TestSmtp.start();
});
afterAll(() => smtp?.stop());

describe('the security log', () => {
  const clock = new TestClock();
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      env: { ...UNLIMITED, ...mailEnv(smtp), TRUST_PROXY: 'true' },
      now: clock.now,
    });
  });
  afterAll(() => server.close());

  it('records sign-up, sign-ins, revocations, the password change and sign-out, newest first, each with its session, IP and device', async () => {
    const laptop = new TestClient(server, CHROME_ON_MAC);
    const headers = { 'x-forwarded-for': '203.0.113.7' };
    const account = newAccount();
    const { name } = account;
    const first = (await laptop.request(SIGN_UP, { input: account }, { headers })).data?.signUp
      .session;
    expect(first).toBeDefined();
    const phone = new TestClient(server, FIREFOX_ON_LINUX);
    const tablet = new TestClient(server, FIREFOX_ON_LINUX);
    clock.advance(SECOND);
    const second = (await signIn(phone, { name, password: account.password })).data?.signIn.session;
    clock.advance(SECOND);
    const third = (await signIn(tablet, { name, password: account.password })).data?.signIn.session;
    clock.advance(SECOND);
    expect(
      (await laptop.request(REVOKE_SESSION, { id: second?.id ?? '' }, { headers })).data,
    ).toEqual({ revokeSession: true });
    clock.advance(SECOND);
    expect((await laptop.request(REVOKE_OTHERS, {}, { headers })).data).toEqual({
      revokeOtherSessions: 1,
    });
    clock.advance(SECOND);
    const changed = await laptop.request(
      CHANGE_PASSWORD,
      { input: { currentPassword: account.password, newPassword: 'a new horse battery 1' } },
      { headers },
    );
    expect(changed.errors).toBeUndefined();
    clock.advance(SECOND);
    const events = (await log(laptop)).edges.map((edge) => edge.node);

    expect(events.map(({ kind, sessionId }) => [kind, sessionId])).toEqual([
      ['PASSWORD_CHANGED', first?.id],
      ['SESSION_REVOKED', third?.id],
      ['SESSION_REVOKED', second?.id],
      ['SIGN_IN', third?.id],
      ['SIGN_IN', second?.id],
      ['SIGN_IN', first?.id],
    ]);
    const at = events.map((event) => Date.parse(event.at));
    expect(at).toEqual([...at].sort((a, b) => b - a));
    expect(events[0]).toMatchObject({
      ip: '203.0.113.7',
      userAgent: CHROME_ON_MAC,
      deviceName: 'Chrome 131 on macOS',
    });
    expect(events[3]).toMatchObject({ ip: '127.0.0.1', deviceName: 'Firefox 133 on Linux' });

    clock.advance(SECOND);
    expect((await laptop.request(LOGOUT_NOW)).data).toEqual({ logout: true });
    clock.advance(SECOND);
    const again = new TestClient(server, CHROME_ON_MAC);
    expect(
      (await signIn(again, { name, password: 'a new horse battery 1' })).errors,
    ).toBeUndefined();
    expect((await kinds(again)).slice(0, 3)).toEqual(['SIGN_IN', 'SIGN_OUT', 'PASSWORD_CHANGED']);
    expect((await log(again)).edges[1]?.node.sessionId).toBe(first?.id);
  });

  it('a password reset is logged with the session it started', async () => {
    const client = new TestClient(server);
    const { account } = await signUp(client);
    clock.advance(SECOND);
    const code = await requestCode(new TestClient(server), smtp, account.email);
    const browser = new TestClient(server, CHROME_ON_MAC);
    const reset = await browser.request(RESET_PASSWORD, {
      input: { email: account.email, otp: code, newPassword: 'reset horse battery' },
    });
    expect(reset.errors).toBeUndefined();
    // The reset also verifies the address, at the same instant: find its own event among the newest.
    const newest = (await log(browser)).edges.map((edge) => edge.node).slice(0, 2);
    expect(newest.map((event) => event.kind).sort()).toEqual(['EMAIL_VERIFIED', 'PASSWORD_RESET']);
    expect(newest.find((event) => event.kind === 'PASSWORD_RESET')).toMatchObject({
      sessionId: reset.data?.resetPassword.session.id,
      deviceName: 'Chrome 131 on macOS',
    });
  });

  it('a wrong password for an existing account is logged as SIGN_IN_FAILED once the batch is written; an unknown account leaves nothing', async () => {
    const owner = new TestClient(server);
    const { account, user } = await signUp(owner);
    const prisma = server.booted.db.prisma;
    const failedRows = () => prisma.securityEvent.count({ where: { kind: 'SIGN_IN_FAILED' } });
    const before = await failedRows();
    clock.advance(SECOND);

    const guesser = new TestClient(server, FIREFOX_ON_LINUX);
    const wrong = await signIn(guesser, { email: account.email, password: 'not-the-password' });
    expect(errorCode(wrong)).toBe('INVALID_CREDENTIALS');
    const unknown = await signIn(guesser, {
      email: `nobody-${account.email}`,
      password: 'not-the-password',
    });
    expect(errorCode(unknown)).toBe('INVALID_CREDENTIALS');
    await server.booted.app.services.failedSignIns.flush();

    expect(await failedRows()).toBe(before + 1);
    const [latest] = (await log(owner)).edges.map((edge) => edge.node);
    expect(latest).toMatchObject({
      kind: 'SIGN_IN_FAILED',
      deviceName: 'Firefox 133 on Linux',
      ip: '127.0.0.1',
      sessionId: null,
    });
    expect(await prisma.securityEvent.count({ where: { userId: user.id } })).toBe(2);
  });

  it("pages through the viewer's own log newest first, with cursors that neither skip nor repeat", async () => {
    const client = new TestClient(server);
    const { account } = await signUp(client);
    // Someone else's events never appear.
    await signUp(new TestClient(server));
    for (let i = 0; i < 11; i++) {
      clock.advance(SECOND);
      expect(
        (await signIn(client, { email: account.email, password: account.password })).errors,
      ).toBeUndefined();
    }
    const all = (await log(client, { first: 100 })).edges.map((edge) => edge.node.id);
    expect(all).toHaveLength(12);

    const pageOne = await log(client, { first: 5 });
    expect(pageOne.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const pageTwo = await log(client, { first: 5, after: pageOne.pageInfo.endCursor ?? '' });
    expect(pageTwo.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const pageThree = await log(client, { first: 5, after: pageTwo.pageInfo.endCursor ?? '' });
    expect(pageThree.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(pageThree.edges).toHaveLength(2);
    expect([...pageOne.edges, ...pageTwo.edges, ...pageThree.edges].map((e) => e.node.id)).toEqual(
      all,
    );
    expect((await log(client)).edges).toHaveLength(12);
  });

  it('rejects a page size outside 1-100 and a malformed cursor with BAD_USER_INPUT, and a signed-out caller with UNAUTHENTICATED', async () => {
    const client = new TestClient(server);
    await signUp(client);
    for (const variables of [{ first: 0 }, { first: 101 }, { after: 'not-a-cursor' }]) {
      const response = await client.request(EVENTS, variables);
      expect(errorCode(response), JSON.stringify(variables)).toBe('BAD_USER_INPUT');
      expect(response.data).toBeNull();
    }
    expect(errorCode(await new TestClient(server).request(EVENTS))).toBe('UNAUTHENTICATED');
  });
});

describe('SIGN_IN_FAILED is off the request path', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: UNLIMITED });
    // Nothing here sends mail: with the worker stopped, every statement logged is the request's own.
    await server.booted.mail.stop();
  });
  afterAll(() => server.close());

  it('a failed sign-in for an existing account sends the same statements as one for an unknown account: the log write is not on its path', async () => {
    const { account } = await signUp(new TestClient(server));
    const guesser = new TestClient(server);
    const failedSignIns = server.booted.app.services.failedSignIns;
    const statementsOf = async (email: string) => {
      // Nothing left waiting from before, so no batch can be written while this request runs.
      await failedSignIns.flush();
      server.resetQueryLog();
      expect(errorCode(await signIn(guesser, { email, password: 'not-the-password' }))).toBe(
        'INVALID_CREDENTIALS',
      );
      return [...server.queries];
    };
    const existing = await statementsOf(account.email);
    const unknown = await statementsOf(`nobody-${account.email}`);
    expect(existing.some((sql) => sql.includes('security_events'))).toBe(false);
    expect(existing).toEqual(unknown);
    await failedSignIns.flush();
  });
});

describe('retention', () => {
  const clock = new TestClock();
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      env: { ...UNLIMITED, SECURITY_EVENT_RETENTION: '30d' },
      now: clock.now,
    });
  });
  afterAll(() => server.close());

  const eventsOf = (userId: string) =>
    server.booted.db.prisma.securityEvent.findMany({
      where: { userId },
      select: { kind: true, at: true },
    });

  it('the sweep boot schedules deletes events older than SECURITY_EVENT_RETENTION and keeps the rest', async () => {
    const client = new TestClient(server);
    const { account, user } = await signUp(client);
    clock.advance(20 * DAY);
    await signIn(client, { email: account.email, password: account.password });
    clock.advance(10 * DAY);
    // Exactly 30 days old is still kept.
    expect(await server.booted.eventSweeper.sweep()).toBe(0);
    clock.advance(SECOND);
    // The sign-up's event is now past 30 days, the sign-in's 10 days old.
    expect(await server.booted.eventSweeper.sweep()).toBe(1);
    expect((await eventsOf(user.id)).map((event) => event.kind)).toEqual(['SIGN_IN']);
  });

  it('sweeps in bounded batches: a backlog drains over several ticks', async () => {
    const users = await Promise.all(
      Array.from({ length: 5 }, async () => (await signUp(new TestClient(server))).user),
    );
    clock.advance(31 * DAY);
    const prisma = server.booted.db.prisma;
    const backlog = await prisma.securityEvent.count({
      where: { at: { lt: new Date(clock.now().getTime() - 30 * DAY) } },
    });
    expect(backlog).toBeGreaterThanOrEqual(5);
    const sweeper = startEventSweeper(prisma, createLogger(server.config), {
      retentionMs: 30 * DAY,
      now: clock.now,
      batchSize: 2,
      maxBatches: 2,
      intervalMs: 3_600_000,
    });
    try {
      // Two statements of two rows per tick, however long the backlog.
      const ticks = [await sweeper.sweep()];
      while (ticks.at(-1) !== 0) ticks.push(await sweeper.sweep());
      expect(ticks.slice(0, -2).every((deleted) => deleted === 4)).toBe(true);
      expect(ticks.reduce((sum, deleted) => sum + deleted, 0)).toBe(backlog);
    } finally {
      await sweeper.stop();
    }
    for (const user of users) expect(await eventsOf(user.id)).toEqual([]);
  });
});
