import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailServerBed } from '../support/beds.js';
import { errorCode, TestClient } from '../support/client.js';
import { DAY, SECOND, TestClock } from '../support/clock.js';
import {
  emailCodeIn,
  emailEnv,
  fragmentParams,
  linkIn,
  ME_EMAIL,
  mailTo,
  RESEND_EMAIL_VERIFICATION,
  signUpVerified,
  signUpWithCode,
  VERIFY_EMAIL,
  VERIFY_SUBJECT,
} from '../support/email.js';
import { signIn, signUp, UNLIMITED } from '../support/flows.js';
import { REFRESH_SESSION, REVOKE_OTHER_SESSIONS, SESSIONS } from '../support/operations.js';
import {
  CHANGE_PASSWORD,
  NEW_SIGN_IN_SUBJECT,
  outboxSettled,
  requestCode,
  resetPassword,
} from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';

const clock = new TestClock();
const bed = mailServerBed(
  { ...UNLIMITED, RATE_LIMIT_EMAIL_MAIL: '1000', PUBLIC_URL: 'https://auth.example.test' },
  { now: clock.now },
);

const client = () => new TestClient(bed.server);
const prisma = () => bed.server.booted.db.prisma;
const otherCode = (code: string) => ((Number(code) + 1) % 100_000_000).toString().padStart(8, '0');
const verifyEmail = (c: TestClient, code: string) => c.request(VERIFY_EMAIL, { input: { code } });
const verified = async (c: TestClient) => (await c.request(ME_EMAIL)).data?.me?.emailVerified;

describe('sign-up', () => {
  it('mails an 8-digit code and a link to PUBLIC_URL carrying it, stored only as a keyed hash, valid 24 hours', async () => {
    const c = client();
    const { user, mail, code } = await signUpWithCode(c, bed.smtp);
    expect(code).toMatch(/^\d{8}$/);
    expect(mail.text).toMatch(/expires in 1 day/);
    const link = linkIn(mail, 'verify');
    expect(link.origin).toBe('https://auth.example.test');
    expect(fragmentParams(link).get('code')).toBe(code);
    expect(link.search).toBe('');
    expect(mail.html).toContain(`>${code}</p>`);

    const row = await prisma().emailCode.findUniqueOrThrow({
      where: { userId_purpose: { userId: user.id, purpose: 'VERIFY' } },
    });
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.codeHash).not.toBe(createHash('sha256').update(code).digest('hex'));
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(DAY);
    expect(await verified(c)).toBe(false);
  });
});

describe('verifyEmail', () => {
  it('with the code verifies the address, records EMAIL_VERIFIED, ends every other session and rotates this one', async () => {
    const c = client();
    const { account, user, code } = await signUpWithCode(c, bed.smtp);
    const other = client();
    await signIn(other, { email: account.email, password: account.password });
    const cookie = c.sessionValue;

    const response = await verifyEmail(c, ` ${code} `);
    expect(response.errors).toBeUndefined();
    expect(response.data?.verifyEmail).toMatchObject({ email: account.email, emailVerified: true });
    expect(c.sessionValue).not.toBe(cookie);
    expect((await c.request(SESSIONS)).data?.sessions).toHaveLength(1);
    expect((await other.request(ME_EMAIL)).data?.me).toBeNull();
    const verified = await prisma().securityEvent.findMany({
      where: { userId: user.id, kind: 'EMAIL_VERIFIED' },
    });
    expect(verified).toHaveLength(1);
    // Single use: the code is gone.
    expect(await prisma().emailCode.count({ where: { userId: user.id } })).toBe(0);
  });

  it('on a verified address answers the user and changes nothing', async () => {
    const c = client();
    const { code } = await signUpVerified(c, bed.smtp);
    const cookie = c.sessionValue;
    const again = await verifyEmail(c, code);
    expect(again.data?.verifyEmail.emailVerified).toBe(true);
    expect(c.sessionValue).toBe(cookie);
  });

  it('with a wrong or malformed code answers INVALID_OTP and writes nothing', async () => {
    const c = client();
    const { user, code } = await signUpWithCode(c, bed.smtp);
    // Sign-up itself logs the account's first SIGN_IN.
    const events = await prisma().securityEvent.count({ where: { userId: user.id } });
    expect(errorCode(await verifyEmail(c, otherCode(code)))).toBe('INVALID_OTP');
    expect(errorCode(await verifyEmail(c, 'abcdefgh'))).toBe('INVALID_OTP');
    expect(errorCode(await verifyEmail(c, '1234567'))).toBe('INVALID_OTP');
    expect(await verified(c)).toBe(false);
    const row = await prisma().emailCode.findFirstOrThrow({ where: { userId: user.id } });
    // The malformed ones spent no check of the code.
    expect(row.attempts).toBe(1);
    expect(await prisma().securityEvent.count({ where: { userId: user.id } })).toBe(events);
  });

  it('five wrong tries burn the code: the right one then fails too', async () => {
    const c = client();
    const { code } = await signUpWithCode(c, bed.smtp);
    for (let i = 0; i < 5; i++)
      expect(errorCode(await verifyEmail(c, otherCode(code)))).toBe('INVALID_OTP');
    expect(errorCode(await verifyEmail(c, code))).toBe('INVALID_OTP');
    expect(await verified(c)).toBe(false);
  });

  it('the code works until 24 hours have passed, and not after', async () => {
    const early = client();
    const first = await signUpWithCode(early, bed.smtp, { keepSignedIn: true });
    const late = client();
    const second = await signUpWithCode(late, bed.smtp, { keepSignedIn: true });
    clock.advance(DAY - SECOND);
    expect(errorCode(await verifyEmail(early, first.code))).toBeUndefined();
    clock.advance(SECOND);
    expect(errorCode(await verifyEmail(late, second.code))).toBe('INVALID_OTP');
    expect(await verified(late)).toBe(false);
  });

  it('signed out answers UNAUTHENTICATED', async () => {
    expect(errorCode(await verifyEmail(client(), '12345678'))).toBe('UNAUTHENTICATED');
    expect(errorCode(await client().request(RESEND_EMAIL_VERIFICATION))).toBe('UNAUTHENTICATED');
  });

  it('20 wrong codes a day per account, across every code: then even the right code is RATE_LIMITED', async () => {
    const c = client();
    const first = await signUpWithCode(c, bed.smtp);
    let code = first.code;
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 5; i++)
        expect(errorCode(await verifyEmail(c, otherCode(code)))).toBe('INVALID_OTP');
      const after = bed.smtp.mark();
      expect((await c.request(RESEND_EMAIL_VERIFICATION)).data?.resendEmailVerification).toBe(true);
      code = emailCodeIn(await mailTo(bed.smtp, first.account.email, VERIFY_SUBJECT, after));
    }
    const limited = await verifyEmail(c, code);
    expect(errorCode(limited)).toBe('RATE_LIMITED');
    expect(limited.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    expect(await verified(c)).toBe(false);
  });
});

describe('resendEmailVerification', () => {
  it('mails a new code that replaces the last one', async () => {
    const c = client();
    const { account, code: old } = await signUpWithCode(c, bed.smtp);
    const after = bed.smtp.mark();
    expect((await c.request(RESEND_EMAIL_VERIFICATION)).data?.resendEmailVerification).toBe(true);
    const code = emailCodeIn(await mailTo(bed.smtp, account.email, VERIFY_SUBJECT, after));
    expect(errorCode(await verifyEmail(c, old))).toBe('INVALID_OTP');
    expect((await verifyEmail(c, code)).data?.verifyEmail.emailVerified).toBe(true);
  });

  it('on a verified address answers true and sends nothing', async () => {
    const c = client();
    const { account } = await signUpVerified(c, bed.smtp);
    const after = bed.smtp.mark();
    expect((await c.request(RESEND_EMAIL_VERIFICATION)).data?.resendEmailVerification).toBe(true);
    // Mail asked for afterwards arrives, so a verification mail would have too.
    const probe = client();
    await signUpWithCode(probe, bed.smtp);
    await outboxSettled(bed.server);
    expect(bed.smtp.to(account.email, after)).toHaveLength(0);
  });
});

describe('resetPassword', () => {
  it('verifies the address the reset code was sent to', async () => {
    const c = client();
    const { account, user } = await signUpWithCode(c, bed.smtp);
    const code = await requestCode(c, bed.smtp, account.email);
    const response = await resetPassword(c, {
      email: account.email,
      otp: code,
      newPassword: 'a-brand-new-password',
    });
    expect(response.errors).toBeUndefined();
    expect(await verified(c)).toBe(true);
    const kinds = (await prisma().securityEvent.findMany({ where: { userId: user.id } })).map(
      (e) => e.kind,
    );
    expect(kinds).toContain('EMAIL_VERIFIED');
  });
});

describe('security notices', () => {
  it('go only to a verified address', async () => {
    const c = client();
    const { account } = await signUpWithCode(c, bed.smtp);
    const after = bed.smtp.mark();
    await signIn(new TestClient(bed.server, 'another-browser/1.0'), {
      email: account.email,
      password: account.password,
    });
    await c.request(CHANGE_PASSWORD, {
      input: { currentPassword: account.password, newPassword: 'second-password-123' },
    });
    // Once verified, the same events are reported: proof that the two above were dropped, not late.
    const v = client();
    const proven = await signUpVerified(v, bed.smtp);
    await signIn(new TestClient(bed.server, 'another-browser/1.0'), {
      email: proven.account.email,
      password: proven.account.password,
    });
    await mailTo(bed.smtp, proven.account.email, NEW_SIGN_IN_SUBJECT, after);
    await outboxSettled(bed.server);
    expect(
      bed.smtp
        .to(account.email, after)
        .filter((m) => /new sign-in|password was changed/i.test(m.subject)),
    ).toHaveLength(0);
  });
});

describe('EMAIL_VERIFICATION=required', () => {
  let strict: TestServer;
  beforeAll(async () => {
    strict = await startServer({
      env: emailEnv(bed.smtp, { EMAIL_VERIFICATION: 'required', USERS_QUERY_ACCESS: 'signed-in' }),
    });
  });
  afterAll(() => strict?.close());

  it('an unverified user gets EMAIL_NOT_VERIFIED beyond the listed fields, and nothing is written', async () => {
    const c = new TestClient(strict);
    const { account } = await signUp(c);
    const other = new TestClient(strict);
    await signIn(other, { email: account.email, password: account.password });
    const cookie = c.sessionValue;

    const me = await c.request(ME_EMAIL);
    expect(me.errors).toBeUndefined();
    expect(me.data?.me?.emailVerified).toBe(false);
    expect((await c.request(SESSIONS)).data?.sessions).toHaveLength(2);
    for (const refused of [
      await c.request(REFRESH_SESSION),
      await c.request(REVOKE_OTHER_SESSIONS),
      await c.request('{ users { totalCount } }'),
      await c.request(CHANGE_PASSWORD, {
        input: { currentPassword: account.password, newPassword: 'another-password-1' },
      }),
    ])
      expect(errorCode(refused)).toBe('EMAIL_NOT_VERIFIED');
    expect(c.sessionValue).toBe(cookie);
    expect((await other.request(ME_EMAIL)).data?.me?.email).toBe(account.email);
    expect(
      await strict.booted.db.prisma.user.count({
        where: { email: account.email, credentialVersion: 0 },
      }),
    ).toBe(1);
  });

  it('verifying the address opens every field', async () => {
    const c = new TestClient(strict);
    const after = bed.smtp.mark();
    const { account } = await signUp(c);
    const code = emailCodeIn(await mailTo(bed.smtp, account.email, VERIFY_SUBJECT, after));
    const resent = bed.smtp.mark();
    expect(errorCode(await c.request(RESEND_EMAIL_VERIFICATION))).toBeUndefined();
    const fresh = emailCodeIn(await mailTo(bed.smtp, account.email, VERIFY_SUBJECT, resent));
    expect(fresh).not.toBe(code);
    expect((await verifyEmail(c, fresh)).data?.verifyEmail.emailVerified).toBe(true);
    const refreshed = await c.request(REFRESH_SESSION);
    expect(refreshed.errors).toBeUndefined();
    expect(errorCode(await c.request('{ users { totalCount } }'))).toBeUndefined();
  });

  it('signed out, the public fields answer as ever', async () => {
    const c = new TestClient(strict);
    const { account } = await signUp(c);
    const fresh = new TestClient(strict);
    const response = await signIn(fresh, { email: account.email, password: account.password });
    expect(response.errors).toBeUndefined();
    expect(errorCode(await fresh.request('{ users { totalCount } }'))).toBe('EMAIL_NOT_VERIFIED');
    expect(errorCode(await new TestClient(strict).request(REFRESH_SESSION))).toBe(
      'UNAUTHENTICATED',
    );
  });
});
