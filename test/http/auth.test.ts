import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { errorCode, TestClient } from '../support/client.js';
import { ME, newAccount, signIn, signUp, UNLIMITED } from '../support/flows.js';
import { CHANGE_PASSWORD, LOGOUT, ME_AND_SESSION_ID } from '../support/operations.js';
import { startServer, type TestServer } from '../support/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DAY = 86_400_000;
const SIGN_UP_FULL = graphql(`
  mutation SignUpFull($input: SignUpInput!) {
    signUp(input: $input) {
      user {
        ...UserFields
      }
      session {
        ...SessionFields
        user {
          id
        }
      }
    }
  }
`);

const tokenOf = (cookieValue: string) => cookieValue.slice(0, cookieValue.lastIndexOf('.'));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: UNLIMITED });
});
afterAll(() => server.close());

const client = (userAgent?: string) => new TestClient(server, userAgent);
const meOf = async (c: TestClient) => (await c.request(ME)).data?.me ?? null;
const sessionRow = (cookieValue: string) =>
  server.booted.db.prisma.session.findUnique({
    where: { tokenHash: sha256(tokenOf(cookieValue)) },
  });

describe('signUp', () => {
  it('creates the user and a current browser session, returning every field of User and Session', async () => {
    const c = client('Mozilla/5.0 (signUp test)');
    const account = newAccount();
    const before = Date.now();
    const res = await c.request(SIGN_UP_FULL, {
      input: { ...account, displayName: '  Ada Lovelace ' },
    });
    expect(res.errors).toBeUndefined();
    const { user, session } = res.data!.signUp;

    expect(user.id).toMatch(UUID);
    expect(user.name).toBe(account.name);
    expect(user.displayName).toBe('Ada Lovelace');
    expect(user.email).toBe(account.email);
    expect(Math.abs(Date.parse(user.createdAt) - before)).toBeLessThan(10_000);
    expect(user.activeSessionCount).toBe(1);
    expect(user.lastSeenAt).toBe(session.lastSeenAt);

    expect(session.id).toMatch(UUID);
    expect(session.keepSignedIn).toBe(false);
    expect(session.current).toBe(true);
    expect(session.userAgent).toBe('Mozilla/5.0 (signUp test)');
    expect(session.ip).toBe('127.0.0.1');
    expect(session.user.id).toBe(user.id);
    expect(session.lastSeenAt).toBe(session.createdAt);
    // Default SESSION_IDLE_TTL is 1 day for a session that is not remembered.
    expect(Date.parse(session.expiresAt) - Date.parse(session.createdAt)).toBe(DAY);

    expect(c.sessionValue).toBeDefined();
    const row = await sessionRow(c.sessionValue!);
    expect(row?.id).toBe(session.id);
    expect(await meOf(c)).toMatchObject({ id: user.id, name: account.name, email: account.email });
  });

  it('keepSignedIn=true starts a remembered session that lasts SESSION_REMEMBER_TTL (30 days)', async () => {
    const c = client();
    const res = await c.request(SIGN_UP_FULL, {
      input: { ...newAccount(), keepSignedIn: true },
    });
    const { session } = res.data!.signUp;
    expect(session.keepSignedIn).toBe(true);
    expect(Date.parse(session.expiresAt) - Date.parse(session.createdAt)).toBe(30 * DAY);
  });

  it('leaves displayName null when none is given', async () => {
    const { user } = await signUp(client());
    expect(user.displayName).toBeNull();
  });

  it('issues a fresh token even when the browser already holds a planted session cookie (fixation)', async () => {
    const c = client();
    const planted = `${'A'.repeat(43)}.${'B'.repeat(43)}`;
    c.jar.set('sessionId', planted);
    await signUp(c);
    expect(c.sessionValue).toBeDefined();
    expect(c.sessionValue).not.toBe(planted);
    expect(await meOf(c)).not.toBeNull();
  });
});

describe('me and session when signed out', () => {
  it('answer null, not an error', async () => {
    const res = await client().request(ME_AND_SESSION_ID);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ me: null, session: null });
  });
});

describe('signIn', () => {
  it('signs in by name and by e-mail, each with a new session and cookie', async () => {
    const { account, user } = await signUp(client());
    const byName = client();
    const r1 = await signIn(byName, { name: account.name, password: account.password });
    expect(r1.errors).toBeUndefined();
    expect(r1.data?.signIn.user.id).toBe(user.id);
    expect(r1.data?.signIn.session.current).toBe(true);

    const byEmail = client();
    const r2 = await signIn(byEmail, { email: account.email, password: account.password });
    expect(r2.data?.signIn.user.id).toBe(user.id);
    expect(r2.data?.signIn.session.id).not.toBe(r1.data?.signIn.session.id);
    expect(byEmail.sessionValue).not.toBe(byName.sessionValue);
    expect((await meOf(byName))?.id).toBe(user.id);
    expect((await meOf(byEmail))?.id).toBe(user.id);
    expect((await meOf(byEmail))?.activeSessionCount).toBe(3);
  });

  it('matches name and e-mail case-insensitively', async () => {
    const { account, user } = await signUp(client(), newAccount({ name: `Mixed_${Date.now()}` }));
    const r1 = await signIn(client(), {
      name: account.name.toUpperCase(),
      password: account.password,
    });
    expect(r1.data?.signIn.user.id).toBe(user.id);
    const r2 = await signIn(client(), {
      email: account.email.toUpperCase(),
      password: account.password,
    });
    expect(r2.data?.signIn.user.id).toBe(user.id);
    // The user keeps the spelling they chose.
    expect(r2.data?.signIn.user.name).toBe(account.name);
  });

  it('honours keepSignedIn', async () => {
    const { account } = await signUp(client());
    const res = await signIn(client(), {
      name: account.name,
      password: account.password,
      keepSignedIn: true,
    });
    expect(res.data?.signIn.session.keepSignedIn).toBe(true);
    expect(res.setCookies[0]?.maxAge).toBe(30 * 86_400);
  });

  it('while signed in, replaces the old session: its cookie and row are gone', async () => {
    const c = client();
    const { account, session: first } = await signUp(c);
    const oldValue = c.sessionValue!;
    const res = await signIn(c, { email: account.email, password: account.password });
    expect(res.data?.signIn.session.id).not.toBe(first.id);
    expect(c.sessionValue).not.toBe(oldValue);
    expect(
      await server.booted.db.prisma.session.findUnique({ where: { id: first.id } }),
    ).toBeNull();
    const stale = client();
    stale.jar.set('sessionId', oldValue);
    expect(await meOf(stale)).toBeNull();
    expect((await meOf(c))?.activeSessionCount).toBe(1);
  });

  it('signing up while signed in replaces the old session too: its row is gone and its cookie signs nobody in', async () => {
    const c = client();
    const { session: first } = await signUp(c);
    const oldValue = c.sessionValue!;
    const { session: second } = await signUp(c);
    expect(second.id).not.toBe(first.id);
    expect(
      await server.booted.db.prisma.session.findUnique({ where: { id: first.id } }),
    ).toBeNull();
    const stale = client();
    stale.jar.set('sessionId', oldValue);
    expect(await meOf(stale)).toBeNull();
  });
});

describe('logout', () => {
  it('deletes the session, answers true and clears the cookie with Max-Age=0', async () => {
    const c = client();
    const { session } = await signUp(c);
    const value = c.sessionValue!;
    const res = await c.request(LOGOUT);
    expect(res.data?.logout).toBe(true);
    expect(res.setCookies).toHaveLength(1);
    expect(res.setCookies[0]).toMatchObject({
      name: 'sessionId',
      value: '',
      maxAge: 0,
      path: '/',
      httpOnly: true,
    });
    expect(
      await server.booted.db.prisma.session.findUnique({ where: { id: session.id } }),
    ).toBeNull();
    const thief = client();
    thief.jar.set('sessionId', value);
    expect(await meOf(thief)).toBeNull();
  });

  it('leaves the other sessions of the user alone', async () => {
    const a = client();
    const { account } = await signUp(a);
    const b = client();
    await signIn(b, { name: account.name, password: account.password });
    await a.request(LOGOUT);
    expect(await meOf(a)).toBeNull();
    expect((await meOf(b))?.activeSessionCount).toBe(1);
  });
});

describe('changePassword', () => {
  it('sets the new password, ends the other sessions and rotates this one', async () => {
    const c = client();
    const { account, session } = await signUp(c);
    const others = [client(), client()];
    for (const other of others)
      await signIn(other, { name: account.name, password: account.password });
    const oldValue = c.sessionValue!;

    const newPassword = 'a-brand-new-password';
    const res = await c.request(CHANGE_PASSWORD, {
      input: { currentPassword: account.password, newPassword },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.changePassword.session.id).toBe(session.id);
    expect(res.data?.changePassword.session.current).toBe(true);
    expect(res.data?.changePassword.user.activeSessionCount).toBe(1);

    // Rotated: a new cookie value for the same session; the old value is dead at once.
    expect(c.sessionValue).toBeDefined();
    expect(c.sessionValue).not.toBe(oldValue);
    const stale = client();
    stale.jar.set('sessionId', oldValue);
    expect(await meOf(stale)).toBeNull();
    expect(await meOf(c)).not.toBeNull();
    for (const other of others) expect(await meOf(other)).toBeNull();

    const withOld = await signIn(client(), { name: account.name, password: account.password });
    expect(errorCode(withOld)).toBe('INVALID_CREDENTIALS');
    const withNew = await signIn(client(), { name: account.name, password: newPassword });
    expect(withNew.data?.signIn.user.name).toBe(account.name);
  });
});

describe('password hashing with production parameters', () => {
  let real: TestServer;
  beforeAll(async () => {
    // The normal scheduling class: in the idle one, a machine busy with other test files gives the
    // hashes no CPU at all (by design); this test is about the parameters, not the priority.
    real = await startServer({
      realHasher: true,
      env: { ...UNLIMITED, PASSWORD_HASH_IDLE_CLASS: 'false' },
    });
  });
  afterAll(() => real.close());

  it('stores argon2id at no less than m=19456, t=2, p=1 and verifies it at sign-in', async () => {
    const c = new TestClient(real);
    const { account, user } = await signUp(c);
    const row = await real.booted.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    // PHC string format: $argon2id$v=19$<params>$<salt>$<hash>; the parameter order is the library's choice.
    const [, algorithm, version, params] = row.passwordHash.split('$');
    expect(algorithm).toBe('argon2id');
    expect(version).toBe('v=19');
    expect(row.passwordHash).not.toContain(account.password);
    const param = Object.fromEntries(
      (params ?? '').split(',').map((kv) => kv.split('=') as [string, string]),
    );
    const [m, t, p] = [Number(param.m), Number(param.t), Number(param.p)];
    expect(m).toBeGreaterThanOrEqual(19_456);
    expect(t).toBeGreaterThanOrEqual(2);
    expect(p).toBeGreaterThanOrEqual(1);

    const ok = await signIn(new TestClient(real), {
      name: account.name,
      password: account.password,
    });
    expect(ok.data?.signIn.user.id).toBe(user.id);
    const wrong = await signIn(new TestClient(real), {
      name: account.name,
      password: 'not-the-password',
    });
    expect(errorCode(wrong)).toBe('INVALID_CREDENTIALS');
  });
});
