import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { VERIFY_SUBJECT, verifyByMail } from '../support/email.js';
import { type Account, newAccount, SIGN_UP } from '../support/flows.js';
import {
  CHANGE_PASSWORD,
  CHANGED_SUBJECT,
  mailEnv,
  NEW_SIGN_IN_SUBJECT,
  outboxSettled,
  requestCode,
  resetPassword,
} from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { type ReceivedMail, TestSmtp } from '../support/smtp.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await TestSmtp.start();
});
afterAll(() => smtp?.stop());

/** A browser at a given address: TRUST_PROXY is on, so X-Forwarded-For sets the client IP. */
function browser(server: TestServer, userAgent: string, ip: string) {
  const client = new TestClient(server, userAgent);
  const headers = { 'x-forwarded-for': ip };
  return {
    client,
    /** Signs up and verifies the address: notices go only to verified addresses. */
    signUp: async () => {
      const account = newAccount();
      const after = smtp.mark();
      const response = await client.request(SIGN_UP, { input: account }, { headers });
      if (!response.data?.signUp)
        throw new Error(`signUp failed: ${JSON.stringify(response.errors)}`);
      await verifyByMail(client, smtp, account.email, after, { headers });
      return { account, ...response.data.signUp };
    },
    signIn: (account: Account) =>
      client.request(
        'mutation($input: SignInInput!) { signIn(input: $input) { user { id } } }',
        { input: { email: account.email, password: account.password } },
        { headers },
      ),
    changePassword: (currentPassword: string, newPassword: string) =>
      client.request(CHANGE_PASSWORD, { input: { currentPassword, newPassword } }, { headers }),
  };
}

/** Everything sent to the address once the outbox has nothing left in flight. */
async function mailTo(server: TestServer, email: string, after: number): Promise<ReceivedMail[]> {
  await outboxSettled(server);
  return smtp.to(email, after);
}

describe('security notices (enabled, the default)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { ...mailEnv(smtp), TRUST_PROXY: 'true' } });
  });
  afterAll(() => server?.close());

  it('sends no notice for sign-up, nor for sign-in from the same browser and IP', async () => {
    const home = browser(server, FIREFOX, '198.51.100.7');
    const after = smtp.mark();
    const { account } = await home.signUp();
    expect((await home.signIn(account)).errors).toBeUndefined();
    expect((await browser(server, FIREFOX, '198.51.100.7').signIn(account)).errors).toBeUndefined();
    const mail = await mailTo(server, account.email, after);
    expect(mail.filter((m) => !VERIFY_SUBJECT.test(m.subject))).toEqual([]);
  });

  it('sends "new sign-in" once for a new user agent + IP pair, with when, browser, IP and advice', async () => {
    const home = browser(server, FIREFOX, '198.51.100.7');
    const { account } = await home.signUp();
    const after = smtp.mark();
    const before = new Date();

    const cafe = browser(server, CHROME_MAC, '203.0.113.42');
    expect((await cafe.signIn(account)).errors).toBeUndefined();
    expect((await cafe.signIn(account)).errors).toBeUndefined();
    expect(
      (await browser(server, CHROME_MAC, '203.0.113.42').signIn(account)).errors,
    ).toBeUndefined();

    const mails = await mailTo(server, account.email, after);
    expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(NEW_SIGN_IN_SUBJECT)]);
    const [mail] = mails as [ReceivedMail];
    expect(mail.text).toContain('Chrome 131 on macOS');
    expect(mail.text).toContain('IP address: 203.0.113.42');
    expect(mail.text).toContain(`${before.getUTCFullYear()}`);
    expect(mail.text).toMatch(/UTC/);
    expect(mail.text).toMatch(/reset your password/i);
    expect(mail.html).toContain('203.0.113.42');
    expect(mail.html).toContain('Chrome 131 on macOS');
  });

  it('counts the same browser from a new IP, and a new browser from a known IP, as new', async () => {
    const home = browser(server, FIREFOX, '198.51.100.7');
    const { account } = await home.signUp();
    const after = smtp.mark();
    expect((await browser(server, FIREFOX, '198.51.100.8').signIn(account)).errors).toBeUndefined();
    expect(
      (await browser(server, CHROME_MAC, '198.51.100.7').signIn(account)).errors,
    ).toBeUndefined();
    const mails = await mailTo(server, account.email, after);
    expect(mails).toHaveLength(2);
    expect(mails.every((m) => NEW_SIGN_IN_SUBJECT.test(m.subject))).toBe(true);
  });

  it('counts a browser update as the same device: only the browser and system, not their versions', async () => {
    const home = browser(server, CHROME_MAC, '198.51.100.7');
    const { account } = await home.signUp();
    const after = smtp.mark();
    const updated = CHROME_MAC.replace('Chrome/131.0.0.0', 'Chrome/132.0.6834.83');
    expect(updated).not.toBe(CHROME_MAC);
    expect((await browser(server, updated, '198.51.100.7').signIn(account)).errors).toBeUndefined();
    expect(await mailTo(server, account.email, after)).toEqual([]);
    // A user agent no browser table knows is compared as written.
    expect(
      (await browser(server, 'curl/8.5.0', '198.51.100.7').signIn(account)).errors,
    ).toBeUndefined();
    expect(
      (await browser(server, 'curl/8.6.0', '198.51.100.7').signIn(account)).errors,
    ).toBeUndefined();
    expect(await mailTo(server, account.email, after)).toHaveLength(2);
  });

  it('sends one notice for parallel sign-ins from one new pair', async () => {
    const { account } = await browser(server, FIREFOX, '198.51.100.7').signUp();
    const after = smtp.mark();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => browser(server, CHROME_MAC, '192.0.2.99').signIn(account)),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(await mailTo(server, account.email, after)).toHaveLength(1);
  });

  it('sends no notice for a failed sign-in from a new pair', async () => {
    const { account } = await browser(server, FIREFOX, '198.51.100.7').signUp();
    const after = smtp.mark();
    const wrong = await browser(server, CHROME_MAC, '192.0.2.1').signIn({
      ...account,
      password: 'wrong-password-here',
    });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    expect(await mailTo(server, account.email, after)).toEqual([]);
  });

  it('sends "password changed" once after changePassword, and nothing after a refused change', async () => {
    const home = browser(server, FIREFOX, '198.51.100.7');
    const { account } = await home.signUp();
    const after = smtp.mark();
    const refused = await home.changePassword('not-the-password', 'another-password-1');
    expect(refused.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    const changed = await home.changePassword(account.password, 'another-password-1');
    expect(changed.errors).toBeUndefined();
    const mails = await mailTo(server, account.email, after);
    expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(CHANGED_SUBJECT)]);
    expect(mails[0]?.text).toContain('Firefox 133 on Linux');
    expect(mails[0]?.text).toContain('198.51.100.7');
    expect(mails[0]?.text).toMatch(/Forgot password/);
  });

  it('sends "password changed" once after resetPassword, and no "new sign-in" for the reset', async () => {
    const { account } = await browser(server, FIREFOX, '198.51.100.7').signUp();
    const after = smtp.mark();
    const elsewhere = browser(server, CHROME_MAC, '203.0.113.9');
    const code = await requestCode(elsewhere.client, smtp, account.email);
    const response = await resetPassword(
      elsewhere.client,
      { email: account.email, otp: code, newPassword: 'reset-password-1' },
      { headers: { 'x-forwarded-for': '203.0.113.9' } },
    );
    expect(response.errors).toBeUndefined();
    const subjects = (await mailTo(server, account.email, after)).map((m) => m.subject);
    expect(subjects.filter((s) => CHANGED_SUBJECT.test(s))).toHaveLength(1);
    expect(subjects.filter((s) => NEW_SIGN_IN_SUBJECT.test(s))).toHaveLength(0);
    expect(subjects).toHaveLength(2); // the code, then the notice
    // The reset came from Chrome at 203.0.113.9, so that pair is now known: signing in from it is not new.
    const after2 = smtp.mark();
    expect(
      (
        await browser(server, CHROME_MAC, '203.0.113.9').signIn({
          ...account,
          password: 'reset-password-1',
        })
      ).errors,
    ).toBeUndefined();
    expect(await mailTo(server, account.email, after2)).toEqual([]);
  });

  it('escapes what the user agent says in the HTML part', async () => {
    const { account } = await browser(server, FIREFOX, '198.51.100.7').signUp();
    const after = smtp.mark();
    await browser(server, '<img src=x onerror=alert(1)>', '192.0.2.50').signIn(account);
    const [mail] = await mailTo(server, account.email, after);
    expect(mail?.html).not.toContain('<img src=x');
    expect(mail?.html).toContain('&lt;img src=x');
  });
});

describe('security notices turned off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      env: {
        ...mailEnv(smtp),
        TRUST_PROXY: 'true',
        MAIL_NOTIFY_PASSWORD_CHANGED: 'false',
        MAIL_NOTIFY_NEW_SIGN_IN: 'false',
      },
    });
  });
  afterAll(() => server?.close());

  it('sends neither notice, but still sends reset codes', async () => {
    const home = browser(server, FIREFOX, '198.51.100.7');
    const { account } = await home.signUp();
    const after = smtp.mark();
    expect(
      (await browser(server, CHROME_MAC, '203.0.113.42').signIn(account)).errors,
    ).toBeUndefined();
    expect(
      (await home.changePassword(account.password, 'another-password-1')).errors,
    ).toBeUndefined();
    const code = await requestCode(home.client, smtp, account.email);
    expect(
      (
        await resetPassword(home.client, {
          email: account.email,
          otp: code,
          newPassword: 'reset-password-2',
        })
      ).errors,
    ).toBeUndefined();
    const mails = await mailTo(server, account.email, after);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toMatch(/reset code/);
    // Nothing else was even enqueued (the sign-up's verification mail aside).
    expect(
      await server.booted.db.prisma.mailOutbox.count({
        where: { NOT: { subject: { startsWith: 'Verify your' } } },
      }),
    ).toBe(1);
  });
});
