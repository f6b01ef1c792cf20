import { createHash, createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { TestClient } from '../support/client.js';
import { sharedStorage } from '../support/database.js';
import { newAccount, SIGN_UP, signIn, signUp, UNLIMITED } from '../support/flows.js';
import { ME_AND_SESSION_ID, ME_ID } from '../support/operations.js';
import { startServer, TEST_SECRET, type TestServer } from '../support/server.js';

// Computed here with node:crypto, not with src/auth/tokens.ts, so the tests check the format itself.
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (token: string, secret: string) =>
  createHmac('sha256', secret).update(token).digest('base64url');
const tokenOf = (value: string) => value.slice(0, value.lastIndexOf('.'));
const signatureOf = (value: string) => value.slice(value.lastIndexOf('.') + 1);
const B64URL_32_BYTES = /^[A-Za-z0-9_-]{43}$/;

const SECRET_A = 'secret-A-0123456789-abcdefghijklmnopqrstuvwxyz';
const SECRET_B = 'secret-B-0123456789-abcdefghijklmnopqrstuvwxyz';

const meId = async (c: TestClient, headers: Record<string, string> = {}) =>
  (await c.request(ME_ID, {}, { headers })).data?.me?.id ?? null;

describe('the session cookie (COOKIE_SECURE=false)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: UNLIMITED });
  });
  afterAll(() => server.close());
  const client = () => new TestClient(server);
  const sessionCount = () => server.booted.db.prisma.session.count();
  const holding = (value: string) => {
    const c = client();
    c.jar.set('sessionId', value);
    return c;
  };

  it('is sessionId; HttpOnly; SameSite=Lax; Path=/; not Secure; no Max-Age or Expires without keepSignedIn', async () => {
    const { response } = await signUp(client());
    // The session cookie, and the device cookie (lockout.test.ts) beside it.
    expect(response.setCookies.map((c) => c.name)).toEqual(['sessionId', 'device']);
    const cookie = response.setCookies[0]!;
    expect(cookie).toMatchObject({ name: 'sessionId', httpOnly: true, sameSite: 'lax', path: '/' });
    expect(cookie.secure).toBeUndefined();
    expect(cookie.maxAge).toBeUndefined();
    expect(cookie.expires).toBeUndefined();
    expect(cookie.domain).toBeUndefined();
    const raw = response.headers.getSetCookie()[0]!;
    expect(raw).not.toMatch(/secure/i);
    expect(raw).not.toMatch(/expires|max-age/i);
  });

  it('is persistent with Max-Age of 30 days when keepSignedIn=true', async () => {
    const { response } = await signUp(client(), { keepSignedIn: true });
    expect(response.setCookies[0]).toMatchObject({
      name: 'sessionId',
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
    });
    expect(response.setCookies[0]?.maxAge).toBe(30 * 24 * 3600);
  });

  it('holds a 256-bit token and its HMAC-SHA256 under SESSION_SECRET', async () => {
    const c = client();
    await signUp(c);
    const value = c.sessionValue!;
    const [token, signature, ...rest] = value.split('.');
    expect(rest).toEqual([]);
    expect(token).toMatch(B64URL_32_BYTES);
    expect(Buffer.from(token!, 'base64url')).toHaveLength(32);
    expect(signature).toBe(hmac(token!, TEST_SECRET));
  });

  it('is stored only as its SHA-256: no column of the sessions table holds the token or the cookie', async () => {
    const c = client();
    const { session } = await signUp(c);
    const value = c.sessionValue!;
    const rows = await server.booted.db.prisma.$queryRaw<
      Record<string, unknown>[]
    >`SELECT * FROM sessions`;
    const row = rows.find((r) => r.id === session.id);
    expect(row?.token_hash).toBe(sha256(tokenOf(value)));
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(tokenOf(value));
    expect(dump).not.toContain(signatureOf(value));
    expect(dump).not.toContain(Buffer.from(tokenOf(value), 'base64url').toString('hex'));
  });

  it('a distinct token for every session', async () => {
    const c = client();
    const { account } = await signUp(c);
    const values = new Set([c.sessionValue]);
    for (let i = 0; i < 5; i++) {
      const other = client();
      await signIn(other, { name: account.name, password: account.password });
      values.add(other.sessionValue);
    }
    expect(values.size).toBe(6);
  });

  it('a tampered signature is treated as no cookie: me is null, the cookie is cleared, no row is created', async () => {
    const c = client();
    const { user } = await signUp(c);
    const value = c.sessionValue!;
    // The first character of the signature: the last one of base64url partly holds padding bits only.
    const signature = signatureOf(value);
    const tampered = `${tokenOf(value)}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const before = await sessionCount();
    const thief = holding(tampered);
    const res = await thief.request(ME_AND_SESSION_ID);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ me: null, session: null });
    expect(res.setCookies).toEqual([
      expect.objectContaining({ name: 'sessionId', value: '', maxAge: 0 }),
    ]);
    expect(await sessionCount()).toBe(before);
    // The genuine cookie is unaffected.
    expect(await meId(c)).toBe(user.id);
  });

  it('an unknown token, even correctly signed, is no session and creates no row', async () => {
    const token = randomBytes(32).toString('base64url');
    const before = await sessionCount();
    expect(await meId(holding(`${token}.${hmac(token, TEST_SECRET)}`))).toBeNull();
    expect(await sessionCount()).toBe(before);
    expect(
      await server.booted.db.prisma.session.count({ where: { tokenHash: sha256(token) } }),
    ).toBe(0);
  });

  it('garbage values are treated as signed out, never as an error', async () => {
    const before = await sessionCount();
    const token = randomBytes(32).toString('base64url');
    for (const value of [
      'garbage',
      '.',
      'a.b.c',
      `${token}.`,
      `.${hmac(token, TEST_SECRET)}`,
      token,
      '%00%ff',
      'x'.repeat(4000),
    ]) {
      const res = await holding(value).request(ME_ID);
      expect(res.status, value).toBe(200);
      expect(res.errors, value).toBeUndefined();
      expect(res.data?.me, value).toBeNull();
    }
    expect(await sessionCount()).toBe(before);
  });

  it('the same value works as Authorization: Bearer for non-browser clients', async () => {
    const c = client();
    const { user } = await signUp(c);
    const bare = client();
    expect(await meId(bare, { authorization: `Bearer ${c.sessionValue!}` })).toBe(user.id);
    // The scheme's name is case-insensitive (RFC 9110 11.1).
    expect(await meId(client(), { authorization: `bearer ${c.sessionValue!}` })).toBe(user.id);
    const sessions = await bare.request(
      graphql(`
        query SessionsCurrent {
          sessions {
            current
          }
        }
      `),
      {},
      {
        headers: { authorization: `Bearer ${c.sessionValue!}` },
      },
    );
    expect(sessions.data?.sessions).toEqual([{ current: true }]);
  });

  it('a bad Bearer value is signed out and creates no row', async () => {
    const before = await sessionCount();
    expect(await meId(client(), { authorization: 'Bearer garbage' })).toBeNull();
    const token = randomBytes(32).toString('base64url');
    expect(
      await meId(client(), {
        authorization: `Bearer ${token}.${hmac(token, 'another-secret-that-is-long-enough!!')}`,
      }),
    ).toBeNull();
    expect(await sessionCount()).toBe(before);
  });

  it('a cookie of the wrong name is ignored', async () => {
    const c = client();
    await signUp(c);
    const renamed = client();
    renamed.jar.set('__Host-sessionId', c.sessionValue!);
    expect(await meId(renamed)).toBeNull();
  });
});

describe('the session cookie with COOKIE_SECURE=true', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { ...UNLIMITED, COOKIE_SECURE: 'true' } });
  });
  afterAll(() => server.close());

  it('is named __Host-sessionId and carries Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain', async () => {
    const c = new TestClient(server);
    const { user, response } = await signUp(c, { keepSignedIn: true });
    expect(response.setCookies.map((cookie) => cookie.name)).toEqual([
      '__Host-sessionId',
      '__Host-device',
    ]);
    expect(response.setCookies[0]).toMatchObject({
      name: '__Host-sessionId',
      secure: true,
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      maxAge: 30 * 24 * 3600,
    });
    expect(response.setCookies[0]?.domain).toBeUndefined();
    expect(await meId(c)).toBe(user.id);
    // A plain `sessionId` cookie (which a sibling subdomain could plant) is not read.
    const planted = new TestClient(server);
    planted.jar.set('sessionId', c.sessionValue!);
    expect(await meId(planted)).toBeNull();

    const logout = await c.request('mutation { logout }');
    expect(logout.setCookies[0]).toMatchObject({
      name: '__Host-sessionId',
      secure: true,
      maxAge: 0,
      path: '/',
    });
  });
});

describe('SESSION_SECRET rotation', () => {
  it('a cookie signed with the old secret works while it is listed after the new one, and no longer once removed', async () => {
    const storage = await sharedStorage();
    const start = (secret: string) =>
      startServer({
        database: storage.database,
        env: { ...UNLIMITED, ...storage.env, SESSION_SECRET: secret },
      });
    try {
      // Under secret A: two devices signed in.
      let server = await start(SECRET_A);
      const account = newAccount();
      const first = new TestClient(server);
      const signedUp = await first.request(SIGN_UP, {
        input: account,
      });
      const userId = signedUp.data!.signUp.user.id;
      const second = new TestClient(server);
      await signIn(second, { name: account.name, password: account.password });
      const firstA = first.sessionValue!;
      const secondA = second.sessionValue!;
      expect(signatureOf(secondA)).toBe(hmac(tokenOf(secondA), SECRET_A));
      await server.close();

      // Rotation in progress: "B,A". Old cookies still verify; new ones are signed with B.
      server = await start(`${SECRET_B},${SECRET_A}`);
      const onB = (value: string) => {
        const c = new TestClient(server);
        c.jar.set('sessionId', value);
        return c;
      };
      const firstClient = onB(firstA);
      expect(await meId(firstClient)).toBe(userId);
      expect(await meId(onB(secondA))).toBe(userId);
      const refreshed = await firstClient.request('mutation { refreshSession { id } }');
      expect(refreshed.errors).toBeUndefined();
      const firstB = firstClient.sessionValue!;
      expect(signatureOf(firstB)).toBe(hmac(tokenOf(firstB), SECRET_B));
      const third = new TestClient(server);
      await signIn(third, { email: account.email, password: account.password });
      expect(signatureOf(third.sessionValue!)).toBe(hmac(tokenOf(third.sessionValue!), SECRET_B));
      await server.close();

      // A retired: the cookie still signed with A is refused though its session row is alive.
      server = await start(SECRET_B);
      const onlyB = (value: string) => {
        const c = new TestClient(server);
        c.jar.set('sessionId', value);
        return c;
      };
      expect(
        await server.booted.db.prisma.session.count({
          where: { tokenHash: sha256(tokenOf(secondA)) },
        }),
      ).toBe(1);
      expect(await meId(onlyB(secondA))).toBeNull();
      // Its token re-signed with B would be accepted: only the signature decided.
      expect(await meId(onlyB(`${tokenOf(secondA)}.${hmac(tokenOf(secondA), SECRET_B)}`))).toBe(
        userId,
      );
      expect(await meId(onlyB(firstB))).toBe(userId);
      expect(await meId(onlyB(third.sessionValue!))).toBe(userId);
      await server.close();
    } finally {
      await storage.remove();
    }
  }, 60_000);
});
