import { describe, expect, it } from 'vitest';
import { mailServerBed } from '../support/beds.js';
import { errorCode, TestClient } from '../support/client.js';
import { signUp, UNLIMITED } from '../support/flows.js';
import {
  forgetPassword,
  otherCode,
  outboxSettled,
  RESET_SUBJECT,
  requestCode,
  resetPassword,
} from '../support/recovery.js';

/**
 * API.md, Abuse limits for recovery: forgetPassword mails at most N codes per address per window (and
 * still answers true); wrong reset codes count against the client IP. Here N = 3 and 3 wrong codes.
 * TRUST_PROXY lets each test act from an address of its own.
 */

const bed = mailServerBed({
  ...UNLIMITED,
  RATE_LIMIT_FORGOT_PASSWORD: '3',
  RATE_LIMIT_RESET_IP: '3',
  TRUST_PROXY: 'true',
});

const client = () => new TestClient(bed.server);
const resetMails = (address: string) =>
  bed.smtp.to(address).filter((mail) => RESET_SUBJECT.test(mail.subject));

describe('forgetPassword per address', () => {
  it('mails 3 codes per hour to one address, then answers true and sends nothing', async () => {
    const { account } = await signUp(client());
    const variants = [
      account.email,
      account.email.toUpperCase(),
      ` ${account.email} `,
      account.email,
      account.email,
    ];
    for (const email of variants) {
      const response = await forgetPassword(client(), email);
      expect(response.errors).toBeUndefined();
      expect(response.data?.forgetPassword).toBe(true);
    }
    await outboxSettled(bed.server);
    await bed.smtp.waitForCount(
      3,
      (mail) => mail.to.includes(account.email.toLowerCase()) && RESET_SUBJECT.test(mail.subject),
    );
    expect(resetMails(account.email)).toHaveLength(3);
    // What was enqueued at all, not only what has arrived so far.
    const queued = await bed.server.booted.db.prisma.mailOutbox.findMany({
      where: { to: account.email },
      select: { subject: true },
    });
    expect(queued.filter((row) => RESET_SUBJECT.test(row.subject))).toHaveLength(3);

    // Another address is not affected.
    const other = await signUp(client());
    await requestCode(client(), bed.smtp, other.account.email);
  });

  it('answers unknown addresses past the limit exactly as known ones', async () => {
    const responses = [];
    for (let i = 0; i < 5; i++)
      responses.push(await forgetPassword(client(), 'nobody-here@example.test'));
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ forgetPassword: true });
    }
  });
});

describe('resetPassword wrong codes per client IP', () => {
  it('refuses the 4th check from one IP, even with the right code, and not from another IP', async () => {
    const { account } = await signUp(client());
    const code = await requestCode(client(), bed.smtp, account.email);
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
    const input = (otp: string) => ({
      email: account.email,
      otp,
      newPassword: 'a-fresh-passphrase-1',
    });

    for (let i = 1; i <= 3; i++) {
      expect(
        errorCode(await resetPassword(client(), input(otherCode(code, i)), from('198.51.100.10'))),
      ).toBe('INVALID_OTP');
    }
    const limited = await resetPassword(client(), input(code), from('198.51.100.10'));
    expect(errorCode(limited)).toBe('RATE_LIMITED');
    expect(limited.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);

    // The refused request spent none of the code's five checks: from elsewhere the code still works.
    const elsewhere = await resetPassword(client(), input(code), from('198.51.100.11'));
    expect(elsewhere.errors).toBeUndefined();
    expect(elsewhere.data?.resetPassword.user.id).toBeTruthy();
  });

  it('lets exactly 3 of 12 parallel wrong codes from one IP be checked', async () => {
    const victims = (await Promise.all([signUp(client()), signUp(client()), signUp(client())])).map(
      (v) => v.account.email,
    );
    const ip = { headers: { 'x-forwarded-for': '198.51.100.20' } };
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        resetPassword(
          client(),
          {
            email: victims[i % 3] ?? '',
            otp: String(100_000 + i),
            newPassword: 'a-fresh-passphrase-2',
          },
          ip,
        ),
      ),
    );
    const codes = responses.map((r) => errorCode(r));
    expect(codes.filter((c) => c === 'INVALID_OTP')).toHaveLength(3);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(9);
  });
});
