import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accountPageBed, formNamed, heading, signInThrough } from '../support/beds.js';
import { eventually, hasChromium, inspectView, openPage } from '../support/browser.js';
import { TestClient } from '../support/client.js';
import { MINUTE, SECOND } from '../support/clock.js';
import { newAccount, signIn, signUp } from '../support/flows.js';
import type { ReceivedMail } from '../support/smtp.js';

/**
 * The account page's part-two screens (API.md "Schema, part two") in Chromium: verify the address,
 * re-authenticate when asked, change the e-mail, undo a change from the old inbox, the security log,
 * delete the account, and the links the server mails (src/core/auth/email/email-codes.ts accountPageLink).
 */

/** The first run of `digits` digits (a count or a range such as "6,8") in the mail's text. */
function codeOf(mail: ReceivedMail, digits: number | string): string {
  const match = new RegExp(`\\b(\\d{${digits}})\\b`).exec(mail.text);
  if (!match?.[1]) throw new Error(`no ${digits}-digit code in mail "${mail.subject}"`);
  return match[1];
}
const hasCode = (digits: number | string) => (mail: ReceivedMail) =>
  new RegExp(`\\b\\d{${digits}}\\b`).test(mail.text);
// Both codes are 8 digits (src/core/auth/email/email-codes.ts).
const CHANGE_CODE = 8;

const bed = accountPageBed();

/** Past REAUTH_WINDOW (10 minutes by default): the next sensitive mutation asks for the password. */
const outlastReauthWindow = () => bed.clock.advance(11 * MINUTE);

async function signUpThrough(page: Page, account: ReturnType<typeof newAccount>) {
  await page.getByRole('link', { name: 'Create an account' }).click();
  const form = formNamed(page, 'Create an account');
  await form.getByLabel('Name', { exact: true }).fill(account.name);
  await form.getByLabel('E-mail').fill(account.email);
  await form.getByLabel('Password').fill(account.password);
  await form.getByRole('button', { name: 'Create account' }).click();
}

async function confirmItsMe(page: Page, password: string) {
  const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
  await eventually(() => dialog.isVisible()).toBe(true);
  await dialog.getByLabel('Password').fill(password);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await eventually(() => dialog.count()).toBe(0);
}

describe.runIf(hasChromium)('the account page on part two', () => {
  it('takes a new account to the verify view, refuses a wrong code beside its field, and verifies with the mailed one', {
    timeout: 90_000,
  }, async () => {
    const account = newAccount();
    const after = bed.smtp.mark();
    const { page, context, problems } = await openPage(bed.browser, `${bed.origin}/`);
    await signUpThrough(page, account);
    await eventually(() => heading(page).textContent()).toBe('Verify your e-mail address');
    expect(await page.getByRole('status').first().textContent()).toContain(account.email);
    await inspectView(page, 'verify');
    const mail = await bed.smtp.waitFor((m) => m.to.includes(account.email) && hasCode(8)(m), {
      after,
    });

    const form = formNamed(page, 'Verify your e-mail address');
    const code = codeOf(mail, 8);
    await form.getByLabel('Verification code').fill(code === '00000000' ? '11111111' : '00000000');
    await form.getByRole('button', { name: 'Verify address' }).click();
    await eventually(() => form.getByRole('alert').textContent()).toMatch(/code/i);
    expect(await form.getByLabel('Verification code').getAttribute('aria-invalid')).toBe('true');
    await inspectView(page, 'verify-error');

    await form.getByLabel('Verification code').fill(code);
    await form.getByRole('button', { name: 'Verify address' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    expect(await page.getByRole('status').first().textContent()).toBe(
      `${account.email} is verified.`,
    );
    const profile = page.getByRole('region', { name: 'Profile' });
    expect(await profile.getByText('Verified', { exact: true }).count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('opens the mailed verification link signed out, signs in first, then verifies with the code from the link', {
    timeout: 90_000,
  }, async () => {
    const account = newAccount();
    const after = bed.smtp.mark();
    await signUp(new TestClient(`${bed.origin}/graphql`), account);
    const mail = await bed.smtp.waitFor((m) => m.to.includes(account.email) && hasCode(8)(m), {
      after,
    });
    const { page, context, problems } = await openPage(
      bed.browser,
      `${bed.origin}/#verify?code=${codeOf(mail, 8)}`,
    );
    await eventually(() => heading(page).textContent()).toBe('Verify your e-mail address');
    // The code is a credential until spent: it leaves the address bar at once.
    expect(page.url()).not.toContain(codeOf(mail, 8));
    await inspectView(page, 'verify-signed-out');
    await page.getByRole('link', { name: 'Sign in to continue' }).click();
    await signInThrough(page, account.name, account.password);
    await eventually(() => heading(page).textContent()).toBe('Verify your e-mail address');
    const form = formNamed(page, 'Verify your e-mail address');
    expect(await form.getByLabel('Verification code').inputValue()).toBe(codeOf(mail, 8));
    await form.getByRole('button', { name: 'Verify address' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lists security activity newest first, with device names, a failed sign-in included', {
    timeout: 90_000,
  }, async () => {
    const account = newAccount();
    await signUp(new TestClient(`${bed.origin}/graphql`), account);
    bed.clock.advance(SECOND);
    const { page, context, problems } = await openPage(bed.browser, `${bed.origin}/#sign-in`);
    const form = formNamed(page, 'Sign in');
    await form.getByLabel('Name or e-mail').fill(account.name);
    await form.getByLabel('Password', { exact: true }).fill(account.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    bed.clock.advance(SECOND);
    await signIn(new TestClient(`${bed.origin}/graphql`), {
      name: account.name,
      password: 'not-the-password',
    });

    const activity = page.getByRole('list', { name: 'Security activity' }).getByRole('listitem');
    await eventually(async () => {
      await page.reload();
      await eventually(() => heading(page).textContent()).toBe('Your account');
      return activity.first().getAttribute('data-kind');
    }).toBe('SIGN_IN_FAILED');
    expect(await activity.first().textContent()).toContain('Failed sign-in attempt');
    const texts = await activity.allTextContents();
    expect(
      texts.some((text) => text.includes('Signed in') && text.includes('Chrome 131 on macOS')),
    ).toBe(true);
    // The sessions list carries the server's device names.
    const devices = page.getByRole('list', { name: 'Your devices' });
    expect(await devices.getByText('Chrome 131 on macOS').count()).toBe(1);
    await inspectView(page, 'account-part-two');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('loads older activity once per page, however often the button is pressed meanwhile', {
    timeout: 90_000,
  }, async () => {
    const account = newAccount();
    await signUp(new TestClient(`${bed.origin}/graphql`), account);
    // 25 sign-ins and the page's own: more than one page of 20.
    for (let i = 0; i < 25; i++) {
      bed.clock.advance(SECOND);
      const signedIn = await signIn(new TestClient(`${bed.origin}/graphql`), {
        name: account.name,
        password: account.password,
      });
      expect(signedIn.errors).toBeUndefined();
    }
    const { page, context, problems } = await openPage(bed.browser, `${bed.origin}/#sign-in`);
    const form = formNamed(page, 'Sign in');
    await form.getByLabel('Name or e-mail').fill(account.name);
    await form.getByLabel('Password', { exact: true }).fill(account.password);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    const activity = page.getByRole('list', { name: 'Security activity' }).getByRole('listitem');
    await eventually(() => activity.count()).toBe(20);
    // The older page is held until the button has been pressed three times.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(`${bed.origin}/graphql`, async (route) => {
      if (route.request().postData()?.includes('"after":"')) await held;
      await route.continue();
    });
    const more = page.getByRole('button', { name: 'Show older activity' });
    // As a user's clicks arrive: aria-disabled does not stop them (Playwright's click would wait for it).
    await more.focus();
    for (let i = 0; i < 3; i++) await more.dispatchEvent('click');
    release();
    await eventually(() => activity.count()).toBe(27);
    expect(await more.isHidden()).toBe(true);
    // The button went away under the focus, which moved to the section's title.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('activity-title');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('asks to re-authenticate before an e-mail change, refuses a wrong password in the dialog, and confirms the change with the code sent to the new address', {
    timeout: 90_000,
  }, async () => {
    const account = newAccount();
    await signUp(new TestClient(`${bed.origin}/graphql`), account);
    const { page, context, problems } = await openPage(bed.browser, `${bed.origin}/#sign-in`);
    await signInThrough(page, account.name, account.password);
    await eventually(() => heading(page).textContent()).toBe('Your account');

    outlastReauthWindow();
    const newEmail = newAccount().email;
    const request = formNamed(page, 'Change e-mail address');
    await request.getByLabel('New e-mail address').fill(newEmail);
    await request.getByRole('button', { name: 'Send a code' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
    await eventually(() => dialog.isVisible()).toBe(true);
    await dialog.getByLabel('Password').fill('not-the-password');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await eventually(() => dialog.getByRole('alert').textContent()).toBe(
      'That password is not correct.',
    );
    await inspectView(page, 'reauthenticate');

    const after = bed.smtp.mark();
    await confirmItsMe(page, account.password);
    const confirm = formNamed(page, 'Confirm the new address');
    await eventually(() => confirm.isVisible()).toBe(true);
    expect(await confirm.getByText(`We sent it to ${newEmail}.`).count()).toBe(1);
    const mail = await bed.smtp.waitFor((m) => m.to.includes(newEmail) && hasCode(CHANGE_CODE)(m), {
      after,
    });
    await inspectView(page, 'email-change-code');

    await confirm.getByLabel('Code from the e-mail').fill(codeOf(mail, CHANGE_CODE));
    await confirm.getByRole('button', { name: 'Confirm new address' }).click();
    const emailPanel = page.getByRole('region', { name: 'E-mail address' });
    await eventually(() => emailPanel.getByRole('status').first().textContent()).toContain(
      `Your address is now ${newEmail}`,
    );
    await eventually(() => page.locator('#me-email').textContent()).toBe(newEmail);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('confirms an e-mail change from the link mailed to the new address, after signing in', {
    timeout: 90_000,
  }, async () => {
    const client = new TestClient(`${bed.origin}/graphql`);
    const { account } = await signUp(client, newAccount());
    const newEmail = newAccount().email;
    const after = bed.smtp.mark();
    const requested = await client.request(
      'mutation ($e: String!) { requestEmailChange(input: { newEmail: $e }) }',
      { e: newEmail },
    );
    expect(requested.errors).toBeUndefined();
    const mail = await bed.smtp.waitFor((m) => m.to.includes(newEmail) && hasCode(CHANGE_CODE)(m), {
      after,
    });
    // The link exactly as mailed: PUBLIC_URL's page with the view and the code in the fragment.
    const href = /(http\S*#confirm-email\?code=\d{8})/.exec(mail.text)?.[1];
    expect(href).toBe(`${bed.origin}/#confirm-email?code=${codeOf(mail, CHANGE_CODE)}`);

    const { page, context, problems } = await openPage(bed.browser, String(href));
    await eventually(() => heading(page).textContent()).toBe('Confirm your new e-mail address');
    expect(page.url()).not.toContain(codeOf(mail, CHANGE_CODE));
    await inspectView(page, 'confirm-email-signed-out');
    await page.getByRole('link', { name: 'Sign in to continue' }).click();
    await signInThrough(page, account.name, account.password);
    await eventually(() => heading(page).textContent()).toBe('Confirm your new e-mail address');
    const form = formNamed(page, 'Confirm your new e-mail address');
    expect(await form.getByLabel('Code from the e-mail').inputValue()).toBe(
      codeOf(mail, CHANGE_CODE),
    );
    await inspectView(page, 'confirm-email');
    await form.getByRole('button', { name: 'Confirm new address' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    expect(await page.getByRole('status').first().textContent()).toBe(
      `Your address is now ${newEmail}. Every other device was signed out.`,
    );
    expect(await page.locator('#me-email').textContent()).toBe(newEmail);
    // The client that asked was another device: the change ended its session.
    expect((await client.request('query { me { id } }')).data).toEqual({ me: null });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('undoes an e-mail change from the link mailed to the old address, which signs every device out', {
    timeout: 90_000,
  }, async () => {
    const client = new TestClient(`${bed.origin}/graphql`);
    let after = bed.smtp.mark();
    const { account } = await signUp(client, newAccount());
    // Verified first: mail beyond verification itself goes only to verified addresses.
    const verification = await bed.smtp.waitFor(
      (m) => m.to.includes(account.email) && hasCode(8)(m),
      {
        after,
      },
    );
    const verified = await client.request(
      'mutation ($c: String!) { verifyEmail(input: { code: $c }) { id } }',
      { c: codeOf(verification, 8) },
    );
    expect(verified.errors).toBeUndefined();
    const newEmail = newAccount().email;
    after = bed.smtp.mark();
    const requested = await client.request(
      'mutation ($e: String!) { requestEmailChange(input: { newEmail: $e }) }',
      { e: newEmail },
    );
    expect(requested.errors).toBeUndefined();
    const code = codeOf(
      await bed.smtp.waitFor((m) => m.to.includes(newEmail) && hasCode(CHANGE_CODE)(m), { after }),
      CHANGE_CODE,
    );
    after = bed.smtp.mark();
    const confirmed = await client.request(
      'mutation ($c: String!) { confirmEmailChange(input: { code: $c }) { email } }',
      { c: code },
    );
    expect(confirmed.errors).toBeUndefined();
    const notice = await bed.smtp.waitFor(
      (m) => m.to.includes(account.email) && /token=/.test(m.text),
      {
        after,
      },
    );
    const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(notice.text)?.[1];
    expect(token).toBeTruthy();

    const { page, context, problems } = await openPage(
      bed.browser,
      `${bed.origin}/#revert-email?token=${token}`,
    );
    await eventually(() => heading(page).textContent()).toBe('Undo the e-mail change');
    expect(page.url()).not.toContain(String(token));
    await inspectView(page, 'revert-email');
    await page.getByRole('button', { name: 'Restore my old address' }).click();
    await eventually(() => heading(page).textContent()).toBe('Sign in');
    expect(await page.getByRole('status').first().textContent()).toMatch(/old address is back/);
    const me = await client.request('query { me { id } }');
    expect(me.data).toEqual({ me: null });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('deletes the account after a confirmation and a fresh password, and returns to sign-in', {
    timeout: 90_000,
  }, async () => {
    const account = newAccount();
    await signUp(new TestClient(`${bed.origin}/graphql`), account);
    const { page, context, problems } = await openPage(bed.browser, `${bed.origin}/#sign-in`);
    await signInThrough(page, account.name, account.password);
    await eventually(() => heading(page).textContent()).toBe('Your account');

    outlastReauthWindow();
    await page.getByRole('button', { name: 'Delete account' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete your account?' });
    await eventually(() => confirm.isVisible()).toBe(true);
    await inspectView(page, 'confirm-delete');
    await confirm.getByRole('button', { name: 'Delete my account' }).click();
    await confirmItsMe(page, account.password);
    await eventually(() => heading(page).textContent()).toBe('Sign in');
    expect(await page.getByRole('status').first().textContent()).toMatch(/account was deleted/);
    const again = await signIn(new TestClient(`${bed.origin}/graphql`), {
      name: account.name,
      password: account.password,
    });
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    expect(problems).toEqual([]);
    await context.close();
  });
});
