import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, TestClient } from '../support/client.js';
import { signIn, signUp } from '../support/flows.js';
import {
  forgetPassword,
  mailEnv,
  otherCode,
  outboxSettled,
  RESET_SUBJECT,
  resetPassword,
} from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { codeIn, type ReceivedMail, TestSmtp } from '../support/smtp.js';

/**
 * API.md, "Changes to part one" and "Abuse limits": the reset mail carries a link to PUBLIC_URL with a
 * single-use 128-bit token that resetPassword takes in `otp`, outside the wrong-code budget; and that
 * budget is per account across every code it is sent (20 per 24 hours, the default used here).
 */

const PUBLIC_URL = 'https://accounts.example.test';

let smtp: TestSmtp;
let server: TestServer;
beforeAll(async () => {
  smtp = await TestSmtp.start();
  server = await startServer({ env: { ...mailEnv(smtp), PUBLIC_URL } });
});
afterAll(async () => {
  await server?.close();
  await smtp?.stop();
});

const client = () => new TestClient(server);

interface ResetMail {
  code: string;
  link: URL;
  /** From the link's fragment. */
  email: string;
  token: string;
}

/** Asks for a reset through the API and reads the code and the link from the mail that arrives. */
async function requestResetMail(email: string): Promise<ResetMail> {
  const after = smtp.mark();
  const response = await forgetPassword(client(), email);
  expect(response.data?.forgetPassword).toBe(true);
  const mail = await smtp.waitFor(
    (m) => m.to.includes(email.toLowerCase()) && RESET_SUBJECT.test(m.subject),
    {
      after,
    },
  );
  const link = linkIn(mail);
  const params = new URLSearchParams(link.hash.replace(/^#reset\?/, ''));
  return {
    code: codeIn(mail),
    link,
    email: params.get('email') ?? '',
    token: params.get('token') ?? '',
  };
}

/** The reset link of a mail: the line of its text that is a URL. */
function linkIn(mail: ReceivedMail): URL {
  const match = /^(https?:\/\/\S+)$/m.exec(mail.text);
  if (!match?.[1]) throw new Error(`no link in mail "${mail.subject}"`);
  return new URL(match[1]);
}

const resetMailsQueued = async (email: string) =>
  (
    await server.booted.db.prisma.mailOutbox.findMany({
      where: { to: email },
      select: { subject: true },
    })
  ).filter((row) => RESET_SUBJECT.test(row.subject)).length;

describe('the reset link', () => {
  it("opens PUBLIC_URL's account page with the address and a 128-bit token in the fragment, stored only as a keyed hash", async () => {
    const { account, user } = await signUp(client());
    const mail = await requestResetMail(account.email);
    expect(`${mail.link.origin}${mail.link.pathname}${mail.link.search}`).toBe(`${PUBLIC_URL}/`);
    expect(mail.link.hash).toMatch(/^#reset\?/);
    expect(mail.email).toBe(account.email);
    expect(Buffer.from(mail.token, 'base64url')).toHaveLength(16);
    const html = smtp.to(account.email).at(-1)?.html ?? '';
    expect(html).toContain(`href="${mail.link.href.replaceAll('&', '&amp;')}"`);

    const row = await server.booted.db.prisma.passwordResetCode.findUniqueOrThrow({
      where: { userId: user.id },
    });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.tokenHash).not.toBe(createHash('sha256').update(mail.token).digest('hex'));
  });

  it("resets the password once: the same link again, or the mail's code after it, is INVALID_OTP", async () => {
    const { account } = await signUp(client());
    const mail = await requestResetMail(account.email);
    const forged = `${mail.token.slice(0, -2)}${mail.token.endsWith('AA') ? 'AB' : 'AA'}`;
    const wrong = await resetPassword(client(), {
      email: mail.email,
      otp: forged,
      newPassword: 'a-linked-passphrase',
    });
    expect(errorCode(wrong)).toBe('INVALID_OTP');

    const first = await resetPassword(client(), {
      email: mail.email,
      otp: mail.token,
      newPassword: 'a-linked-passphrase',
    });
    expect(first.errors).toBeUndefined();
    expect(first.data?.resetPassword.user.email).toBe(account.email);
    const again = await resetPassword(client(), {
      email: mail.email,
      otp: mail.token,
      newPassword: 'a-second-passphrase',
    });
    expect(errorCode(again)).toBe('INVALID_OTP');
    const code = await resetPassword(client(), {
      email: mail.email,
      otp: mail.code,
      newPassword: 'a-second-passphrase',
    });
    expect(errorCode(code)).toBe('INVALID_OTP');
    expect(
      (await signIn(client(), { email: account.email, password: 'a-linked-passphrase' })).errors,
    ).toBeUndefined();
  });

  it("still resets after the code's 5 wrong tries have burnt the code", async () => {
    const { account } = await signUp(client());
    const mail = await requestResetMail(account.email);
    for (let i = 1; i <= 5; i++) {
      const wrong = await resetPassword(client(), {
        email: account.email,
        otp: otherCode(mail.code, i),
        newPassword: 'a-linked-passphrase',
      });
      expect(errorCode(wrong)).toBe('INVALID_OTP');
    }
    const burnt = await resetPassword(client(), {
      email: account.email,
      otp: mail.code,
      newPassword: 'a-passphrase',
    });
    expect(errorCode(burnt)).toBe('INVALID_OTP');

    const linked = await resetPassword(client(), {
      email: account.email,
      otp: mail.token,
      newPassword: 'a-linked-passphrase',
    });
    expect(linked.errors).toBeUndefined();
    expect(linked.data?.resetPassword.user.email).toBe(account.email);
  });
});

describe('wrong reset codes per account', () => {
  it('20 wrong codes across 5 codes spend the account: any code is then INVALID_OTP and no new code is mailed, while the last link still resets', async () => {
    const { account, user } = await signUp(client());
    let last: ResetMail | undefined;
    for (let round = 0; round < 5; round++) {
      last = await requestResetMail(account.email);
      // Four each: no code is burnt by its own five checks, so only the account's budget can refuse.
      for (let i = 1; i <= 4; i++) {
        const wrong = await resetPassword(client(), {
          email: account.email,
          otp: otherCode(last.code, i),
          newPassword: 'a-guessed-passphrase',
        });
        expect(errorCode(wrong)).toBe('INVALID_OTP');
      }
    }
    const mail = last as ResetMail;

    const right = await resetPassword(client(), {
      email: account.email,
      otp: mail.code,
      newPassword: 'a-passphrase',
    });
    expect(errorCode(right)).toBe('INVALID_OTP');
    const wrong21 = await resetPassword(client(), {
      email: account.email,
      otp: otherCode(mail.code, 5),
      newPassword: 'a-passphrase',
    });
    expect(errorCode(wrong21)).toBe('INVALID_OTP');
    // Refused without checking: the code still has the one check its four wrong tries left it.
    const row = await server.booted.db.prisma.passwordResetCode.findUniqueOrThrow({
      where: { userId: user.id },
    });
    expect(row.attempts).toBe(4);

    const queuedBefore = await resetMailsQueued(account.email);
    const after = smtp.mark();
    const again = await forgetPassword(client(), account.email);
    expect(again.errors).toBeUndefined();
    expect(again.data?.forgetPassword).toBe(true);
    await outboxSettled(server);
    expect(await resetMailsQueued(account.email)).toBe(queuedBefore);
    expect(smtp.to(account.email, after)).toEqual([]);

    const linked = await resetPassword(client(), {
      email: account.email,
      otp: mail.token,
      newPassword: 'a-passphrase',
    });
    expect(linked.errors).toBeUndefined();
    expect(
      (await signIn(client(), { email: account.email, password: 'a-passphrase' })).errors,
    ).toBeUndefined();
  });
});
