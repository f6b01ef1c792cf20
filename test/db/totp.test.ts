import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecondFactorInput } from '../generated/graphql.js';
import { errorCode, TestClient } from '../support/client.js';
import { MINUTE, SECOND, TestClock } from '../support/clock.js';
import {
  BEGIN_TOTP,
  CONFIRM_TOTP,
  DISABLE_TOTP,
  enableTotp,
  FACTOR_STATE,
  passwordStep,
  REAUTHENTICATE,
  REGENERATE_CODES,
  RESET_WITH_FACTOR,
  TOTP_STEP_MS,
  totpCode,
  VERIFY_SECOND_FACTOR,
  verifyAddress,
} from '../support/factors.js';
import { type Account, signUp, UNLIMITED } from '../support/flows.js';
import { CHANGE_PASSWORD, mailEnv, requestCode } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { TestSmtp } from '../support/smtp.js';

const clock = new TestClock();
let smtp: TestSmtp;
let server: TestServer;

beforeAll(async () => {
  smtp = await TestSmtp.start();
  server = await startServer({
    env: { ...UNLIMITED, ...mailEnv(smtp), RATE_LIMIT_SECOND_FACTOR: '100000' },
    now: clock.now,
  });
});
afterAll(async () => {
  await server?.close();
  await smtp?.stop();
});

/** A signed-up account whose address is verified (set in the database until e-mail verification lands). */
async function verifiedAccount() {
  const client = new TestClient(server);
  const signedUp = await signUp(client);
  await verifyAddress(server, signedUp.user.id);
  return { client, ...signedUp };
}

/** A verified account with TOTP on, and its secret and recovery codes. */
async function totpAccount() {
  const account = await verifiedAccount();
  return { ...account, ...(await enableTotp(account.client, clock)) };
}

function verify(client: TestClient, variables: { input: SecondFactorInput }) {
  return client.request(VERIFY_SECOND_FACTOR, variables);
}

describe('turning TOTP on', () => {
  it('needs a verified address: EMAIL_NOT_VERIFIED otherwise, and nothing is stored', async () => {
    const client = new TestClient(server);
    const { user } = await signUp(client);
    const res = await client.request(BEGIN_TOTP);
    expect(errorCode(res)).toBe('EMAIL_NOT_VERIFIED');
    expect(await server.booted.db.prisma.totpCredential.count({ where: { userId: user.id } })).toBe(
      0,
    );
  });

  it('needs recent authentication, with the methods reauthenticate accepts', async () => {
    const { client } = await verifiedAccount();
    clock.advance(11 * MINUTE);
    const res = await client.request(BEGIN_TOTP);
    expect(errorCode(res)).toBe('REAUTHENTICATION_REQUIRED');
    expect(res.errors?.[0]?.extensions?.methods).toEqual(['PASSWORD']);
  });

  it('gives a 160-bit base32 secret and an otpauth URI, stored only sealed', async () => {
    const { client, user } = await verifiedAccount();
    const res = await client.request(BEGIN_TOTP);
    const { secret, uri } = res.data!.beginTotpEnrollment;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const parsed = new URL(uri);
    expect(parsed.protocol).toBe('otpauth:');
    expect(parsed.searchParams.get('secret')).toBe(secret);
    expect(parsed.searchParams.get('period')).toBe('30');
    expect(parsed.searchParams.get('digits')).toBe('6');
    const row = await server.booted.db.prisma.totpCredential.findUniqueOrThrow({
      where: { userId: user.id },
    });
    expect(row.secret).toBeNull();
    expect(row.pendingSecret).not.toContain(secret);
    expect(row.pendingSecret).toMatch(/^v1\.[\w-]{8}\./);
  });

  it('a wrong code turns nothing on; the right one returns ten distinct recovery codes', async () => {
    const { client } = await verifiedAccount();
    const { secret } = (await client.request(BEGIN_TOTP)).data!.beginTotpEnrollment;
    const wrong = await client.request(CONFIRM_TOTP, {
      input: { code: totpCode(secret, clock.now(), 5) },
    });
    expect(errorCode(wrong)).toBe('INVALID_OTP');
    expect((await client.request(FACTOR_STATE)).data?.me?.twoFactorEnabled).toBe(false);

    const right = await client.request(CONFIRM_TOTP, {
      input: { code: totpCode(secret, clock.now()) },
    });
    const codes = right.data!.confirmTotpEnrollment;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // 12 characters of base32: 60 bits each.
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/);
    expect((await client.request(FACTOR_STATE)).data?.me?.twoFactorEnabled).toBe(true);
  });

  it('ends every other session, keeps this one under a new token, and records the event and a notice', async () => {
    const { client, account, user } = await verifiedAccount();
    const other = new TestClient(server);
    await passwordStepOrSession(other, account);
    const before = client.sessionValue;
    const after = smtp.mark();
    await enableTotp(client, clock);
    expect(client.sessionValue).not.toBe(before);
    expect((await other.request(FACTOR_STATE)).data?.session).toBeNull();
    expect((await client.request(FACTOR_STATE)).data?.session).not.toBeNull();
    const events = await server.booted.db.prisma.securityEvent.findMany({
      where: { userId: user.id, kind: 'TWO_FACTOR_ENABLED' },
    });
    expect(events).toHaveLength(1);
    const mail = await smtp.waitFor(
      (m) => m.to.includes(account.email.toLowerCase()) && /two-step sign-in/i.test(m.subject),
      { after },
    );
    expect(mail.text).toMatch(/Every other device was signed out/);
  });
});

/** Signs a second browser in with the password, while the account has no second factor yet. */
async function passwordStepOrSession(
  client: TestClient,
  account: { email: string; password: string },
) {
  const step = await passwordStep(client, account);
  expect(step.response.errors).toBeUndefined();
}

describe('signing in with TOTP', () => {
  it('a right password answers SECOND_FACTOR_REQUIRED with a challenge and the methods, and no session', async () => {
    const { account } = await totpAccount();
    const browser = new TestClient(server);
    const step = await passwordStep(browser, account);
    expect(step.code).toBe('SECOND_FACTOR_REQUIRED');
    expect(step.challenge).toMatch(/^[\w-]{43}$/);
    expect(step.methods).toEqual(['TOTP', 'RECOVERY_CODE']);
    expect(browser.sessionValue).toBeUndefined();
    expect(step.response.data).toBeNull();
  });

  it('a wrong password answers INVALID_CREDENTIALS and no challenge', async () => {
    const { account } = await totpAccount();
    const step = await passwordStep(new TestClient(server), {
      ...account,
      password: 'wrong-password-1',
    });
    expect(step.code).toBe('INVALID_CREDENTIALS');
    expect(step.challenge).toBeUndefined();
  });

  it('the current code completes it: a session authenticated by [PASSWORD, TOTP]', async () => {
    const { account, secret } = await totpAccount();
    const browser = new TestClient(server);
    const { challenge } = await passwordStep(browser, account);
    const res = await verify(browser, {
      input: { challenge, totp: totpCode(secret, clock.now()) },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.verifySecondFactor.session.methods).toEqual(['PASSWORD', 'TOTP']);
    expect((await browser.request(FACTOR_STATE)).data?.session?.methods).toEqual([
      'PASSWORD',
      'TOTP',
    ]);
  });

  it('accepts one step of drift either way, and no more', async () => {
    const { account, secret } = await totpAccount();
    const attempt = async (steps: number) => {
      const browser = new TestClient(server);
      const { challenge } = await passwordStep(browser, account);
      return verify(browser, { input: { challenge, totp: totpCode(secret, clock.now(), steps) } });
    };
    // Past the step enrolment spent, so the one before now is fresh.
    clock.advance(TOTP_STEP_MS);
    expect(errorCode(await attempt(-2))).toBe('INVALID_OTP');
    expect(errorCode(await attempt(2))).toBe('INVALID_OTP');
    expect((await attempt(-1)).errors).toBeUndefined();
    clock.advance(TOTP_STEP_MS);
    expect((await attempt(0)).errors).toBeUndefined();
    clock.advance(TOTP_STEP_MS);
    expect((await attempt(1)).errors).toBeUndefined();
  });

  it('refuses a code whose step was accepted before (replay), and an older one after a newer', async () => {
    const { account, secret } = await totpAccount();
    const code = totpCode(secret, clock.now());
    const first = new TestClient(server);
    const a = await passwordStep(first, account);
    expect(
      (await verify(first, { input: { challenge: a.challenge, totp: code } })).errors,
    ).toBeUndefined();
    const second = new TestClient(server);
    const b = await passwordStep(second, account);
    expect(errorCode(await verify(second, { input: { challenge: b.challenge, totp: code } }))).toBe(
      'INVALID_OTP',
    );
    // Still within the drift window, but older than the step just used.
    const older = totpCode(secret, clock.now(), -1);
    expect(
      errorCode(await verify(second, { input: { challenge: b.challenge, totp: older } })),
    ).toBe('INVALID_OTP');
    expect(second.sessionValue).toBeUndefined();
  });

  it('of parallel answers with one code, exactly one signs in (compare-and-set on the step)', async () => {
    const { account, secret } = await totpAccount();
    const browsers = Array.from({ length: 4 }, () => new TestClient(server));
    const steps = await Promise.all(browsers.map((b) => passwordStep(b, account)));
    const code = totpCode(secret, clock.now());
    const answers = await Promise.all(
      browsers.map((b, i) =>
        verify(b, { input: { challenge: steps[i]?.challenge ?? '', totp: code } }),
      ),
    );
    expect(answers.filter((a) => a.errors === undefined)).toHaveLength(1);
    expect(answers.filter((a) => errorCode(a) === 'INVALID_OTP')).toHaveLength(3);
  });

  it('burns the challenge after 5 tries: the right code on the sixth is refused', async () => {
    const { account, secret } = await totpAccount();
    const browser = new TestClient(server);
    const { challenge } = await passwordStep(browser, account);
    const wrong = totpCode(secret, clock.now(), 10);
    for (let i = 0; i < 5; i++)
      expect(errorCode(await verify(browser, { input: { challenge, totp: wrong } }))).toBe(
        'INVALID_OTP',
      );
    const right = await verify(browser, {
      input: { challenge, totp: totpCode(secret, clock.now()) },
    });
    expect(errorCode(right)).toBe('INVALID_OTP');
    expect(browser.sessionValue).toBeUndefined();
  });

  it('the challenge lives 5 minutes', async () => {
    const { account, secret } = await totpAccount();
    const browser = new TestClient(server);
    const { challenge } = await passwordStep(browser, account);
    clock.advance(5 * MINUTE + SECOND);
    const res = await verify(browser, {
      input: { challenge, totp: totpCode(secret, clock.now()) },
    });
    expect(errorCode(res)).toBe('INVALID_OTP');
  });

  it('the challenge is single use', async () => {
    const { account, secret } = await totpAccount();
    const browser = new TestClient(server);
    const { challenge } = await passwordStep(browser, account);
    expect(
      (await verify(browser, { input: { challenge, totp: totpCode(secret, clock.now()) } })).errors,
    ).toBeUndefined();
    clock.advance(TOTP_STEP_MS);
    const again = await verify(new TestClient(server), {
      input: { challenge, totp: totpCode(secret, clock.now()) },
    });
    expect(errorCode(again)).toBe('INVALID_OTP');
  });

  it('the challenge is bound to the password step: a password change since voids it', async () => {
    const { client, account, secret } = await totpAccount();
    const browser = new TestClient(server);
    const { challenge } = await passwordStep(browser, account);
    const changed = await client.request(CHANGE_PASSWORD, {
      input: { currentPassword: account.password, newPassword: 'a-brand-new-password-1' },
    });
    expect(changed.errors).toBeUndefined();
    const res = await verify(browser, {
      input: { challenge, totp: totpCode(secret, clock.now()) },
    });
    expect(errorCode(res)).toBe('INVALID_OTP');
  });

  it('takes exactly one factor', async () => {
    const { account, secret, codes } = await totpAccount();
    const browser = new TestClient(server);
    const { challenge } = await passwordStep(browser, account);
    const both = await verify(browser, {
      input: { challenge, totp: totpCode(secret, clock.now()), recoveryCode: codes[0] },
    });
    expect(errorCode(both)).toBe('BAD_USER_INPUT');
    expect(errorCode(await verify(browser, { input: { challenge } }))).toBe('BAD_USER_INPUT');
  });
});

describe('recovery codes', () => {
  it('each works once, as [PASSWORD, RECOVERY_CODE], and its use is recorded', async () => {
    const { account, codes, user } = await totpAccount();
    const use = async (code: string) => {
      const browser = new TestClient(server);
      const { challenge } = await passwordStep(browser, account);
      return verify(browser, { input: { challenge, recoveryCode: code } });
    };
    const first = await use(codes[0]!);
    expect(first.data?.verifySecondFactor.session.methods).toEqual(['PASSWORD', 'RECOVERY_CODE']);
    expect(errorCode(await use(codes[0]!))).toBe('INVALID_OTP');
    // Typed loosely (upper case, no dashes), the next one works too.
    expect((await use(codes[1]!.replace(/-/g, '').toUpperCase())).errors).toBeUndefined();
    expect(
      await server.booted.db.prisma.securityEvent.count({
        where: { userId: user.id, kind: 'RECOVERY_CODE_USED' },
      }),
    ).toBe(2);
    expect(await server.booted.db.prisma.recoveryCode.count({ where: { userId: user.id } })).toBe(
      8,
    );
  });

  it('regenerating needs recent authentication and kills the old codes', async () => {
    const { client, account, codes, secret } = await totpAccount();
    clock.advance(11 * MINUTE);
    expect(errorCode(await client.request(REGENERATE_CODES))).toBe('REAUTHENTICATION_REQUIRED');
    const reauth = await client.request(REAUTHENTICATE, {
      input: { password: account.password, totp: totpCode(secret, clock.now()) },
    });
    expect(reauth.data?.reauthenticate.methods).toEqual(['PASSWORD', 'TOTP']);
    const fresh = (await client.request(REGENERATE_CODES)).data!.regenerateRecoveryCodes;
    expect(fresh).toHaveLength(10);
    const browser = new TestClient(server);
    const { challenge } = await passwordStep(browser, account);
    expect(
      errorCode(await verify(browser, { input: { challenge, recoveryCode: codes[2]! } })),
    ).toBe('INVALID_OTP');
    expect(
      (await verify(browser, { input: { challenge, recoveryCode: fresh[0]! } })).errors,
    ).toBeUndefined();
  });
});

describe('reauthenticate with a second factor', () => {
  it('lists what it takes, and asks for a code with the password', async () => {
    const { client, account, secret } = await totpAccount();
    clock.advance(11 * MINUTE);
    const needed = await client.request(BEGIN_TOTP);
    expect(needed.errors?.[0]?.extensions?.methods).toEqual(['PASSWORD', 'TOTP', 'RECOVERY_CODE']);
    const passwordOnly = await client.request(REAUTHENTICATE, {
      input: { password: account.password },
    });
    expect(errorCode(passwordOnly)).toBe('BAD_USER_INPUT');
    const wrongCode = await client.request(REAUTHENTICATE, {
      input: { password: account.password, totp: totpCode(secret, clock.now(), 7) },
    });
    expect(errorCode(wrongCode)).toBe('INVALID_OTP');
    const ok = await client.request(REAUTHENTICATE, {
      input: { password: account.password, totp: totpCode(secret, clock.now()) },
    });
    expect(ok.data?.reauthenticate).toMatchObject({
      methods: ['PASSWORD', 'TOTP'],
      authenticatedAt: clock.now().toISOString(),
    });
  });
});

describe('turning TOTP off', () => {
  it('needs recent authentication; then the password alone signs in and the codes are gone', async () => {
    const { client, account, user } = await totpAccount();
    clock.advance(11 * MINUTE);
    expect(errorCode(await client.request(DISABLE_TOTP))).toBe('REAUTHENTICATION_REQUIRED');
    clock.advance(-11 * MINUTE);
    const after = smtp.mark();
    expect((await client.request(DISABLE_TOTP)).data?.disableTotp).toBe(true);
    expect((await client.request(FACTOR_STATE)).data?.me?.twoFactorEnabled).toBe(false);
    const step = await passwordStep(new TestClient(server), account);
    expect(step.response.errors).toBeUndefined();
    expect(await server.booted.db.prisma.recoveryCode.count({ where: { userId: user.id } })).toBe(
      0,
    );
    expect(
      await server.booted.db.prisma.securityEvent.count({
        where: { userId: user.id, kind: 'TWO_FACTOR_DISABLED' },
      }),
    ).toBe(1);
    const mail = await smtp.waitFor(
      (m) =>
        m.to.includes(account.email.toLowerCase()) &&
        /authenticator app was removed/i.test(m.subject),
      { after },
    );
    expect(mail.text).toMatch(/Every other device was signed out/);
  });
});

describe('reset with a second factor', () => {
  it('without a factor answers SECOND_FACTOR_REQUIRED and changes nothing; the code then works with one', async () => {
    const { account, secret } = await totpAccount();
    const browser = new TestClient(server);
    const otp = await requestCode(browser, smtp, account.email);
    const newPassword = 'reset-with-two-factors-1';
    const bare = await browser.request(RESET_WITH_FACTOR, {
      input: { email: account.email, otp, newPassword },
    });
    expect(errorCode(bare)).toBe('SECOND_FACTOR_REQUIRED');
    expect(bare.errors?.[0]?.extensions?.methods).toEqual(['TOTP', 'RECOVERY_CODE']);
    expect(browser.sessionValue).toBeUndefined();
    // The old password still holds.
    expect((await passwordStep(new TestClient(server), account)).code).toBe(
      'SECOND_FACTOR_REQUIRED',
    );

    const wrong = await browser.request(RESET_WITH_FACTOR, {
      input: { email: account.email, otp, newPassword, totp: totpCode(secret, clock.now(), 9) },
    });
    expect(errorCode(wrong)).toBe('INVALID_OTP');
    const done = await browser.request(RESET_WITH_FACTOR, {
      input: { email: account.email, otp, newPassword, totp: totpCode(secret, clock.now()) },
    });
    expect(done.errors).toBeUndefined();
    expect(done.data?.resetPassword.session.methods).toEqual(['EMAIL_CODE', 'TOTP']);
    expect(
      (await passwordStep(new TestClient(server), { ...account, password: newPassword })).code,
    ).toBe('SECOND_FACTOR_REQUIRED');
  });
});

/** Signs in with the password and the current TOTP code, in this browser. */
async function bothSteps(client: TestClient, account: Account, secret: string) {
  const { challenge } = await passwordStep(client, account);
  return verify(client, { input: { challenge, totp: totpCode(secret, clock.now()) } });
}

describe('second-factor limits', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startServer({
      env: {
        ...UNLIMITED,
        ...mailEnv(smtp),
        RATE_LIMIT_SECOND_FACTOR: '4',
        RATE_LIMIT_SECOND_FACTOR_LOCKOUT: '100',
      },
      now: clock.now,
    });
  });
  afterAll(() => limited?.close());

  it("wrong answers past the account limit get RATE_LIMITED, even with the right code, but not in the owner's browser", async () => {
    const client = new TestClient(limited);
    const { account, user } = await signUp(client);
    await verifyAddress(limited, user.id);
    const { secret } = await enableTotp(client, clock);
    const wrong = totpCode(secret, clock.now(), 10);
    for (let i = 0; i < 4; i++) {
      const browser = new TestClient(limited);
      const { challenge } = await passwordStep(browser, account);
      expect(errorCode(await verify(browser, { input: { challenge, totp: wrong } }))).toBe(
        'INVALID_OTP',
      );
    }
    const browser = new TestClient(limited);
    const { challenge } = await passwordStep(browser, account);
    const res = await verify(browser, {
      input: { challenge, totp: totpCode(secret, clock.now()) },
    });
    expect(errorCode(res)).toBe('RATE_LIMITED');
    expect(res.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    // The owner's browser holds a device cookie of the account (from signing up): it counts on its own.
    expect((await bothSteps(client, account, secret)).errors).toBeUndefined();
  });
});

describe('the factor lock', () => {
  let locking: TestServer;
  beforeAll(async () => {
    locking = await startServer({
      env: {
        ...UNLIMITED,
        ...mailEnv(smtp),
        RATE_LIMIT_SECOND_FACTOR: '100000',
        RATE_LIMIT_SECOND_FACTOR_LOCKOUT: '3',
      },
      now: clock.now,
    });
  });
  afterAll(() => locking?.close());

  it("locks the factor step after that many wrong answers in a row, tells the owner, and spares the owner's browser", async () => {
    const client = new TestClient(locking);
    const { account, user } = await signUp(client);
    await verifyAddress(locking, user.id);
    const { secret } = await enableTotp(client, clock);
    const after = smtp.mark();
    const browser = new TestClient(locking);
    const { challenge } = await passwordStep(browser, account);
    for (let i = 0; i < 3; i++)
      expect(
        errorCode(
          await verify(browser, { input: { challenge, totp: totpCode(secret, clock.now(), 10) } }),
        ),
      ).toBe('INVALID_OTP');
    const next = new TestClient(locking);
    const step = await passwordStep(next, account);
    const res = await verify(next, {
      input: { challenge: step.challenge, totp: totpCode(secret, clock.now()) },
    });
    expect(errorCode(res)).toBe('RATE_LIMITED');
    // Not for the owner's browser (its device cookie): a stranger with the password is no lockout weapon.
    expect((await bothSteps(client, account, secret)).errors).toBeUndefined();
    const mail = await smtp.waitFor(
      (m) => m.to.includes(account.email.toLowerCase()) && /password is known/i.test(m.subject),
      { after },
    );
    expect(mail.text).toMatch(/failed the second step many times/);
  });
});
