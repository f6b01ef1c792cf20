import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { TestClient } from '../support/client.js';
import { MINUTE, TestClock } from '../support/clock.js';
import { REAUTHENTICATE, verifyAddress } from '../support/factors.js';
import { signIn, signUp, UNLIMITED } from '../support/flows.js';
import { CURRENT_SESSION, LOGOUT } from '../support/operations.js';
import { startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

/**
 * GET /whoami (API.md, "HTTP beside GraphQL"): a proxy's forward-auth check, answered from the same
 * session read path as GraphQL.
 */

interface Whoami {
  user: { id: string; name: string; email: string; role: string };
  session: { id: string; expiresAt: string; authenticatedAt: string };
}

const whoami = (server: TestServer, headers: Record<string, string> = {}) =>
  server.fetch(`${server.origin}/whoami`, { headers });

const DISABLE_USER = graphql(`
  mutation WhoamiDisableUser($input: DisableUserInput!) { disableUser(input: $input) { id disabled } }
`);

const cookieOf = (client: TestClient) => ({ cookie: `sessionId=${client.sessionValue}` });

describe('GET /whoami', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: UNLIMITED });
  });
  afterAll(() => server.close());

  it('answers 200 with the user and session, the same facts in X-User-*/X-Session-* headers, never cached', async () => {
    const client = new TestClient(server);
    const { user, session } = await signUp(client);
    const response = await whoami(server, cookieOf(client));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Whoami;
    expect(body).toEqual({
      user: { id: user.id, name: user.name, email: user.email, role: 'USER' },
      session: {
        id: session.id,
        expiresAt: session.expiresAt,
        // Signing up proves the password: the session was authenticated when it started.
        authenticatedAt: session.createdAt,
      },
    });
    expect(response.headers.get('x-user-id')).toBe(user.id);
    expect(response.headers.get('x-user-role')).toBe('USER');
    expect(response.headers.get('x-session-id')).toBe(session.id);
    expect(response.headers.get('x-user-auth-time')).toBe(
      String(Math.floor(Date.parse(session.createdAt) / 1000)),
    );
  });

  it('takes the cookie value as a Bearer token, like GraphQL', async () => {
    const client = new TestClient(server);
    const { user } = await signUp(client);
    const response = await whoami(server, { authorization: `Bearer ${client.sessionValue}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-user-id')).toBe(user.id);
  });

  it('names an admin ADMIN in X-User-Role', async () => {
    const client = new TestClient(server);
    const { account, user } = await signUp(client);
    await server.booted.db.prisma.user.update({ where: { id: user.id }, data: { role: 'ADMIN' } });
    const admin = new TestClient(server);
    await signIn(admin, { name: account.name, password: account.password });
    const response = await whoami(server, cookieOf(admin));
    expect(response.headers.get('x-user-role')).toBe('ADMIN');
    expect(((await response.json()) as Whoami).user.role).toBe('ADMIN');
  });

  it('answers 401 with the UNAUTHENTICATED error body and no identity headers without a session', async () => {
    const response = await whoami(server);
    expect(response.status).toBe(401);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(response.headers.get('x-user-id')).toBeNull();
    expect(response.headers.get('x-session-id')).toBeNull();
    expect(await response.json()).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('answers 401 to a forged cookie and clears it, as GraphQL does', async () => {
    const client = new TestClient(server);
    await signUp(client);
    const forged = `${client.sessionValue?.slice(0, -2)}xx`;
    const response = await whoami(server, { cookie: `sessionId=${forged}` });
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^sessionId=;.*Max-Age=0/),
    ]);
  });

  it('refuses a session at once after it is logged out elsewhere', async () => {
    const client = new TestClient(server);
    await signUp(client);
    const copy = client.clone();
    expect((await whoami(server, cookieOf(copy))).status).toBe(200);
    expect((await client.request(LOGOUT)).data?.logout).toBe(true);
    expect((await whoami(server, cookieOf(copy))).status).toBe(401);
  });

  it('is answered only at its exact path, for GET and HEAD', async () => {
    const client = new TestClient(server);
    await signUp(client);
    const head = await server.fetch(`${server.origin}/whoami`, {
      method: 'HEAD',
      headers: cookieOf(client),
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-user-id')).toBeTruthy();
    const post = await server.fetch(`${server.origin}/whoami`, {
      method: 'POST',
      headers: { ...cookieOf(client), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(post.status).toBe(404);
    expect((await whoami(server, cookieOf(client))).status).toBe(200);
    const slash = await server.fetch(`${server.origin}/whoami/`, { headers: cookieOf(client) });
    expect(slash.status).toBe(404);
  });
});

describe('GET /whoami is activity, like any request', () => {
  const clock = new TestClock();
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      now: clock.now,
      env: { ...UNLIMITED, SESSION_REMEMBER_TTL: '4s', SESSION_TOUCH_INTERVAL: '1s' },
    });
    await until(() => server.booted.app.services.sessions.cache.isTrusted);
  });
  afterAll(() => server.close());

  it('slides a session used past half its lifetime and re-sends its persistent cookie', async () => {
    const client = new TestClient(server);
    const { session } = await signUp(client, { keepSignedIn: true });
    clock.advance(2_500);
    const response = await whoami(server, cookieOf(client));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Whoami;
    expect(Date.parse(body.session.expiresAt)).toBe(clock.now().getTime() + 4_000);
    const [resent] = response.headers.getSetCookie();
    expect(resent).toMatch(
      new RegExp(`^sessionId=${client.sessionValue?.replace(/[.]/g, '\\.')};`),
    );
    expect(resent).toMatch(/Max-Age=4\b/);

    // Its activity is what GraphQL sees too: lastSeenAt moved, and the session outlives its first expiry.
    await server.flushTouches();
    clock.advance(Date.parse(session.expiresAt) - clock.now().getTime() + 500);
    const current = await client.request(CURRENT_SESSION);
    expect(current.data?.session?.id).toBe(session.id);
    expect(Date.parse(current.data?.session?.lastSeenAt ?? '')).toBeGreaterThan(
      Date.parse(session.createdAt),
    );
  });
});

describe('GET /whoami follows the account: re-authentication, disabling, EMAIL_VERIFICATION=required', () => {
  const clock = new TestClock();
  let server: TestServer;
  let required: TestServer;
  beforeAll(async () => {
    server = await startServer({ now: clock.now, env: UNLIMITED });
    required = await startServer({ env: { ...UNLIMITED, EMAIL_VERIFICATION: 'required' } });
  });
  afterAll(async () => {
    await server?.close();
    await required?.close();
  });

  const authTime = async (client: TestClient) =>
    (await whoami(server, cookieOf(client))).headers.get('x-user-auth-time');

  it('moves X-User-Auth-Time and authenticatedAt to the moment of reauthenticate, and only then', async () => {
    const client = new TestClient(server);
    const { account, session } = await signUp(client);
    const signedUpAt = String(Math.floor(Date.parse(session.createdAt) / 1000));
    clock.advance(20 * MINUTE);
    // Activity is no proof: a check long after sign-up still names the sign-up.
    expect(await authTime(client)).toBe(signedUpAt);
    const proven = await client.request(REAUTHENTICATE, { input: { password: account.password } });
    expect(proven.errors).toBeUndefined();
    const response = await whoami(server, cookieOf(client));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-user-auth-time')).toBe(
      String(Math.floor(clock.now().getTime() / 1000)),
    );
    expect(((await response.json()) as Whoami).session.authenticatedAt).toBe(
      clock.now().toISOString(),
    );
  });

  it('answers 401 to a session whose user an admin disabled, at once', async () => {
    const { account: adminAccount, user: adminUser } = await signUp(new TestClient(server));
    await server.booted.db.prisma.user.update({
      where: { id: adminUser.id },
      data: { role: 'ADMIN' },
    });
    const admin = new TestClient(server);
    await signIn(admin, { email: adminAccount.email, password: adminAccount.password });
    const client = new TestClient(server);
    const { user } = await signUp(client);
    expect((await whoami(server, cookieOf(client))).status).toBe(200);
    const disabled = await admin.request(DISABLE_USER, { input: { userId: user.id } });
    expect(disabled.data?.disableUser.disabled).toBe(true);
    const response = await whoami(server, cookieOf(client));
    expect(response.status).toBe(401);
    expect(response.headers.get('x-user-id')).toBeNull();
  });

  it('answers 403 EMAIL_NOT_VERIFIED without identity headers to an unverified user under EMAIL_VERIFICATION=required, 200 once verified', async () => {
    const client = new TestClient(required);
    const { user } = await signUp(client);
    const held = await whoami(required, cookieOf(client));
    expect(held.status).toBe(403);
    expect(held.headers.get('cache-control')).toBe('no-store');
    expect(held.headers.get('x-user-id')).toBeNull();
    expect(held.headers.get('x-session-id')).toBeNull();
    expect(await held.json()).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'EMAIL_NOT_VERIFIED' } }],
    });
    await verifyAddress(required, user.id);
    const verified = await whoami(required, cookieOf(client));
    expect(verified.status).toBe(200);
    expect(verified.headers.get('x-user-id')).toBe(user.id);
  });

  it('answers an unverified user 200 under EMAIL_VERIFICATION=optional, the default', async () => {
    const client = new TestClient(server);
    const { user } = await signUp(client);
    const response = await whoami(server, cookieOf(client));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-user-id')).toBe(user.id);
  });
});
