import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailServerBed } from '../support/beds.js';
import { errorCode, TestClient } from '../support/client.js';
import { DAY, MINUTE, SECOND, TestClock } from '../support/clock.js';
import {
  CHANGE_CODE_SUBJECT,
  CHANGE_REQUESTED_SUBJECT,
  CHANGED_SUBJECT,
  CONFIRM_EMAIL_CHANGE,
  emailCodeIn,
  emailEnv,
  fragmentParams,
  linkIn,
  ME_EMAIL,
  mailTo,
  REQUEST_EMAIL_CHANGE,
  RESTORED_SUBJECT,
  REVERT_EMAIL_CHANGE,
  signUpVerified,
  signUpWithCode,
  TAKEN_SUBJECT,
} from '../support/email.js';
import { newAccount, signIn, UNLIMITED } from '../support/flows.js';
import { SESSIONS } from '../support/operations.js';
import { outboxSettled, requestCode, resetPassword } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';

const clock = new TestClock();
const bed = mailServerBed(
  { ...UNLIMITED, RATE_LIMIT_EMAIL_MAIL: '1000', REAUTH_WINDOW: '10m' },
  { now: clock.now },
);

const client = () => new TestClient(bed.server);
const prisma = () => bed.server.booted.db.prisma;
const freshEmail = () => newAccount().email;
const otherCode = (code: string) => ((Number(code) + 1) % 100_000_000).toString().padStart(8, '0');
const requestChange = (c: TestClient, newEmail: string) =>
  c.request(REQUEST_EMAIL_CHANGE, { input: { newEmail } });
const confirmChange = (c: TestClient, code: string) =>
  c.request(CONFIRM_EMAIL_CHANGE, { input: { code } });
const revert = (c: TestClient, token: string) =>
  c.request(REVERT_EMAIL_CHANGE, { input: { token } });

/** A verified account that asked to move to a new address, with the code mailed there. */
async function pendingChange(c: TestClient, newEmail = freshEmail()) {
  const account = await signUpVerified(c, bed.smtp);
  const after = bed.smtp.mark();
  const response = await requestChange(c, newEmail);
  if (response.data?.requestEmailChange !== true)
    throw new Error(`requestEmailChange failed: ${JSON.stringify(response.errors)}`);
  const code = emailCodeIn(await mailTo(bed.smtp, newEmail, CHANGE_CODE_SUBJECT, after));
  return { ...account, newEmail, code, after };
}

/** A confirmed change, with the revert token mailed to the old address. */
async function confirmedChange(c: TestClient) {
  const pending = await pendingChange(c);
  const confirmed = await confirmChange(c, pending.code);
  if (confirmed.errors) throw new Error(`confirm failed: ${JSON.stringify(confirmed.errors)}`);
  const mail = await mailTo(bed.smtp, pending.account.email, CHANGED_SUBJECT, pending.after);
  const token = fragmentParams(linkIn(mail, 'revert-email')).get('token') ?? '';
  return { ...pending, mail, token };
}

describe('requestEmailChange', () => {
  it('mails an 8-digit code valid 15 minutes to the new address and a notice to the old one', async () => {
    const c = client();
    const { account, newEmail, code, after } = await pendingChange(c);
    const codeMail = await mailTo(bed.smtp, newEmail, CHANGE_CODE_SUBJECT, after);
    expect(codeMail.text).toMatch(/expires in 15 minutes/);
    expect(fragmentParams(linkIn(codeMail, 'confirm-email')).get('code')).toBe(code);
    const notice = await mailTo(bed.smtp, account.email, CHANGE_REQUESTED_SUBJECT, after);
    expect(notice.text).toContain(newEmail.split('@')[0]);
    // Nothing changes until the code comes back.
    expect((await c.request(ME_EMAIL)).data?.me).toMatchObject({
      email: account.email,
      emailVerified: true,
    });
  });

  it('needs recent authentication: REAUTHENTICATION_REQUIRED with the methods, and nothing is sent', async () => {
    const c = client();
    const { user } = await signUpVerified(c, bed.smtp);
    clock.advance(10 * MINUTE + SECOND);
    const target = freshEmail();
    const response = await requestChange(c, target);
    expect(errorCode(response)).toBe('REAUTHENTICATION_REQUIRED');
    expect(response.errors?.[0]?.extensions?.methods).toEqual(['PASSWORD']);
    expect(await prisma().emailCode.count({ where: { userId: user.id, purpose: 'CHANGE' } })).toBe(
      0,
    );
  });

  it('answers BAD_USER_INPUT for a malformed address or the current one, and writes nothing', async () => {
    const c = client();
    const { account, user } = await signUpVerified(c, bed.smtp);
    const malformed = await requestChange(c, 'not an address');
    expect(errorCode(malformed)).toBe('BAD_USER_INPUT');
    expect(malformed.errors?.[0]?.extensions?.field).toBe('newEmail');
    expect(errorCode(await requestChange(c, account.email.toUpperCase()))).toBe('BAD_USER_INPUT');
    expect(await prisma().emailCode.count({ where: { userId: user.id } })).toBe(0);
  });

  it('a taken address answers true, gets a mail saying so and no code, and the old address its notice', async () => {
    const owner = client();
    const taken = await signUpVerified(owner, bed.smtp);
    const c = client();
    const { account } = await signUpVerified(c, bed.smtp);
    const after = bed.smtp.mark();
    const response = await requestChange(c, taken.account.email);
    expect(response.errors).toBeUndefined();
    expect(response.data?.requestEmailChange).toBe(true);
    const mail = await mailTo(bed.smtp, taken.account.email, TAKEN_SUBJECT, after);
    expect(mail.text).toMatch(/already has an account/);
    expect(mail.text).not.toMatch(/^\d{8}$/m);
    await mailTo(bed.smtp, account.email, CHANGE_REQUESTED_SUBJECT, after);
    await outboxSettled(bed.server);
    expect(bed.smtp.to(taken.account.email, after).map((m) => m.subject)).toEqual([mail.subject]);
    expect((await c.request(ME_EMAIL)).data?.me?.email).toBe(account.email);
  });
});

describe('confirmEmailChange', () => {
  it('switches and verifies the address, ends every other session, rotates this one, and mails the old address an undo link', async () => {
    const c = client();
    const pending = await pendingChange(c);
    const { account, user, newEmail, code } = pending;
    const other = client();
    await signIn(other, { email: account.email, password: account.password });
    const cookie = c.sessionValue;

    const response = await confirmChange(c, code);
    expect(response.errors).toBeUndefined();
    expect(response.data?.confirmEmailChange).toMatchObject({
      email: newEmail,
      emailVerified: true,
    });
    expect(c.sessionValue).not.toBe(cookie);
    expect((await c.request(SESSIONS)).data?.sessions).toHaveLength(1);
    expect((await other.request(ME_EMAIL)).data?.me).toBeNull();

    const mail = await mailTo(bed.smtp, account.email, CHANGED_SUBJECT, pending.after);
    const token = fragmentParams(linkIn(mail, 'revert-email')).get('token');
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(mail.text).toMatch(/within 7 days/);
    const kinds = (await prisma().securityEvent.findMany({ where: { userId: user.id } })).map(
      (e) => e.kind,
    );
    expect(kinds).toContain('EMAIL_CHANGED');
    // The new address signs in; the old one no longer does.
    expect((await signIn(client(), { email: newEmail, password: account.password })).errors).toBe(
      undefined,
    );
    expect(
      errorCode(await signIn(client(), { email: account.email, password: account.password })),
    ).toBe('INVALID_CREDENTIALS');
  });

  it('a wrong code answers INVALID_OTP and changes nothing; five wrong tries burn the code', async () => {
    const c = client();
    const { account, code } = await pendingChange(c);
    for (let i = 0; i < 5; i++)
      expect(errorCode(await confirmChange(c, otherCode(code)))).toBe('INVALID_OTP');
    expect(errorCode(await confirmChange(c, code))).toBe('INVALID_OTP');
    expect((await c.request(ME_EMAIL)).data?.me?.email).toBe(account.email);
  });

  it('the code works for 15 minutes, not after', async () => {
    const c = client();
    const { code } = await pendingChange(c);
    clock.advance(15 * MINUTE);
    expect(errorCode(await confirmChange(c, code))).toBe('INVALID_OTP');
    const d = client();
    const second = await pendingChange(d);
    clock.advance(15 * MINUTE - SECOND);
    expect(errorCode(await confirmChange(d, second.code))).toBeUndefined();
  });

  it('signed out answers UNAUTHENTICATED', async () => {
    expect(errorCode(await confirmChange(client(), '12345678'))).toBe('UNAUTHENTICATED');
    expect(errorCode(await requestChange(client(), freshEmail()))).toBe('UNAUTHENTICATED');
  });

  it('two accounts racing for one address: exactly one wins, the other gets CONFLICT', async () => {
    const target = freshEmail();
    const a = client();
    const b = client();
    const first = await pendingChange(a, target);
    const second = await pendingChange(b, target);
    const results = await Promise.all([
      confirmChange(a, first.code),
      confirmChange(b, second.code),
    ]);
    const codes = results.map((r) => errorCode(r) ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    expect(await prisma().user.count({ where: { emailKey: target } })).toBe(1);
  });

  it('two confirmations with one code: exactly one wins', async () => {
    const c = client();
    const { code, newEmail } = await pendingChange(c);
    const twin = c.clone();
    const results = await Promise.all([confirmChange(c, code), confirmChange(twin, code)]);
    const codes = results.map((r) => errorCode(r) ?? 'OK').sort();
    expect(codes[1]).toBe('OK');
    expect(codes[0]).not.toBe('OK');
    expect(await prisma().user.count({ where: { emailKey: newEmail } })).toBe(1);
  });
});

describe('codes die with their address', () => {
  it('a verification code for the old address fails once the address changed', async () => {
    const c = client();
    const { account, user, code: verifyCode } = await signUpWithCode(c, bed.smtp);
    const after = bed.smtp.mark();
    const newEmail = freshEmail();
    await requestChange(c, newEmail);
    const code = emailCodeIn(await mailTo(bed.smtp, newEmail, CHANGE_CODE_SUBJECT, after));
    // An unverified old address gets no notice: it may be a stranger's.
    expect((await confirmChange(c, code)).data?.confirmEmailChange.emailVerified).toBe(true);
    expect(verifyCode).toMatch(/^\d{8}$/);
    expect(await prisma().emailCode.count({ where: { userId: user.id } })).toBe(0);
    await outboxSettled(bed.server);
    expect(bed.smtp.to(account.email, after)).toHaveLength(0);
    expect(await prisma().emailCode.count({ where: { emailKey: account.email } })).toBe(0);
  });

  it('a confirmed change cancels a pending reset code', async () => {
    const c = client();
    const pending = await pendingChange(c);
    const resetCode = await requestCode(client(), bed.smtp, pending.account.email);
    expect(errorCode(await confirmChange(c, pending.code))).toBeUndefined();
    const reset = await resetPassword(client(), {
      email: pending.newEmail,
      otp: resetCode,
      newPassword: 'hijacked-password-1',
    });
    expect(errorCode(reset)).toBe('INVALID_OTP');
  });

  it('a reset cancels a pending change', async () => {
    const c = client();
    const pending = await pendingChange(c);
    const resetCode = await requestCode(client(), bed.smtp, pending.account.email);
    const reset = await resetPassword(c, {
      email: pending.account.email,
      otp: resetCode,
      newPassword: 'a-fresh-password-1',
    });
    expect(reset.errors).toBeUndefined();
    expect(errorCode(await confirmChange(c, pending.code))).toBe('INVALID_OTP');
    expect((await c.request(ME_EMAIL)).data?.me?.email).toBe(pending.account.email);
  });
});

describe('revertEmailChange', () => {
  it('restores the old address without a session, ends every session, and works once', async () => {
    const c = client();
    const changed = await confirmedChange(c);
    const after = bed.smtp.mark();
    const stranger = client();
    const response = await revert(stranger, changed.token);
    expect(response.errors).toBeUndefined();
    expect(response.data?.revertEmailChange).toBe(true);
    expect((await c.request(ME_EMAIL)).data?.me).toBeNull();
    expect(await prisma().session.count({ where: { userId: changed.user.id } })).toBe(0);
    const user = await prisma().user.findUniqueOrThrow({ where: { id: changed.user.id } });
    expect(user.email).toBe(changed.account.email);
    expect(user.emailVerifiedAt).not.toBeNull();
    await mailTo(bed.smtp, changed.account.email, RESTORED_SUBJECT, after);
    expect(errorCode(await revert(stranger, changed.token))).toBe('INVALID_OTP');
    // The abandoned address is free again.
    expect(await prisma().user.count({ where: { emailKey: changed.newEmail } })).toBe(0);
  });

  it("a hijacker's second change and its own undo link cannot void the owner's link", async () => {
    const c = client();
    const first = await confirmedChange(c);
    // The hijacker moves the account on once more; the undo link of that change reaches their inbox.
    clock.advance(MINUTE);
    const third = freshEmail();
    const after = bed.smtp.mark();
    expect((await requestChange(c, third)).data?.requestEmailChange).toBe(true);
    const code = emailCodeIn(await mailTo(bed.smtp, third, CHANGE_CODE_SUBJECT, after));
    expect((await confirmChange(c, code)).errors).toBeUndefined();
    const theirs = await mailTo(bed.smtp, first.newEmail, CHANGED_SUBJECT, after);
    const theirToken = fragmentParams(linkIn(theirs, 'revert-email')).get('token') ?? '';
    expect((await revert(client(), theirToken)).data?.revertEmailChange).toBe(true);
    // The owner's link, from before, still restores the owner's address.
    expect((await revert(client(), first.token)).data?.revertEmailChange).toBe(true);
    const user = await prisma().user.findUniqueOrThrow({ where: { id: first.user.id } });
    expect(user.email).toBe(first.account.email);
  });

  it('the old address stays held while its undo link lives: sign-up and other changes cannot take it', async () => {
    const c = client();
    const changed = await confirmedChange(c);
    const taker = client();
    const signUpTaken = await taker.request(
      `mutation ($input: SignUpInput!) { signUp(input: $input) { user { id } } }`,
      { input: { ...newAccount(), email: changed.account.email } },
    );
    expect(signUpTaken.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
    // Another account asking for it is told, like for any taken address, and gets no code.
    const other = client();
    await signUpVerified(other, bed.smtp);
    const after = bed.smtp.mark();
    expect((await requestChange(other, changed.account.email)).data?.requestEmailChange).toBe(true);
    await mailTo(bed.smtp, changed.account.email, TAKEN_SUBJECT, after);
    expect((await revert(client(), changed.token)).data?.revertEmailChange).toBe(true);
    const user = await prisma().user.findUniqueOrThrow({ where: { id: changed.user.id } });
    expect(user.email).toBe(changed.account.email);
  });

  it('a revert from the browser signed in to the account clears its cookie', async () => {
    const c = client();
    const changed = await confirmedChange(c);
    const response = await revert(c, changed.token);
    expect(response.data?.revertEmailChange).toBe(true);
    expect(c.sessionValue).toBeUndefined();
  });

  it('a wrong, malformed or expired token answers INVALID_OTP and changes nothing', async () => {
    const c = client();
    const changed = await confirmedChange(c);
    expect(errorCode(await revert(client(), 'A'.repeat(22)))).toBe('INVALID_OTP');
    expect(errorCode(await revert(client(), 'not a token'))).toBe('INVALID_OTP');
    clock.advance(7 * DAY);
    expect(errorCode(await revert(client(), changed.token))).toBe('INVALID_OTP');
    const user = await prisma().user.findUniqueOrThrow({ where: { id: changed.user.id } });
    expect(user.email).toBe(changed.newEmail);
  });
});

describe('limits', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startServer({ env: emailEnv(bed.smtp) });
  });
  afterAll(() => limited?.close());

  it('change mails: 3 an hour per account, then RATE_LIMITED', async () => {
    const c = new TestClient(limited);
    const signedUp = await signUpWithCode(c, bed.smtp);
    // The sign-up mail was the first of the account's three.
    expect((await requestChange(c, freshEmail())).errors).toBeUndefined();
    expect((await requestChange(c, freshEmail())).errors).toBeUndefined();
    const refused = await requestChange(c, freshEmail());
    expect(errorCode(refused)).toBe('RATE_LIMITED');
    expect(refused.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    expect(signedUp.code).toMatch(/^\d{8}$/);
  });

  it('change mails: 3 an hour per address, from any accounts', async () => {
    const target = freshEmail();
    for (let i = 0; i < 3; i++) {
      const c = new TestClient(limited);
      await signUpWithCode(c, bed.smtp);
      expect((await requestChange(c, target)).errors).toBeUndefined();
    }
    const c = new TestClient(limited);
    await signUpWithCode(c, bed.smtp);
    expect(errorCode(await requestChange(c, target))).toBe('RATE_LIMITED');
  });
});
