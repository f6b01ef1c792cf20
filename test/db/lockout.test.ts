import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArgon2Hasher } from '../../src/core/auth/passwords/password.js';
import type { SignInInput } from '../generated/graphql.js';
import { mailServerBed } from '../support/beds.js';
import { errorCode, TestClient } from '../support/client.js';
import { testDatabaseKind } from '../support/database.js';
import { type Account, SIGN_IN, signUp } from '../support/flows.js';
import { ME_ID } from '../support/operations.js';
import { requestCode, resetPassword } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * API.md, "Abuse limits" and "Changes to part one" (lockout is no weapon): the per-account failure
 * limit is keyed by the identifier as given, so it never links a name to its e-mail; a browser that
 * signed in to the account before carries a device cookie, and the account's limit never refuses it
 * (its own failures have a limit of their own). Every server trusts X-Forwarded-For, so each attempt can
 * come from an address of its own, as an attacker rotating addresses would, and the per-IP limit
 * stays out of the way.
 */

const bed = mailServerBed({ TRUST_PROXY: 'true' });

let lastAddress = 0;
/** A client address no other attempt uses. */
const freshIp = () => `10.${(++lastAddress >> 8) & 255}.${lastAddress & 255}.1`;

type By = SignInInput;

/** One sign-in from this browser (a fresh one by default) at a fresh address: its code, or OK. */
async function attempt(target: TestServer, by: By, browser = new TestClient(target)) {
  const response = await browser.request(
    SIGN_IN,
    { input: by },
    { headers: { 'x-forwarded-for': freshIp() } },
  );
  return String(errorCode(response) ?? 'OK');
}

const times = async (n: number, run: () => Promise<string>) => {
  const codes: string[] = [];
  for (let i = 0; i < n; i++) codes.push(await run());
  return codes;
};

const LOCKED_AFTER_TEN = [...Array(10).fill('INVALID_CREDENTIALS'), 'RATE_LIMITED'];

/** An attacker's 10 wrong passwords by name, from 10 addresses: the account is locked for any fresh browser. */
async function lockOut(target: TestServer, account: Account) {
  const wrong = await times(10, () =>
    attempt(target, { name: account.name, password: 'attacker-guess-1' }),
  );
  expect(wrong).toEqual(Array(10).fill('INVALID_CREDENTIALS'));
  expect(await attempt(target, { name: account.name, password: account.password })).toBe(
    'RATE_LIMITED',
  );
}

/** A browser that signed up (so it holds a device cookie) and then signed out. */
async function ownersBrowser(target: TestServer) {
  const browser = new TestClient(target);
  const { account, user } = await signUp(browser);
  await browser.request('mutation { logout }');
  expect(browser.sessionValue).toBeUndefined();
  return { browser, account, user };
}

const deviceCookieOf = (browser: TestClient) =>
  browser.jar.get('device') ?? browser.jar.get('__Host-device');

describe('the per-account limit is keyed by the identifier as given', () => {
  it('after 10 failures by name, the e-mail answers exactly as an unknown address does', async () => {
    const { account } = await signUp(new TestClient(bed.server));
    await lockOut(bed.server, account);
    const ghost = `ghost_${randomInt(1e9)}@example.test`;
    const byEmail = await times(11, () =>
      attempt(bed.server, { email: account.email, password: 'another-guess' }),
    );
    const byGhost = await times(11, () =>
      attempt(bed.server, { email: ghost, password: 'another-guess' }),
    );
    expect(byEmail).toEqual(byGhost);
    expect(byEmail).toEqual(LOCKED_AFTER_TEN);
  });

  it('after 10 failures by e-mail, the name answers exactly as an unknown name does', async () => {
    const { account } = await signUp(new TestClient(bed.server));
    const byEmail = await times(11, () =>
      attempt(bed.server, { email: account.email, password: 'wrong-guess-1' }),
    );
    expect(byEmail).toEqual(LOCKED_AFTER_TEN);
    const ghost = `ghost_${randomInt(1e9)}`;
    const byName = await times(11, () =>
      attempt(bed.server, { name: account.name, password: 'another-guess' }),
    );
    const byGhost = await times(11, () =>
      attempt(bed.server, { name: ghost, password: 'another-guess' }),
    );
    expect(byName).toEqual(byGhost);
    expect(byName).toEqual(LOCKED_AFTER_TEN);
  });
});

describe('device cookies: lockout is no weapon', () => {
  it("an attacker's failures lock the account for a fresh browser, but the owner's browser still signs in", async () => {
    const { browser, account, user } = await ownersBrowser(bed.server);
    await lockOut(bed.server, account);
    expect(
      await attempt(bed.server, { name: account.name, password: account.password }, browser),
    ).toBe('OK');
    expect(browser.sessionValue).toBeDefined();
    const me = await browser.request(ME_ID);
    expect(me.data?.me?.id).toBe(user.id);
    // ...by e-mail too, whatever that identifier's own counter says.
    await times(10, () =>
      attempt(bed.server, { email: account.email, password: 'attacker-guess-2' }),
    );
    expect(
      await attempt(bed.server, { email: account.email, password: account.password }, browser),
    ).toBe('OK');
  });

  it("the owner's browser has 10 wrong tries of its own, then is RATE_LIMITED even with the right password", async () => {
    const { browser, account } = await ownersBrowser(bed.server);
    await lockOut(bed.server, account);
    const own = await times(11, () =>
      attempt(bed.server, { name: account.name, password: 'owner-typo-1' }, browser),
    );
    expect(own).toEqual(LOCKED_AFTER_TEN);
    expect(
      await attempt(bed.server, { name: account.name, password: account.password }, browser),
    ).toBe('RATE_LIMITED');
  });

  it("a device cookie of another account, or a forged or re-spelt one, does not get past the account's limit", async () => {
    const { browser, account } = await ownersBrowser(bed.server);
    const { browser: elsewhere } = await ownersBrowser(bed.server);
    const genuine = deviceCookieOf(browser) ?? '';
    const othersCookie = deviceCookieOf(elsewhere) ?? '';
    const [userId, nonce, signature = ''] = genuine.split('.');
    const [, otherNonce, otherSignature] = othersCookie.split('.');
    await lockOut(bed.server, account);

    const refused = [
      othersCookie,
      `${userId}.${otherNonce}.${otherSignature}`,
      `${userId}.${nonce}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`,
      `${userId}.${nonce}.${Buffer.from(signature, 'base64url').toString('base64')}`,
      `${userId}.${nonce}.${signature}=`,
    ];
    for (const value of refused) {
      const holder = new TestClient(bed.server);
      holder.jar.set('device', value);
      expect(
        await attempt(bed.server, { name: account.name, password: account.password }, holder),
      ).toBe('RATE_LIMITED');
    }
    const holder = new TestClient(bed.server);
    holder.jar.set('device', genuine);
    expect(
      await attempt(bed.server, { name: account.name, password: account.password }, holder),
    ).toBe('OK');
  });

  it('sign-up, sign-in and reset each give the browser a device cookie: HttpOnly, SameSite=Lax, Path=/, one year', async () => {
    const browser = new TestClient(bed.server);
    const { account, response: signedUp } = await signUp(browser);
    const signedIn = await browser.request(SIGN_IN, {
      input: { name: account.name, password: account.password },
    });
    const code = await requestCode(browser, bed.smtp, account.email);
    const reset = await resetPassword(browser, {
      email: account.email,
      otp: code,
      newPassword: 'a-new-passphrase',
    });
    expect(reset.errors).toBeUndefined();
    const values = new Set<string>();
    for (const response of [signedUp, signedIn, reset]) {
      const device = response.setCookies.find((cookie) => cookie.name === 'device');
      expect(device).toMatchObject({
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        maxAge: 365 * 24 * 3600,
      });
      expect(device?.secure).toBeUndefined();
      expect(device?.domain).toBeUndefined();
      values.add(device?.value ?? '');
    }
    // A fresh random nonce each time.
    expect(values.size).toBe(3);
  });
});

describe('device cookies with COOKIE_SECURE=true', () => {
  let secure: TestServer;
  beforeAll(async () => {
    secure = await startServer({ env: { TRUST_PROXY: 'true', COOKIE_SECURE: 'true' } });
  });
  afterAll(() => secure?.close());

  it('is __Host-device with Secure, and a plain `device` cookie (which a sibling could plant) is not read', async () => {
    const { browser, account } = await ownersBrowser(secure);
    const signedIn = await browser.request(SIGN_IN, {
      input: { name: account.name, password: account.password },
    });
    expect(signedIn.setCookies.find((cookie) => cookie.name === '__Host-device')).toMatchObject({
      secure: true,
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      maxAge: 365 * 24 * 3600,
    });
    await lockOut(secure, account);
    const planted = new TestClient(secure);
    planted.jar.set('device', deviceCookieOf(browser) ?? '');
    expect(await attempt(secure, { name: account.name, password: account.password }, planted)).toBe(
      'RATE_LIMITED',
    );
    expect(await attempt(secure, { name: account.name, password: account.password }, browser)).toBe(
      'OK',
    );
  });
});

describe.runIf(testDatabaseKind === 'postgres')(
  'counters given back (PostgreSQL; on PGlite they live in memory)',
  () => {
    const zeroRows = (target: TestServer) =>
      target.booted.db.prisma.rateLimit.findMany({
        where: { points: { lte: 0 } },
        select: { key: true },
      });

    it('refused attempts and successes leave no zero-point rows in rate_limits', async () => {
      const limited = await startServer({
        env: { TRUST_PROXY: 'true', RATE_LIMIT_SIGNIN_IP: '2' },
      });
      try {
        const ip = { 'x-forwarded-for': '192.0.2.10' };
        const ghost = () => ({ name: `ghost_${randomInt(1e9)}`, password: 'wrong-password-1' });
        const codes: string[] = [];
        for (let i = 0; i < 6; i++) {
          const response = await new TestClient(limited).request(
            SIGN_IN,
            { input: ghost() },
            { headers: ip },
          );
          codes.push(String(errorCode(response)));
        }
        // The last four each took a point from a new name's counter before the IP refused, and gave it back.
        expect(codes).toEqual([
          ...Array(2).fill('INVALID_CREDENTIALS'),
          ...Array(4).fill('RATE_LIMITED'),
        ]);
        // A success gives its IP point back.
        const { account } = await signUp(new TestClient(limited));
        expect(await attempt(limited, { name: account.name, password: account.password })).toBe(
          'OK',
        );
        expect(await zeroRows(limited)).toEqual([]);
        expect(await limited.booted.db.prisma.rateLimit.count()).toBeGreaterThan(0);
      } finally {
        await limited.close();
      }
    });

    it('attempts shed by the hash queue after they were counted leave no zero-point rows', async () => {
      // PASSWORD_HASH_MAX_WAIT of 0: every verify is admitted, counted, then shed when its turn comes.
      const shedding = await startServer({
        env: { TRUST_PROXY: 'true' },
        hasher: createArgon2Hasher(
          { memoryCost: 1024, timeCost: 1, parallelism: 1 },
          { concurrency: 1, queue: 1_000, perClient: 1_000, maxWaitMs: 0, idleClass: false },
        ),
      });
      try {
        const ip = { 'x-forwarded-for': '192.0.2.20' };
        const responses = await Promise.all(
          Array.from({ length: 8 }, () =>
            new TestClient(shedding).request(
              SIGN_IN,
              { input: { name: `ghost_${randomInt(1e9)}`, password: 'wrong-password-2' } },
              { headers: ip },
            ),
          ),
        );
        for (const response of responses) {
          expect(response.errors?.[0]?.extensions).toMatchObject({
            code: 'RATE_LIMITED',
            retryAfter: 1,
          });
        }
        expect(await zeroRows(shedding)).toEqual([]);
      } finally {
        await shedding.close();
      }
    });
  },
);
