import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, TestClient } from '../support/client.js';
import { TestClock } from '../support/clock.js';
import { CURRENT_SESSION, ME, SESSIONS, signIn, signUp, UNLIMITED } from '../support/flows.js';
import {
  LOGOUT,
  REFRESH_SESSION as REFRESH,
  REVOKE_SESSION as REVOKE,
  REVOKE_OTHER_SESSIONS as REVOKE_OTHERS,
} from '../support/operations.js';
import { startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const tokenOf = (value: string) => value.slice(0, value.lastIndexOf('.'));

const meOf = async (c: TestClient) => (await c.request(ME)).data?.me ?? null;
const sessionsOf = async (c: TestClient) => {
  const res = await c.request(SESSIONS);
  expect(res.errors).toBeUndefined();
  return res.data!.sessions;
};
/** A second client holding only this value, as a thief replaying a copied cookie would. */
const replay = (server: TestServer, value: string) => {
  const c = new TestClient(server);
  c.jar.set('sessionId', value);
  return c;
};

describe('with the default lifetimes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: UNLIMITED });
  });
  afterAll(() => server.close());
  const client = (userAgent?: string) => new TestClient(server, userAgent);

  /** One account signed in on three devices, oldest first. */
  async function threeDevices() {
    const devices = [client('device-1'), client('device-2'), client('device-3')];
    const { account, user } = await signUp(devices[0]!);
    for (const device of devices.slice(1))
      await signIn(device, { name: account.name, password: account.password });
    return { account, user, devices: devices as [TestClient, TestClient, TestClient] };
  }

  it('session returns the current session with every field and its user', async () => {
    const c = client('session-field-test');
    const { user, session } = await signUp(c, { keepSignedIn: true });
    const res = await c.request(CURRENT_SESSION);
    expect(res.data?.session).toMatchObject({
      id: session.id,
      keepSignedIn: true,
      userAgent: 'session-field-test',
      ip: '127.0.0.1',
      current: true,
      user: { id: user.id },
    });
    const s = res.data!.session!;
    expect(Date.parse(s.expiresAt)).toBeGreaterThan(Date.parse(s.createdAt));
    expect(Date.parse(s.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(s.createdAt));
  });

  it('sessions lists the live sessions of the viewer only, most recently seen first, marking the current one', async () => {
    const { devices } = await threeDevices();
    await signUp(client()); // someone else's session must not appear
    const list = await sessionsOf(devices[1]);
    expect(list.map((s) => s.userAgent)).toEqual(['device-3', 'device-2', 'device-1']);
    expect(list.map((s) => s.current)).toEqual([false, true, false]);
    const seen = list.map((s) => Date.parse(s.lastSeenAt));
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(new Set(list.map((s) => s.id)).size).toBe(3);
  });

  it('a request still in flight with the token a rotation just replaced is refused but clears no cookie', async () => {
    const c = client();
    await signUp(c);
    const inFlight = c.clone();
    expect((await c.request(REFRESH)).errors).toBeUndefined();
    // Another tab of the same browser, sent before the rotation answered: it must not sign the browser out.
    const late = await inFlight.request(ME);
    expect(late.data?.me).toBeNull();
    expect(late.setCookies).toEqual([]);
    // A cookie that was never this session's new one, nor rotated away, is still cleared.
    const ended = client();
    await signUp(ended);
    const copy = ended.clone();
    await ended.request(LOGOUT);
    expect((await copy.request(ME)).setCookies.map((cookie) => cookie.maxAge)).toEqual([0]);
  });

  it('refreshSession issues a new token for the same session; the old cookie stops working at once', async () => {
    const c = client();
    const { session } = await signUp(c, { keepSignedIn: true });
    const oldValue = c.sessionValue!;
    const res = await c.request(REFRESH);
    expect(res.errors).toBeUndefined();
    expect(res.data?.refreshSession).toMatchObject({
      id: session.id,
      keepSignedIn: true,
      current: true,
    });
    expect(Date.parse(res.data!.refreshSession.expiresAt)).toBeGreaterThanOrEqual(
      Date.parse(session.expiresAt),
    );
    expect(res.setCookies).toHaveLength(1);
    expect(res.setCookies[0]?.maxAge).toBe(30 * 86_400);
    expect(c.sessionValue).not.toBe(oldValue);

    expect(await meOf(replay(server, oldValue))).toBeNull();
    expect(await meOf(c)).not.toBeNull();
    const row = await server.booted.db.prisma.session.findUniqueOrThrow({
      where: { id: session.id },
    });
    expect(row.tokenHash).toBe(sha256(tokenOf(c.sessionValue!)));
  });

  it('revokeSession ends another of the viewer’s sessions immediately', async () => {
    const { devices } = await threeDevices();
    const [, second] = await sessionsOf(devices[0]); // device-2
    expect(second?.userAgent).toBe('device-2');
    const res = await devices[0].request(REVOKE, { id: second!.id });
    expect(res.data?.revokeSession).toBe(true);
    expect(res.setCookies).toEqual([]); // the caller's own cookie is untouched
    expect(await meOf(devices[1])).toBeNull();
    expect(await meOf(devices[0])).not.toBeNull();
    expect((await sessionsOf(devices[2])).map((s) => s.userAgent)).toEqual([
      'device-3',
      'device-1',
    ]);
    // Already gone: a second revoke finds nothing.
    expect(errorCode(await devices[0].request(REVOKE, { id: second!.id }))).toBe('NOT_FOUND');
  });

  it('revokeSession of the current session signs the caller out and clears the cookie', async () => {
    const c = client();
    const { session } = await signUp(c);
    const res = await c.request(REVOKE, { id: session.id });
    expect(res.data?.revokeSession).toBe(true);
    expect(res.setCookies[0]).toMatchObject({ name: 'sessionId', maxAge: 0 });
    expect(await server.booted.db.prisma.session.count({ where: { id: session.id } })).toBe(0);
    expect(await meOf(c)).toBeNull();
  });

  it('revokeOtherSessions ends every other session, returns how many, and keeps this one', async () => {
    const { devices, user } = await threeDevices();
    const res = await devices[2].request(REVOKE_OTHERS);
    expect(res.data?.revokeOtherSessions).toBe(2);
    expect(await meOf(devices[0])).toBeNull();
    expect(await meOf(devices[1])).toBeNull();
    expect((await meOf(devices[2]))?.activeSessionCount).toBe(1);
    expect(await server.booted.db.prisma.session.count({ where: { userId: user.id } })).toBe(1);
    const again = await devices[2].request(REVOKE_OTHERS);
    expect(again.data?.revokeOtherSessions).toBe(0);
  });
});

// Lifetimes short enough to read (a browser session lives 3 s idle, a remembered one 4 s, nothing beyond
// 7 s; touches at most once a second), crossed by moving the server's clock rather than waiting.
describe('expiry, decided by the server clock', () => {
  const clock = new TestClock();
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      now: clock.now,
      env: {
        ...UNLIMITED,
        SESSION_IDLE_TTL: '3s',
        SESSION_REMEMBER_TTL: '4s',
        SESSION_ABSOLUTE_TTL: '7s',
        SESSION_TOUCH_INTERVAL: '1s',
      },
    });
    // On PostgreSQL the cache is trusted only once its LISTEN connection is up; until then every
    // request reads the row, which holds a slide only once the batched touch is written.
    await until(() => server.booted.app.services.sessions.cache.isTrusted);
  });
  afterAll(() => server.close());
  const client = () => new TestClient(server);
  const elapsed = (since: string) => clock.now().getTime() - Date.parse(since);

  it('a session unused for SESSION_IDLE_TTL is dead, though the browser still sends its cookie', async () => {
    const c = client();
    const { account, session } = await signUp(c);
    const row = await server.booted.db.prisma.session.findUniqueOrThrow({
      where: { id: session.id },
    });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(3_000);
    clock.advance(3_000);
    expect(c.sessionValue).toBeDefined();
    const res = await c.request(ME);
    expect(res.data?.me).toBeNull();
    expect(errorCode(await c.request(SESSIONS))).toBe('UNAUTHENTICATED');
    // The expired row is neither listed nor counted for the user's live sessions.
    const other = client();
    await signIn(other, { name: account.name, password: account.password });
    expect((await sessionsOf(other)).map((s) => s.id)).not.toContain(session.id);
    expect((await meOf(other))?.activeSessionCount).toBe(1);
  });

  it('use past half of the lifetime slides expiresAt; a remembered session also gets a refreshed cookie', async () => {
    const persistent = client();
    const browser = client();
    const [{ session: p0 }, { session: b0 }] = await Promise.all([
      signUp(persistent, { keepSignedIn: true }),
      signUp(browser),
    ]);

    // Before half-life (a touch is due, the slide is not): no extension, no new cookie.
    clock.advance(1_200);
    const early = await persistent.request(CURRENT_SESSION);
    expect(Date.parse(early.data!.session!.lastSeenAt) - Date.parse(p0.createdAt)).toBe(1_200);
    expect(early.data?.session?.expiresAt).toBe(p0.expiresAt);
    expect(early.setCookies).toEqual([]);

    // Past half-life (browser: 1.5 s of 3 s; remembered: 2 s of 4 s). The browser one is used in the last
    // second of its life, so its slide must hold before the batched touch reaches the database.
    clock.advance(1_200);
    const [late, lateBrowser] = await Promise.all([
      persistent.request(CURRENT_SESSION),
      browser.request(CURRENT_SESSION),
    ]);
    expect(Date.parse(late.data!.session!.expiresAt)).toBeGreaterThan(
      Date.parse(p0.expiresAt) + 1_500,
    );
    expect(late.setCookies).toHaveLength(1);
    expect(late.setCookies[0]?.name).toBe('sessionId');
    expect(late.setCookies[0]?.maxAge).toBeGreaterThanOrEqual(3);
    expect(late.setCookies[0]?.maxAge).toBeLessThanOrEqual(4);
    expect(Date.parse(lateBrowser.data!.session!.expiresAt)).toBeGreaterThan(
      Date.parse(b0.expiresAt) + 1_500,
    );
    // A browser-session cookie carries no lifetime, so there is nothing to re-send.
    expect(lateBrowser.setCookies).toEqual([]);

    // Both are now alive beyond their original expiry.
    clock.advance(Date.parse(p0.expiresAt) - clock.now().getTime() + 300);
    expect(await meOf(persistent)).not.toBeNull();
    expect(await meOf(browser)).not.toBeNull();
  });

  it('sessions orders by last activity: a session used later moves to the top', async () => {
    const a = client();
    const { account } = await signUp(a, { keepSignedIn: true });
    clock.advance(100);
    const b = client();
    await signIn(b, { name: account.name, password: account.password, keepSignedIn: true });
    const before = await sessionsOf(b);
    expect(before[0]?.current).toBe(true);
    // Past SESSION_TOUCH_INTERVAL both are used, b first and a last; then activity is written.
    clock.advance(1_100);
    await b.request(ME);
    clock.advance(100);
    await a.request(ME);
    await server.flushTouches();
    const after = await sessionsOf(b);
    expect(after[0]?.current).toBe(false);
    expect(Date.parse(after[0]!.lastSeenAt)).toBeGreaterThan(Date.parse(before[0]!.lastSeenAt));
  });

  it('SESSION_ABSOLUTE_TTL ends a session however often it is used', async () => {
    const c = client();
    const { session } = await signUp(c);
    const absoluteEnd = Date.parse(session.createdAt) + 7_000;
    // Used every 1.6 s, past each half-life, so idle expiry alone would never end it.
    while (elapsed(session.createdAt) + 1_600 < 7_000) {
      clock.advance(1_600);
      const res = await c.request(CURRENT_SESSION);
      expect(res.data?.session?.id).toBe(session.id);
      expect(Date.parse(res.data!.session!.expiresAt)).toBeLessThanOrEqual(absoluteEnd);
    }
    expect(elapsed(session.createdAt)).toBeGreaterThan(3_000); // outlived the idle lifetime
    clock.advance(absoluteEnd - clock.now().getTime());
    expect(await meOf(c)).toBeNull();
  });
});

describe('a token rotated away is recognised for a minute', () => {
  const clock = new TestClock();
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ now: clock.now, env: UNLIMITED });
  });
  afterAll(() => server.close());

  it('a request with it clears no cookie within 60 s of the rotation, and clears it after', async () => {
    const c = new TestClient(server);
    await signUp(c);
    const early = c.clone();
    const late = c.clone();
    expect((await c.request(REFRESH)).errors).toBeUndefined();
    clock.advance(59_000);
    expect((await early.request(ME)).setCookies).toEqual([]);
    clock.advance(2_000);
    expect((await late.request(ME)).setCookies.map((cookie) => cookie.maxAge)).toEqual([0]);
    // The rotated session itself is untouched by either.
    expect((await c.request(ME)).data?.me).not.toBeNull();
  });
});
