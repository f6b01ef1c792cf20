import { describe, expect, it } from 'vitest';
import { mailServerBed } from '../support/beds.js';
import { TestClient } from '../support/client.js';
import { verifyByMail } from '../support/email.js';
import { newAccount, SIGN_IN, SIGN_UP } from '../support/flows.js';
import {
  CHANGE_PASSWORD,
  CHANGED_SUBJECT,
  NEW_SIGN_IN_SUBJECT,
  outboxSettled,
} from '../support/recovery.js';
import type { ReceivedMail } from '../support/smtp.js';

/**
 * API.md, "Abuse limits": security notices go out at most 5 per address per hour, and what the sender
 * chose (display name, user agent) cannot pass for our words or our links. Anyone can sign up with
 * someone else's address, so both the count and the text are the sender's to choose. Mail is read from
 * a real SMTP server.
 */

const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const BAIT =
  '<a href="https://evil.example/restore">Your account was suspended, go to https://evil.example/restore</a>';

const bed = mailServerBed({ TRUST_PROXY: 'true' });

let lastAddress = 0;
/** A browser (user agent) at an address of its own: new to every account. */
const newDevice = (
  userAgent = `Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/${++lastAddress}.0`,
) => ({
  client: new TestClient(bed.server, userAgent),
  headers: { 'x-forwarded-for': `203.0.113.${++lastAddress}` },
});

async function registered(displayName?: string) {
  const account = newAccount();
  const { client, headers } = newDevice();
  const after = bed.smtp.mark();
  const response = await client.request(
    SIGN_UP,
    { input: { ...account, displayName } },
    { headers },
  );
  expect(response.errors).toBeUndefined();
  // Notices go only to verified addresses.
  await verifyByMail(client, bed.smtp, account.email, after, { headers });
  return { account, client, headers };
}

async function signInFromNewDevice(
  account: { email: string; password: string },
  userAgent?: string,
) {
  const { client, headers } = newDevice(userAgent);
  const response = await client.request(
    SIGN_IN,
    { input: { email: account.email, password: account.password } },
    { headers },
  );
  expect(response.errors).toBeUndefined();
}

/** The quoted text a line of the mail shows (the pattern's first group). */
function quotedIn(text: string, line: RegExp): string {
  const quoted = line.exec(text)?.[1];
  expect(quoted).toBeDefined();
  return quoted ?? '';
}

/** The quoted text counted as the sender wrote it: the defanged link marks count as the one character they stand for. */
const shown = (quoted: string) => [...quoted.replaceAll('[.]', '.').replaceAll('[:]', ':')];

async function mailTo(email: string, after: number): Promise<ReceivedMail[]> {
  await outboxSettled(bed.server);
  return bed.smtp.to(email, after);
}

describe('security notices per address', () => {
  it('sends 5 notices for 6 sign-ins from new devices within the hour; the 6th sign-in still succeeds', async () => {
    const { account } = await registered();
    const after = bed.smtp.mark();
    for (let i = 0; i < 6; i++) await signInFromNewDevice(account);
    const mails = await mailTo(account.email, after);
    expect(mails).toHaveLength(5);
    expect(mails.every((mail) => NEW_SIGN_IN_SUBJECT.test(mail.subject))).toBe(true);
  });

  it('counts every kind of notice together: past the cap a password change succeeds and mails nothing', async () => {
    const { account, client, headers } = await registered();
    const after = bed.smtp.mark();
    for (let i = 0; i < 5; i++) await signInFromNewDevice(account);
    const changed = await client.request(
      CHANGE_PASSWORD,
      { input: { currentPassword: account.password, newPassword: 'a-brand-new-passphrase' } },
      { headers },
    );
    expect(changed.errors).toBeUndefined();
    const mails = await mailTo(account.email, after);
    expect(mails).toHaveLength(5);
    expect(mails.filter((mail) => CHANGED_SUBJECT.test(mail.subject))).toEqual([]);
  });
});

describe("the sender's text in a notice", () => {
  it('reads quoted, shortened and not as a link, in the text and the HTML part, with the parsed device name', async () => {
    const { account } = await registered(`https://evil.example/login ${BAIT}`);
    const after = bed.smtp.mark();
    await signInFromNewDevice(account, `${CHROME_MAC} ${BAIT}`);
    await signInFromNewDevice(account, BAIT);
    const mails = await mailTo(account.email, after);
    expect(mails).toHaveLength(2);
    const [recognised, unrecognised] = mails as [ReceivedMail, ReceivedMail];

    for (const mail of mails) {
      // The greeting quotes at most 40 characters of the display name.
      expect(shown(quotedIn(mail.text, /^Hello "([^"\n]+)",$/m)).length).toBeLessThanOrEqual(40);
      for (const part of [mail.text, mail.html]) {
        expect(part).not.toMatch(/https?:\/\//);
        expect(part).not.toContain('evil.example');
        expect(part).not.toContain('Your account was suspended, go to');
      }
      expect(mail.html).not.toContain('<a ');
      expect(mail.html).toMatch(/<p[^>]*>Hello &quot;[^<]+&quot;,<\/p>/);
    }
    // A recognised browser is named by the parser, and nothing of what the agent said follows it.
    expect(recognised.text).toMatch(/^Browser: Chrome 131 on macOS$/m);
    expect(recognised.html).toContain('Chrome 131 on macOS</td>');
    // An unrecognised one is quoted, at most 40 characters of it.
    const agent = quotedIn(unrecognised.text, /^Browser: unrecognised browser "([^"\n]+)"$/m);
    expect(shown(agent).length).toBeLessThanOrEqual(40);
    expect(agent).toMatch(/^<a href='https\[:\]\/\/evil\[\.\]example/);
    expect(unrecognised.html).toContain('unrecognised browser &quot;&lt;a href=');
  });
});
