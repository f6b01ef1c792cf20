import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accountPageBed, formNamed, heading, pageMethods } from '../support/beds.js';
import {
  addVirtualAuthenticator,
  eventually,
  hasChromium,
  inspectView,
  openPage,
} from '../support/browser.js';
import { enableTotp, SIGN_IN_STEP, totpCode, verifyAddress } from '../support/factors.js';
import { newAccount, signUp } from '../support/flows.js';
import { FORGET_PASSWORD, RESET_SUBJECT } from '../support/recovery.js';

/**
 * A password reset on the account page for an account with a second factor (API.md "Reset with a
 * second factor", issue 15): the mailed link's right token is answered SECOND_FACTOR_REQUIRED, the
 * page asks for the factor without losing the token or the new password, and the factor signs in.
 */

const bed = accountPageBed({ RATE_LIMIT_PASSKEY_CHALLENGES_IP: '100000' });

/** A signed-up account with a verified address (enrolling factors needs one), and its client. */
async function verifiedAccount() {
  const api = bed.client();
  const signedUp = await signUp(api, newAccount());
  await verifyAddress(bed.server, signedUp.user.id);
  return { account: signedUp.account, api };
}

/** The reset link's fragment (`#reset?email=…&token=…`) from the mail forgetPassword sends. */
async function mailedResetLink(email: string): Promise<string> {
  const after = bed.smtp.mark();
  await bed.client().request(FORGET_PASSWORD, { input: { email } });
  const mail = await bed.smtp.waitFor(
    (m) => m.to.includes(email) && RESET_SUBJECT.test(m.subject),
    {
      after,
    },
  );
  const fragment = /https?:\/\/\S*?(#reset\?[^\s"<>]+)/.exec(mail.text)?.[1] ?? '';
  expect(fragment).toMatch(/token=/);
  return fragment;
}

async function submitNewPassword(page: Page, password: string) {
  const reset = formNamed(page, 'Choose a new password');
  await reset.getByLabel('New password').fill(password);
  await reset.getByRole('button', { name: 'Reset password' }).click();
}

describe.runIf(hasChromium)('password reset with a second factor on the account page', () => {
  it('asks for the authenticator code after the mailed link, refuses a wrong code beside its field, and signs in with the right one under the new password', {
    timeout: 120_000,
  }, async () => {
    const { account, api } = await verifiedAccount();
    const { secret } = await enableTotp(api, bed.clock);
    const fragment = await mailedResetLink(account.email);

    const { page, context, problems } = await openPage(bed.browser, `${bed.origin}/${fragment}`);
    await eventually(() => heading(page).textContent()).toBe('Choose a new password');
    await submitNewPassword(page, 'a-new-password-after-2fa');
    await eventually(() => heading(page).textContent()).toBe('Confirm it’s you');
    // Keyboard and screen-reader users land on the step's heading.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('view-title');
    await inspectView(page, 'reset-second-factor');

    const step = formNamed(page, 'Code from your authenticator app');
    const wrong = totpCode(secret, bed.clock.now()) === '000000' ? '111111' : '000000';
    await step.getByLabel('Authenticator code').fill(wrong);
    await step.getByRole('button', { name: 'Verify' }).click();
    await eventually(() => step.getByRole('alert').textContent()).toMatch(/not right/);
    expect(await step.getByLabel('Authenticator code').getAttribute('aria-invalid')).toBe('true');
    await inspectView(page, 'reset-second-factor-refused');
    // Refused: the password is unchanged.
    const before = await bed.client().request(SIGN_IN_STEP, {
      input: { email: account.email, password: account.password },
    });
    expect(before.errors?.[0]?.extensions?.code).toBe('SECOND_FACTOR_REQUIRED');

    await step.getByLabel('Authenticator code').fill(totpCode(secret, bed.clock.now()));
    await step.getByRole('button', { name: 'Verify' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    expect(await page.getByRole('status').first().textContent()).toMatch(/Password changed/);
    expect(await pageMethods(page)).toEqual(['EMAIL_CODE', 'TOTP']);
    const after = await bed.client().request(SIGN_IN_STEP, {
      input: { email: account.email, password: 'a-new-password-after-2fa' },
    });
    expect(after.errors?.[0]?.extensions?.code).toBe('SECOND_FACTOR_REQUIRED');
    const old = await bed.client().request(SIGN_IN_STEP, {
      input: { email: account.email, password: account.password },
    });
    expect(old.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('finishes a reset with a passkey asserted for the reset', {
    timeout: 150_000,
  }, async () => {
    const { account } = await verifiedAccount();
    const { page, context, problems } = await openPage(bed.browser, `${bed.origin}/#sign-in`);
    await addVirtualAuthenticator(page);
    const signIn = formNamed(page, 'Sign in');
    await signIn.getByLabel('Name or e-mail').fill(account.name);
    await signIn.getByLabel('Password', { exact: true }).fill(account.password);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    const card = page.getByRole('region', { name: 'Passkeys' });
    const add = formNamed(page, 'Add a passkey');
    await add.getByLabel('Passkey name').fill('Laptop');
    await add.getByRole('button', { name: 'Add a passkey' }).click();
    await card.getByRole('button', { name: 'I saved them' }).click();
    await eventually(() => card.getByRole('list', { name: 'Passkeys' }).count()).toBe(1);

    const fragment = await mailedResetLink(account.email);
    await page.goto(`${bed.origin}/${fragment}`);
    await eventually(() => heading(page).textContent()).toBe('Choose a new password');
    await submitNewPassword(page, 'a-new-password-by-passkey');
    await eventually(() => heading(page).textContent()).toBe('Confirm it’s you');
    await inspectView(page, 'reset-second-factor-passkey');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    expect(await pageMethods(page)).toEqual(['EMAIL_CODE', 'PASSKEY']);
    expect(problems).toEqual([]);
    await context.close();
  });
});
