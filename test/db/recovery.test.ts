import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailServerBed } from '../support/beds.js';
import { errorCode, TestClient } from '../support/client.js';
import { MINUTE, TestClock } from '../support/clock.js';
import { signIn, signUp } from '../support/flows.js';
import { ME_ID } from '../support/operations.js';
import {
  forgetPassword,
  mailEnv,
  otherCode,
  outboxSettled,
  RESET_SUBJECT,
  requestCode,
  resetPassword,
} from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { codeIn } from '../support/smtp.js';

const bed = mailServerBed();

const sessionRows = () => bed.server.booted.db.prisma.session.count();
const client = () => new TestClient(bed.server);

describe('forgetPassword', () => {
  it('answers true for an unknown address and sends nothing', async () => {
    const c = client();
    const unknown = `nobody_${Date.now()}@example.test`;
    const before = await sessionRows();
    const response = await forgetPassword(c, unknown);
    expect(response.errors).toBeUndefined();
    expect(response.data?.forgetPassword).toBe(true);
    // A known address asked for afterwards is delivered, so anything for the unknown one would be too.
    const { account } = await signUp(client());
    await requestCode(c, bed.smtp, account.email);
    await outboxSettled(bed.server);
    expect(bed.smtp.to(unknown)).toHaveLength(0);
    expect(await bed.server.booted.db.prisma.mailOutbox.count({ where: { to: unknown } })).toBe(0);
    expect(await sessionRows()).toBe(before + 1); // the sign-up's, nothing from forgetPassword
  });

  it('sends as many statements for an unknown address as for a known one', async () => {
    const { account } = await signUp(client());
    const statementsOf = async (email: string) => {
      await outboxSettled(bed.server);
      bed.server.resetQueryLog();
      expect((await forgetPassword(client(), email)).data?.forgetPassword).toBe(true);
      // The request's own statements; the worker's (its own SQL names the table unquoted), woken at a
      // random moment later, are not the request's.
      return bed.server.queries.filter((sql) => !/(^|[^".])mail_outbox\b/.test(sql)).length;
    };
    const known = await statementsOf(account.email);
    const unknown = await statementsOf(`nobody_${Date.now()}@example.test`);
    expect(unknown).toBe(known);
  });

  it('mails a known address a 6-digit code, stored only as a keyed hash', async () => {
    const { account, user } = await signUp(client());
    const after = bed.smtp.mark();
    const response = await forgetPassword(client(), account.email.toUpperCase());
    expect(response.data?.forgetPassword).toBe(true);
    const mail = await bed.smtp.waitFor(
      (m) => m.to.includes(account.email) && RESET_SUBJECT.test(m.subject),
      { after },
    );
    const code = codeIn(mail);
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.text).toMatch(/expires in 15 minutes/);
    expect(mail.html).toContain(`>${code}</p>`);
    expect(mail.html).toMatch(/15 minutes/);

    const row = await bed.server.booted.db.prisma.passwordResetCode.findUniqueOrThrow({
      where: { userId: user.id },
    });
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.codeHash).not.toContain(code);
    expect(row.codeHash).not.toBe(createHash('sha256').update(code).digest('hex'));
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(15 * 60_000);
  });

  it('creates no session, and answers BAD_USER_INPUT for a malformed address', async () => {
    const before = await sessionRows();
    const response = await forgetPassword(client(), 'not an address');
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.field).toBe('email');
    const c = client();
    const { account } = await signUp(c);
    await requestCode(c, bed.smtp, account.email);
    expect(await sessionRows()).toBe(before + 1);
    expect(c.sessionValue).toBeDefined(); // forgetPassword left the caller's own session alone
  });
});

describe('resetPassword', () => {
  it('refuses a wrong code with INVALID_OTP and still accepts the right one afterwards', async () => {
    const { account } = await signUp(client());
    const code = await requestCode(client(), bed.smtp, account.email);
    const before = await sessionRows();
    const wrong = await resetPassword(client(), {
      email: account.email,
      otp: otherCode(code),
      newPassword: 'new-password-1',
    });
    expect(errorCode(wrong)).toBe('INVALID_OTP');
    expect(wrong.data).toBeNull();
    expect(wrong.setCookies).toHaveLength(0);
    expect(await sessionRows()).toBe(before);

    const right = await resetPassword(client(), {
      email: account.email,
      otp: code,
      newPassword: 'new-password-1',
    });
    expect(right.errors).toBeUndefined();
    expect(right.data?.resetPassword.user.email).toBe(account.email);
  });

  it('gives the same INVALID_OTP for an unknown address, a malformed code and an address without a code', async () => {
    const { account } = await signUp(client());
    const before = await sessionRows();
    const cases = [
      { email: 'nobody-here@example.test', otp: '123456' },
      { email: account.email, otp: '12345' },
      { email: account.email, otp: 'abcdef' },
      { email: account.email, otp: '123456' },
    ];
    for (const input of cases) {
      const response = await resetPassword(client(), {
        ...input,
        newPassword: 'whatever-password',
      });
      expect(errorCode(response)).toBe('INVALID_OTP');
      expect(response.errors?.[0]?.message).toBe('The code is wrong, expired or already used.');
    }
    expect(await sessionRows()).toBe(before);
  });

  it('sends as many statements for an unknown address as for a known one with no code, for a code and a link', async () => {
    const { account } = await signUp(client());
    const statementsOf = async (email: string, otp: string) => {
      await outboxSettled(bed.server);
      bed.server.resetQueryLog();
      const response = await resetPassword(client(), {
        email,
        otp,
        newPassword: 'whatever-password',
      });
      expect(errorCode(response)).toBe('INVALID_OTP');
      return bed.server.queries.filter((sql) => !/(^|[^".])mail_outbox\b/.test(sql)).length;
    };
    for (const otp of ['123456', 'A'.repeat(22)]) {
      const known = await statementsOf(account.email, otp);
      const unknown = await statementsOf(`nobody_${Date.now()}@example.test`, otp);
      expect(unknown, otp).toBe(known);
    }
  });

  it('checks the new password before spending a check of the code', async () => {
    const { account } = await signUp(client());
    const code = await requestCode(client(), bed.smtp, account.email);
    const short = await resetPassword(client(), {
      email: account.email,
      otp: code,
      newPassword: 'short',
    });
    expect(errorCode(short)).toBe('BAD_USER_INPUT');
    expect(short.errors?.[0]?.extensions?.field).toBe('newPassword');
    const ok = await resetPassword(client(), {
      email: account.email,
      otp: code,
      newPassword: 'long-enough-now',
    });
    expect(ok.errors).toBeUndefined();
  });

  it('accepts a code once: the same code again is INVALID_OTP', async () => {
    const { account } = await signUp(client());
    const code = await requestCode(client(), bed.smtp, account.email);
    const first = await resetPassword(client(), {
      email: account.email,
      otp: code,
      newPassword: 'first-new-password',
    });
    expect(first.errors).toBeUndefined();
    const again = await resetPassword(client(), {
      email: account.email,
      otp: code,
      newPassword: 'second-new-password',
    });
    expect(errorCode(again)).toBe('INVALID_OTP');
    const signedIn = await signIn(client(), {
      email: account.email,
      password: 'first-new-password',
    });
    expect(signedIn.errors).toBeUndefined();
  });

  it('burns the code after 5 wrong tries: the right code is then INVALID_OTP too', async () => {
    const { account } = await signUp(client());
    const code = await requestCode(client(), bed.smtp, account.email);
    for (let i = 1; i <= 5; i++) {
      const wrong = await resetPassword(client(), {
        email: account.email,
        otp: otherCode(code, i),
        newPassword: 'new-password-1',
      });
      expect(errorCode(wrong)).toBe('INVALID_OTP');
    }
    const right = await resetPassword(client(), {
      email: account.email,
      otp: code,
      newPassword: 'new-password-1',
    });
    expect(errorCode(right)).toBe('INVALID_OTP');
    const old = await signIn(client(), { email: account.email, password: account.password });
    expect(old.errors).toBeUndefined();
  });

  it('counts parallel wrong guesses atomically: twenty at once burn the code after five checks', async () => {
    const { account, user } = await signUp(client());
    const code = await requestCode(client(), bed.smtp, account.email);
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        resetPassword(client(), {
          email: account.email,
          otp: otherCode(code, i + 1),
          newPassword: 'new-password-1',
        }),
      ),
    );
    for (const r of guesses) expect(errorCode(r)).toBe('INVALID_OTP');
    const row = await bed.server.booted.db.prisma.passwordResetCode.findUniqueOrThrow({
      where: { userId: user.id },
    });
    expect(row.attempts).toBe(5);
    const right = await resetPassword(client(), {
      email: account.email,
      otp: code,
      newPassword: 'new-password-1',
    });
    expect(errorCode(right)).toBe('INVALID_OTP');
  });

  it('lets the fifth check succeed after four wrong tries', async () => {
    const { account } = await signUp(client());
    const code = await requestCode(client(), bed.smtp, account.email);
    for (let i = 1; i <= 4; i++) {
      expect(
        errorCode(
          await resetPassword(client(), {
            email: account.email,
            otp: otherCode(code, i),
            newPassword: 'new-password-1',
          }),
        ),
      ).toBe('INVALID_OTP');
    }
    const right = await resetPassword(client(), {
      email: account.email,
      otp: code,
      newPassword: 'new-password-1',
    });
    expect(right.errors).toBeUndefined();
  });

  it('kills the old code when a new one is requested', async () => {
    const { account } = await signUp(client());
    const oldCode = await requestCode(client(), bed.smtp, account.email);
    let newCode = await requestCode(client(), bed.smtp, account.email);
    // One chance in a million that the CSPRNG repeats itself; ask again rather than test nothing.
    while (newCode === oldCode) newCode = await requestCode(client(), bed.smtp, account.email);
    const withOld = await resetPassword(client(), {
      email: account.email,
      otp: oldCode,
      newPassword: 'new-password-1',
    });
    expect(errorCode(withOld)).toBe('INVALID_OTP');
    const withNew = await resetPassword(client(), {
      email: account.email,
      otp: newCode,
      newPassword: 'new-password-1',
    });
    expect(withNew.errors).toBeUndefined();
  });

  it('a new request gives a burnt code back its five checks', async () => {
    const { account } = await signUp(client());
    const burnt = await requestCode(client(), bed.smtp, account.email);
    for (let i = 1; i <= 5; i++)
      await resetPassword(client(), {
        email: account.email,
        otp: otherCode(burnt, i),
        newPassword: 'new-password-1',
      });
    const fresh = await requestCode(client(), bed.smtp, account.email);
    const response = await resetPassword(client(), {
      email: account.email,
      otp: fresh,
      newPassword: 'new-password-1',
    });
    expect(response.errors).toBeUndefined();
  });

  it('lets exactly one of ten parallel resets with one code succeed', async () => {
    const { account, user } = await signUp(client());
    const code = await requestCode(client(), bed.smtp, account.email);
    const before = await sessionRows();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        resetPassword(client(), {
          email: account.email,
          otp: code,
          newPassword: `parallel-password-${i}`,
        }),
      ),
    );
    const winners = results.flatMap((r, i) => (r.data?.resetPassword ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(results.filter((_, i) => i !== winners[0]).map((r) => errorCode(r))).toEqual(
      Array.from({ length: 9 }, () => 'INVALID_OTP'),
    );
    // The sign-up's session ended, the winner's began: one session in all for this user.
    expect(await sessionRows()).toBe(before);
    expect(await bed.server.booted.db.prisma.session.count({ where: { userId: user.id } })).toBe(1);
    const signedIn = await signIn(client(), {
      email: account.email,
      password: `parallel-password-${winners[0]}`,
    });
    expect(signedIn.errors).toBeUndefined();
  });

  it('ends every old session and signs in afresh with a working cookie', async () => {
    const browser = client();
    const { account, user } = await signUp(browser, { keepSignedIn: true });
    const laptop = client();
    expect(
      (await signIn(laptop, { email: account.email, password: account.password })).errors,
    ).toBeUndefined();
    const phone = client();
    expect(
      (await signIn(phone, { name: account.name, password: account.password })).errors,
    ).toBeUndefined();
    for (const c of [browser, laptop, phone])
      expect((await c.request(ME_ID)).data?.me?.id).toBe(user.id);

    const code = await requestCode(client(), bed.smtp, account.email);
    const resetter = client();
    const response = await resetPassword(resetter, {
      email: account.email,
      otp: code,
      newPassword: 'brand-new-password',
      keepSignedIn: true,
    });
    expect(response.errors).toBeUndefined();
    expect(response.data?.resetPassword.session.current).toBe(true);
    expect(response.data?.resetPassword.session.keepSignedIn).toBe(true);
    expect(response.data?.resetPassword.user.activeSessionCount).toBe(1);
    const cookie = response.setCookies.find((c) => c.name === 'sessionId');
    expect(cookie?.value).toBeTruthy();
    expect(cookie?.maxAge).toBe(30 * 86_400);

    for (const c of [browser, laptop, phone]) {
      const me = await c.request(ME_ID);
      expect(me.data?.me).toBeNull();
    }
    const me = await resetter.request(ME_ID);
    expect(me.data?.me?.id).toBe(user.id);
    expect(await bed.server.booted.db.prisma.session.count({ where: { userId: user.id } })).toBe(1);

    expect(
      errorCode(await signIn(client(), { email: account.email, password: account.password })),
    ).toBe('INVALID_CREDENTIALS');
    expect(
      (await signIn(client(), { email: account.email, password: 'brand-new-password' })).errors,
    ).toBeUndefined();
  });

  it('replaces the session of another account the resetting browser held', async () => {
    const shared = client();
    const other = await signUp(shared);
    const { account, user } = await signUp(client());
    const code = await requestCode(client(), bed.smtp, account.email);
    const response = await resetPassword(shared, {
      email: account.email,
      otp: code,
      newPassword: 'brand-new-password',
    });
    expect(response.data?.resetPassword.user.id).toBe(user.id);
    expect(
      await bed.server.booted.db.prisma.session.count({ where: { userId: other.user.id } }),
    ).toBe(0);
  });
});

describe('an expired code', () => {
  const clock = new TestClock();
  let timed: TestServer;
  beforeAll(async () => {
    timed = await startServer({ now: clock.now, env: mailEnv(bed.smtp) });
  });
  afterAll(() => timed?.close());

  it('is INVALID_OTP once OTP_TTL (15 minutes by default) has passed, and the mail states the lifetime', async () => {
    const c = new TestClient(timed);
    const { account } = await signUp(c);
    const after = bed.smtp.mark();
    await forgetPassword(c, account.email);
    const mail = await bed.smtp.waitFor(
      (m) => m.to.includes(account.email) && RESET_SUBJECT.test(m.subject),
      { after },
    );
    expect(mail.text).toMatch(/expires in 15 minutes/);
    clock.advance(15 * MINUTE);
    const response = await resetPassword(c, {
      email: account.email,
      otp: codeIn(mail),
      newPassword: 'new-password-1',
    });
    expect(errorCode(response)).toBe('INVALID_OTP');
  });
});
