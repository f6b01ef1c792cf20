import { parseSetCookie } from 'cookie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { TestClient } from '../support/client.js';
import { MINUTE, TestClock } from '../support/clock.js';
import { enableTotp, RESET_WITH_FACTOR, totpCode, verifyAddress } from '../support/factors.js';
import { newAccount, signIn, signUp, UNLIMITED } from '../support/flows.js';
import { ME_ID } from '../support/operations.js';
import { mailEnv, otherCode, RESET_SUBJECT } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { codeIn, TestSmtp } from '../support/smtp.js';

/**
 * The learn-sessions REST routes (API.md, "HTTP beside GraphQL"): the seed's bodies and statuses, over
 * the same core, limits and CSRF rules as GraphQL, without the seed's leaks.
 */

interface RestResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

interface SendOptions {
  body?: unknown;
  /** Sent as is instead of JSON. */
  raw?: string;
  headers?: Record<string, string>;
}

/** One REST call with the client's cookie jar, which keeps what the answer sets (as a browser would). */
async function send(
  server: TestServer,
  client: TestClient,
  method: string,
  path: string,
  { body, raw, headers = {} }: SendOptions = {},
): Promise<RestResponse> {
  const cookie = [...client.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const response = await server.fetch(`${server.origin}${path}`, {
    method,
    headers: {
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
    ...(payload === undefined ? {} : { body: payload }),
  });
  for (const header of response.headers.getSetCookie()) {
    const parsed = parseSetCookie(header);
    if (parsed.maxAge === 0 || !parsed.value) client.jar.delete(parsed.name);
    else client.jar.set(parsed.name, parsed.value);
  }
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

const ISO = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);
const anError = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  message: expect.any(String),
  ...extra,
});

const DISABLE_USER = graphql(`
  mutation RestDisableUser($input: DisableUserInput!) { disableUser(input: $input) { id disabled } }
`);

const meId = async (client: TestClient) => (await client.request(ME_ID)).data?.me?.id ?? null;

describe('the REST routes', () => {
  const clock = new TestClock();
  let smtp: TestSmtp;
  let server: TestServer;
  beforeAll(async () => {
    smtp = await TestSmtp.start();
    server = await startServer({ now: clock.now, env: { ...UNLIMITED, ...mailEnv(smtp) } });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.stop();
  });
  const client = () => new TestClient(server);
  const counts = async () => ({
    users: await server.booted.db.prisma.user.count(),
    sessions: await server.booted.db.prisma.session.count(),
    resetCodes: await server.booted.db.prisma.passwordResetCode.count(),
  });
  const create = (c: TestClient, body: unknown, headers: Record<string, string> = {}) =>
    send(server, c, 'POST', '/v1/user/create', { body, headers });

  /** Asks for a reset through REST and reads the code from the mail that arrives. */
  async function resetRequest(c: TestClient, email: string) {
    const after = smtp.mark();
    const answer = await send(server, c, 'POST', '/v1/user/forget-password', { body: { email } });
    expect(answer.status).toBe(200);
    const mail = await smtp.waitFor(
      (m) => m.to.includes(email.toLowerCase()) && RESET_SUBJECT.test(m.subject),
      { after },
    );
    return { id: (answer.body as { id: string }).id, otp: codeIn(mail) };
  }

  describe('POST /v1/user/create', () => {
    it('answers 201 with the user (no password hash) and sets the session cookie', async () => {
      const c = client();
      const account = newAccount();
      const answer = await create(c, { ...account, displayName: 'Ada' });
      expect(answer.status).toBe(201);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.body).toEqual({
        id: UUID,
        name: account.name,
        displayName: 'Ada',
        email: account.email,
        createdAt: ISO,
        keepSignedIn: false,
      });
      expect(c.sessionValue).toBeDefined();
      expect(await meId(c)).toBe((answer.body as { id: string }).id);
    });

    it('with keepSignedIn sets a persistent cookie', async () => {
      const c = client();
      const answer = await create(c, { ...newAccount(), keepSignedIn: true });
      expect(answer.status).toBe(201);
      expect((answer.body as { keepSignedIn: boolean }).keepSignedIn).toBe(true);
      const [cookie] = answer.headers.getSetCookie();
      expect(cookie).toMatch(/^sessionId=.*Max-Age=2592000/);
    });

    it('answers 409 CONFLICT naming the field for a taken name or e-mail, and writes nothing', async () => {
      const { account } = await signUp(client());
      const before = await counts();
      const name = await create(client(), { ...newAccount(), name: account.name.toUpperCase() });
      expect(name.status).toBe(409);
      expect(name.body).toEqual(anError('CONFLICT', { field: 'name' }));
      const email = await create(client(), { ...newAccount(), email: account.email });
      expect(email.status).toBe(409);
      expect(email.body).toEqual(anError('CONFLICT', { field: 'email' }));
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['a missing password', { name: 'x_missing', email: 'x_missing@example.test' }, 'password'],
      ['a name that is a number', { ...newAccount(), name: 5 }, 'name'],
      ['a password that is an array', { ...newAccount(), password: ['a'] }, 'password'],
      ['keepSignedIn as a string', { ...newAccount(), keepSignedIn: 'yes' }, 'keepSignedIn'],
      ['a malformed e-mail', { ...newAccount(), email: 'not-an-address' }, 'email'],
      ['a short password', { ...newAccount(), password: 'short' }, 'password'],
      ['a name over 100 characters', { ...newAccount(), name: 'n'.repeat(101) }, 'name'],
    ])('answers 400 BAD_USER_INPUT for %s, and writes nothing', async (_, body, field) => {
      const before = await counts();
      const answer = await create(client(), body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(anError('BAD_USER_INPUT', { field }));
      expect(await counts()).toEqual(before);
    });

    it.each([
      ['not JSON', '{"name":'],
      ['a JSON array', '[]'],
      ['JSON null', 'null'],
      ['a JSON string', '"name"'],
    ])('answers 400 BAD_USER_INPUT to a body that is %s', async (_, raw) => {
      const answer = await send(server, client(), 'POST', '/v1/user/create', { raw });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(anError('BAD_USER_INPUT', { field: 'body' }));
    });
  });

  describe('POST /v1/user/auth', () => {
    it('answers 201 with the session (its public id, never the token) and sets the cookie', async () => {
      const { account, user } = await signUp(client());
      for (const by of [{ name: account.name }, { email: account.email.toUpperCase() }]) {
        const c = client();
        const answer = await send(server, c, 'POST', '/v1/user/auth', {
          body: { ...by, password: account.password },
        });
        expect(answer.status).toBe(201);
        expect(answer.body).toEqual({
          id: UUID,
          userId: user.id,
          keepSignedIn: false,
          startedAt: ISO,
          expiresAt: ISO,
        });
        expect(JSON.stringify(answer.body)).not.toContain(c.sessionValue?.split('.')[0]);
        expect(await meId(c)).toBe(user.id);
      }
    });

    it('answers 400 INVALID_CREDENTIALS alike for a wrong password and an unknown user', async () => {
      const { account } = await signUp(client());
      const before = await counts();
      const wrong = await send(server, client(), 'POST', '/v1/user/auth', {
        body: { name: account.name, password: `${account.password}x` },
      });
      const unknown = await send(server, client(), 'POST', '/v1/user/auth', {
        body: { name: `${account.name}_nobody`, password: account.password },
      });
      expect(wrong.status).toBe(400);
      expect(unknown.status).toBe(400);
      expect(wrong.body).toEqual(anError('INVALID_CREDENTIALS'));
      expect(unknown.body).toEqual(wrong.body);
      expect(await counts()).toEqual(before);
    });

    it('answers 400 BAD_USER_INPUT for both or neither of name and e-mail, and a password of the wrong type', async () => {
      const { account } = await signUp(client());
      const both = await send(server, client(), 'POST', '/v1/user/auth', {
        body: { name: account.name, email: account.email, password: account.password },
      });
      expect(both.status).toBe(400);
      expect((both.body as { code: string }).code).toBe('BAD_USER_INPUT');
      const neither = await send(server, client(), 'POST', '/v1/user/auth', {
        body: { password: account.password },
      });
      expect(neither.status).toBe(400);
      expect((neither.body as { code: string }).code).toBe('BAD_USER_INPUT');
      const typed = await send(server, client(), 'POST', '/v1/user/auth', {
        body: { name: account.name, password: 12345678 },
      });
      expect(typed.body).toEqual(anError('BAD_USER_INPUT', { field: 'password' }));
    });

    it('signed in already, replaces the old session (its cookie stops working at once)', async () => {
      const c = client();
      const { account } = await signUp(c);
      const old = c.clone();
      const answer = await send(server, c, 'POST', '/v1/user/auth', {
        body: { name: account.name, password: account.password },
      });
      expect(answer.status).toBe(201);
      expect(await meId(old)).toBeNull();
      expect(await meId(c)).not.toBeNull();
    });
  });

  describe('DELETE /v1/user/logout', () => {
    it('answers 204 without a body, clears the cookie and ends the session', async () => {
      const c = client();
      await signUp(c);
      const copy = c.clone();
      const answer = await send(server, c, 'DELETE', '/v1/user/logout', {
        headers: { 'content-type': 'application/json' },
      });
      expect(answer.status).toBe(204);
      expect(answer.body).toBeUndefined();
      expect(answer.headers.getSetCookie()).toEqual([
        expect.stringMatching(/^sessionId=;.*Max-Age=0/),
      ]);
      expect(c.sessionValue).toBeUndefined();
      expect(await meId(copy)).toBeNull();
    });

    it("records the SIGN_OUT in the security log, as GraphQL's logout does", async () => {
      const c = client();
      const { user, session } = await signUp(c);
      const answer = await send(server, c, 'DELETE', '/v1/user/logout', {
        headers: { 'content-type': 'application/json' },
      });
      expect(answer.status).toBe(204);
      const logged = await server.booted.db.prisma.securityEvent.findMany({
        where: { userId: user.id },
        select: { kind: true, sessionId: true },
      });
      // The test clock stands still, so both carry one time: compared as a set.
      expect(logged).toHaveLength(2);
      expect(logged).toEqual(
        expect.arrayContaining([
          { kind: 'SIGN_IN', sessionId: session.id },
          { kind: 'SIGN_OUT', sessionId: session.id },
        ]),
      );
    });

    it('answers 401 UNAUTHENTICATED without a live session', async () => {
      const answer = await send(server, client(), 'DELETE', '/v1/user/logout', {
        headers: { 'content-type': 'application/json' },
      });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(answer.body).toEqual(anError('UNAUTHENTICATED'));
    });

    it('takes the cookie value as a Bearer token', async () => {
      const c = client();
      await signUp(c);
      const answer = await send(server, new TestClient(server), 'DELETE', '/v1/user/logout', {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${c.sessionValue}` },
      });
      expect(answer.status).toBe(204);
      expect(await meId(c)).toBeNull();
    });
  });

  describe('GET /v1/users (USERS_QUERY_ACCESS=admin, the default)', () => {
    it('answers 401 signed out and 403 FORBIDDEN to a signed-in user who is not an admin', async () => {
      const signedOut = await send(server, client(), 'GET', '/v1/users');
      expect(signedOut.status).toBe(401);
      expect(signedOut.body).toEqual(anError('UNAUTHENTICATED'));
      const c = client();
      await signUp(c);
      const user = await send(server, c, 'GET', '/v1/users');
      expect(user.status).toBe(403);
      expect(user.body).toEqual(anError('FORBIDDEN'));
    });

    it("answers an admin 200 with a page of users, part one's fields only: no session ids, no secrets", async () => {
      const c = client();
      const { account, user } = await signUp(c);
      await server.booted.db.prisma.user.update({
        where: { id: user.id },
        data: { role: 'ADMIN' },
      });
      await signIn(c, { name: account.name, password: account.password });
      const answer = await send(server, c, 'GET', '/v1/users?first=100');
      expect(answer.status).toBe(200);
      const users = answer.body as Record<string, unknown>[];
      expect(users.length).toBeGreaterThan(1);
      for (const listed of users)
        expect(Object.keys(listed).sort()).toEqual([
          'createdAt',
          'displayName',
          'email',
          'id',
          'name',
        ]);
      expect(users).toContainEqual({
        id: user.id,
        name: account.name,
        displayName: null,
        email: account.email,
        createdAt: ISO,
      });
    });

    it('pages like GraphQL: first, and the next page in a Link header', async () => {
      const c = client();
      const { account, user } = await signUp(c);
      await server.booted.db.prisma.user.update({
        where: { id: user.id },
        data: { role: 'ADMIN' },
      });
      await signIn(c, { name: account.name, password: account.password });
      const first = await send(server, c, 'GET', '/v1/users?first=1');
      expect((first.body as unknown[]).length).toBe(1);
      const link = first.headers.get('link');
      expect(link).toMatch(/^<\/v1\/users\?first=1&after=[^>]+>; rel="next"$/);
      const next = await send(server, c, 'GET', link?.slice(1, link.indexOf('>')) ?? '');
      expect(next.status).toBe(200);
      expect((next.body as { id: string }[])[0]?.id).not.toBe(
        (first.body as { id: string }[])[0]?.id,
      );
      for (const bad of ['0', '101', 'x', '-1', '1.5']) {
        const answer = await send(server, c, 'GET', `/v1/users?first=${bad}`);
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual(anError('BAD_USER_INPUT', { field: 'first' }));
      }
      const badCursor = await send(server, c, 'GET', '/v1/users?after=nonsense');
      expect(badCursor.body).toEqual(anError('BAD_USER_INPUT', { field: 'after' }));
    });
  });

  describe('POST /v1/user/forget-password and /v1/user/reset-password', () => {
    it('answers 200 { id } alike for known and unknown addresses; the id is not the user id and never repeats', async () => {
      const { account, user } = await signUp(client());
      const known = await send(server, client(), 'POST', '/v1/user/forget-password', {
        body: { email: account.email },
      });
      const again = await send(server, client(), 'POST', '/v1/user/forget-password', {
        body: { email: account.email },
      });
      const unknown = await send(server, client(), 'POST', '/v1/user/forget-password', {
        body: { email: `nobody_${account.email}` },
      });
      for (const answer of [known, again, unknown]) {
        expect(answer.status).toBe(200);
        expect(Object.keys(answer.body as object)).toEqual(['id']);
        expect((answer.body as { id: string }).id).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(JSON.stringify(answer.body)).not.toContain(user.id);
      }
      expect((known.body as { id: string }).id).not.toBe((again.body as { id: string }).id);
    });

    it('resets with the id and the mailed code: 201 with a new session, every other session ended', async () => {
      const c = client();
      const { account, user } = await signUp(c);
      const { id, otp } = await resetRequest(client(), account.email);
      const resetter = client();
      const answer = await send(server, resetter, 'POST', '/v1/user/reset-password', {
        body: { id, otp, newPassword: 'a brand new password' },
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({
        id: UUID,
        userId: user.id,
        keepSignedIn: false,
        startedAt: ISO,
        expiresAt: ISO,
      });
      expect(await meId(resetter)).toBe(user.id);
      expect(await meId(c)).toBeNull();
      const signedIn = await signIn(client(), {
        name: account.name,
        password: 'a brand new password',
      });
      expect(signedIn.errors).toBeUndefined();
      // The code is spent.
      const replay = await send(server, client(), 'POST', '/v1/user/reset-password', {
        body: { id, otp, newPassword: 'another new password' },
      });
      expect(replay.status).toBe(400);
      expect(replay.body).toEqual(anError('INVALID_OTP'));
    });

    it('answers 400 INVALID_OTP alike to a wrong code, a forged id and an unknown address, changing nothing', async () => {
      const { account } = await signUp(client());
      const { id, otp } = await resetRequest(client(), account.email);
      const unknown = await send(server, client(), 'POST', '/v1/user/forget-password', {
        body: { email: `nobody_${account.email}` },
      });
      const before = await counts();
      const attempts = [
        { id, otp: otherCode(otp) },
        { id: `${id.slice(0, -4)}AAAA`, otp },
        { id: 'x'.repeat(60), otp },
        { id: (unknown.body as { id: string }).id, otp },
      ];
      for (const attempt of attempts) {
        const answer = await send(server, client(), 'POST', '/v1/user/reset-password', {
          body: { ...attempt, newPassword: 'a brand new password' },
        });
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual(anError('INVALID_OTP'));
      }
      expect(await counts()).toEqual(before);
      // The right code still works afterwards (one wrong try of five spent).
      const right = await send(server, client(), 'POST', '/v1/user/reset-password', {
        body: { id, otp, newPassword: 'a brand new password' },
      });
      expect(right.status).toBe(201);
    });

    it('answers 400 INVALID_OTP to an id past OTP_TTL', async () => {
      const { account } = await signUp(client());
      const { id, otp } = await resetRequest(client(), account.email);
      clock.advance(16 * MINUTE);
      const answer = await send(server, client(), 'POST', '/v1/user/reset-password', {
        body: { id, otp, newPassword: 'a brand new password' },
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(anError('INVALID_OTP'));
    });

    it('answers 400 BAD_USER_INPUT to missing or mistyped fields and a short new password, spending nothing', async () => {
      const { account } = await signUp(client());
      const { id, otp } = await resetRequest(client(), account.email);
      const cases: [unknown, string][] = [
        [{ otp, newPassword: 'a brand new password' }, 'id'],
        [{ id, otp: 123456, newPassword: 'a brand new password' }, 'otp'],
        [{ id, otp }, 'newPassword'],
        [{ id, otp, newPassword: 'short' }, 'newPassword'],
      ];
      for (const [body, field] of cases) {
        const answer = await send(server, client(), 'POST', '/v1/user/reset-password', { body });
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual(anError('BAD_USER_INPUT', { field }));
      }
      const forget = await send(server, client(), 'POST', '/v1/user/forget-password', {
        body: { email: 42 },
      });
      expect(forget.body).toEqual(anError('BAD_USER_INPUT', { field: 'email' }));
      const right = await send(server, client(), 'POST', '/v1/user/reset-password', {
        body: { id, otp, newPassword: 'a brand new password' },
      });
      expect(right.status).toBe(201);
    });
  });

  describe('second factors and disabled accounts (finish in GraphQL; no way around either)', () => {
    /** A fresh account with TOTP on, enrolled through GraphQL, and no session left in the test's hands. */
    async function withTotp() {
      const c = client();
      const { account, user } = await signUp(c);
      await verifyAddress(server, user.id);
      const { secret } = await enableTotp(c, clock);
      return { account, user, secret };
    }

    /** A fresh account an admin disabled through GraphQL's disableUser. */
    async function disabledAccount() {
      const { account: adminAccount, user: adminUser } = await signUp(client());
      await server.booted.db.prisma.user.update({
        where: { id: adminUser.id },
        data: { role: 'ADMIN' },
      });
      const admin = client();
      await signIn(admin, { email: adminAccount.email, password: adminAccount.password });
      const { account, user } = await signUp(client());
      const disabled = await admin.request(DISABLE_USER, { input: { userId: user.id } });
      expect(disabled.data?.disableUser.disabled).toBe(true);
      return { account, user };
    }

    const sessionsOf = (userId: string) =>
      server.booted.db.prisma.session.count({ where: { userId } });
    const passwordHashOf = async (userId: string) =>
      (await server.booted.db.prisma.user.findUniqueOrThrow({ where: { id: userId } }))
        .passwordHash;

    it('auth answers 401 SECOND_FACTOR_REQUIRED to the right password of a TOTP account: no session, no cookie', async () => {
      const { account, user } = await withTotp();
      const before = await sessionsOf(user.id);
      const c = client();
      const answer = await send(server, c, 'POST', '/v1/user/auth', {
        body: { email: account.email, password: account.password },
      });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({
        code: 'SECOND_FACTOR_REQUIRED',
        challenge: expect.any(String),
        methods: expect.arrayContaining(['TOTP', 'RECOVERY_CODE']),
      });
      expect(answer.headers.getSetCookie()).toEqual([]);
      expect(c.sessionValue).toBeUndefined();
      expect(await sessionsOf(user.id)).toBe(before);
    });

    it('reset-password answers 401 SECOND_FACTOR_REQUIRED for a TOTP account and changes nothing; the code stays usable in GraphQL', async () => {
      const { account, user, secret } = await withTotp();
      const hash = await passwordHashOf(user.id);
      const sessions = await sessionsOf(user.id);
      const { id, otp } = await resetRequest(client(), account.email);
      const c = client();
      const answer = await send(server, c, 'POST', '/v1/user/reset-password', {
        body: { id, otp, newPassword: 'a brand new password' },
      });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ code: 'SECOND_FACTOR_REQUIRED' });
      expect(c.sessionValue).toBeUndefined();
      expect(await passwordHashOf(user.id)).toBe(hash);
      expect(await sessionsOf(user.id)).toBe(sessions);
      // Finished in GraphQL with the same code and a factor.
      const finished = await client().request(RESET_WITH_FACTOR, {
        input: {
          email: account.email,
          otp,
          newPassword: 'a brand new password',
          totp: totpCode(secret, clock.now()),
        },
      });
      expect(finished.errors).toBeUndefined();
      expect(finished.data?.resetPassword.session.methods).toEqual(['EMAIL_CODE', 'TOTP']);
    });

    it('auth answers 403 ACCOUNT_DISABLED to the right password of a disabled account, 400 to a wrong one', async () => {
      const { account, user } = await disabledAccount();
      const right = await send(server, client(), 'POST', '/v1/user/auth', {
        body: { email: account.email, password: account.password },
      });
      expect(right.status).toBe(403);
      expect(right.body).toEqual(anError('ACCOUNT_DISABLED'));
      const wrong = await send(server, client(), 'POST', '/v1/user/auth', {
        body: { email: account.email, password: `${account.password}x` },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body).toEqual(anError('INVALID_CREDENTIALS'));
      expect(await sessionsOf(user.id)).toBe(0);
    });

    it('reset-password answers 403 ACCOUNT_DISABLED for a disabled account and changes nothing', async () => {
      const { account, user } = await disabledAccount();
      const hash = await passwordHashOf(user.id);
      const { id, otp } = await resetRequest(client(), account.email);
      const answer = await send(server, client(), 'POST', '/v1/user/reset-password', {
        body: { id, otp, newPassword: 'a brand new password' },
      });
      expect(answer.status).toBe(403);
      expect(answer.body).toEqual(anError('ACCOUNT_DISABLED'));
      expect(await passwordHashOf(user.id)).toBe(hash);
      expect(await sessionsOf(user.id)).toBe(0);
    });
  });

  describe('the rules every route shares with GraphQL', () => {
    const POSTS = [
      '/v1/user/create',
      '/v1/user/auth',
      '/v1/user/forget-password',
      '/v1/user/reset-password',
    ];

    it.each(POSTS)(
      '%s takes JSON only: 415 for text/plain, form and multipart, writing nothing',
      async (path) => {
        const before = await counts();
        for (const type of [
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
        ]) {
          const answer = await send(server, client(), 'POST', path, {
            raw: JSON.stringify({ ...newAccount(), id: 'x', otp: '000000', newPassword: 'x' }),
            headers: { 'content-type': type },
          });
          expect(answer.status).toBe(415);
          expect(answer.body).toEqual(anError('FORBIDDEN'));
        }
        expect(await counts()).toEqual(before);
      },
    );

    it.each(POSTS)(
      '%s refuses a cross-site Origin or Sec-Fetch-Site with 403, writing nothing',
      async (path) => {
        const before = await counts();
        const foreign: Record<string, string>[] = [
          { origin: 'https://evil.example' },
          { 'sec-fetch-site': 'cross-site' },
        ];
        for (const headers of foreign) {
          const answer = await send(server, client(), 'POST', path, {
            body: { ...newAccount(), id: 'x', otp: '000000', newPassword: 'x' },
            headers,
          });
          expect(answer.status).toBe(403);
          expect(answer.body).toEqual(anError('FORBIDDEN'));
        }
        expect(await counts()).toEqual(before);
      },
    );

    it('a logout from a foreign origin is refused and the session lives on', async () => {
      const c = client();
      await signUp(c);
      const answer = await send(server, c, 'DELETE', '/v1/user/logout', {
        headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      });
      expect(answer.status).toBe(403);
      expect(await meId(c)).not.toBeNull();
    });

    it("a logout without a body or content type, as the seed's clients send it, answers 204", async () => {
      const c = client();
      await signUp(c);
      const answer = await send(server, c, 'DELETE', '/v1/user/logout');
      expect(answer.status).toBe(204);
      expect(await meId(c)).toBeNull();
    });

    it('a bodiless logout from a foreign origin is still refused and the session lives on', async () => {
      const c = client();
      await signUp(c);
      const answer = await send(server, c, 'DELETE', '/v1/user/logout', {
        headers: { origin: 'https://evil.example' },
      });
      expect(answer.status).toBe(403);
      expect(await meId(c)).not.toBeNull();
    });

    it('a logout with a text/plain body is refused (415) like any state-changing request', async () => {
      const c = client();
      await signUp(c);
      const answer = await send(server, c, 'DELETE', '/v1/user/logout', {
        raw: 'x',
        headers: { 'content-type': 'text/plain' },
      });
      expect(answer.status).toBe(415);
      expect(await meId(c)).not.toBeNull();
    });

    it('answers 413 to a body over MAX_BODY_BYTES, declared or chunked, writing nothing', async () => {
      const before = await counts();
      const big = JSON.stringify({ ...newAccount(), displayName: 'x'.repeat(200_000) });
      const declared = await send(server, client(), 'POST', '/v1/user/create', { raw: big });
      expect(declared.status).toBe(413);
      expect(declared.body).toEqual(anError('REQUEST_ENTITY_TOO_LARGE'));
      const chunked = await server.booted.app.yoga.fetch(
        new Request(`${server.origin}/v1/user/create`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', host: '127.0.0.1' },
          body: new Blob([big]).stream(),
          duplex: 'half',
        } as RequestInit),
        { req: { url: '/v1/user/create', socket: { remoteAddress: '127.0.0.1' } } },
      );
      expect(chunked.status).toBe(413);
      expect(await counts()).toEqual(before);
    });

    it('answers only the documented method at the exact path (404 otherwise)', async () => {
      expect((await send(server, client(), 'GET', '/v1/user/create')).status).toBe(404);
      expect((await send(server, client(), 'POST', '/v1/users', { body: {} })).status).toBe(404);
      expect(
        (await send(server, client(), 'POST', '/v1/user/create/', { body: newAccount() })).status,
      ).toBe(404);
    });
  });
});

const APP_ORIGIN = 'https://app.example.test';

describe('REST limits, CORS, and /v1/users under USERS_QUERY_ACCESS=signed-in', () => {
  let server: TestServer;
  let member: TestClient;
  beforeAll(async () => {
    server = await startServer({
      env: {
        ...UNLIMITED,
        RATE_LIMIT_SIGNIN_ACCOUNT: '2',
        RATE_LIMIT_SIGNUP_IP: '3',
        RATE_LIMIT_RESET_IP: '1',
        USERS_QUERY_ACCESS: 'signed-in',
        ALLOWED_ORIGINS: APP_ORIGIN,
      },
    });
    // The first of the three sign-ups this address may make.
    member = new TestClient(server);
    await signUp(member);
  });
  afterAll(() => server.close());
  const post = (path: string, body: unknown) =>
    send(server, new TestClient(server), 'POST', path, { body });

  it('GET /v1/users answers what GraphQL users answers: every signed-in user may read it', async () => {
    expect((await send(server, new TestClient(server), 'GET', '/v1/users')).status).toBe(401);
    const rest = await send(server, member, 'GET', '/v1/users?first=100');
    const graph = await member.request<{ users: { edges: { node: { id: string } }[] } }>(
      '{ users(first: 100) { edges { node { id } } } }',
    );
    expect(graph.errors).toBeUndefined();
    expect(rest.status).toBe(200);
    expect((rest.body as { id: string }[]).map((user) => user.id)).toEqual(
      graph.data?.users.edges.map((edge) => edge.node.id),
    );
  });

  it('a limited sign-in gets 429 with Retry-After, even with the right password', async () => {
    // The second sign-up of this address.
    const { account } = await signUp(new TestClient(server));
    for (let i = 0; i < 2; i++) {
      const wrong = await post('/v1/user/auth', { name: account.name, password: 'wrong password' });
      expect(wrong.status).toBe(400);
    }
    const limited = await post('/v1/user/auth', { name: account.name, password: account.password });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(limited.body).toEqual(anError('RATE_LIMITED', { retryAfter }));
  });

  it('a sign-up past RATE_LIMIT_SIGNUP_IP gets 429 with Retry-After and creates nobody', async () => {
    expect((await post('/v1/user/create', newAccount())).status).toBe(201);
    const before = await server.booted.db.prisma.user.count();
    const limited = await post('/v1/user/create', newAccount());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((limited.body as { code: string }).code).toBe('RATE_LIMITED');
    expect(await server.booted.db.prisma.user.count()).toBe(before);
  });

  it('wrong reset codes past RATE_LIMIT_RESET_IP get 429 with Retry-After', async () => {
    const forget = await post('/v1/user/forget-password', { email: 'nobody@example.test' });
    const { id } = forget.body as { id: string };
    const attempt = { id, otp: '000000', newPassword: 'a brand new password' };
    expect((await post('/v1/user/reset-password', attempt)).status).toBe(400);
    const limited = await post('/v1/user/reset-password', attempt);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((limited.body as { code: string }).code).toBe('RATE_LIMITED');
  });

  it('an origin in ALLOWED_ORIGINS may log out cross-origin with credentials (DELETE is preflighted)', async () => {
    const preflight = await server.fetch(`${server.origin}/v1/user/logout`, {
      method: 'OPTIONS',
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'DELETE',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE');
    // The sign-ups of this address are spent; the member signed up first leaves.
    const answer = await send(server, member, 'DELETE', '/v1/user/logout', {
      headers: { 'content-type': 'application/json', origin: APP_ORIGIN },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
  });
});
