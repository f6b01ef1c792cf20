import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accountPageBed, formNamed, heading, pageMethods, signInThrough } from '../support/beds.js';
import {
  addVirtualAuthenticator,
  eventually,
  hasChromium,
  inspectView,
  openPage,
} from '../support/browser.js';
import { MINUTE } from '../support/clock.js';
import { TOTP_STEP_MS, totpCode, verifyAddress } from '../support/factors.js';
import { newAccount, signUp } from '../support/flows.js';

/**
 * The account page's second factors (API.md part two, issue 15) in Chromium: the authenticator app
 * from its QR code to the second step of signing in, recovery codes shown once and good once each,
 * and passkeys through Chromium's virtual authenticator at PUBLIC_URL (http://localhost:<port>).
 */

const bed = accountPageBed({
  // Every view of sign-in asks for a passkey challenge (autofill), all from one test address.
  RATE_LIMIT_PASSKEY_CHALLENGES_IP: '100000',
});

/** Past REAUTH_WINDOW (10 minutes by default): the next sensitive mutation asks again. */
const outlastReauthWindow = () => bed.clock.advance(11 * MINUTE);

/** A signed-up account with a verified address (enrolling factors needs one). */
async function verifiedAccount() {
  const signedUp = await signUp(bed.client(), newAccount());
  await verifyAddress(bed.server, signedUp.user.id);
  return signedUp.account;
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await eventually(() => heading(page).textContent()).toBe('Sign in');
}

describe.runIf(hasChromium)('second factors on the account page', () => {
  it('turns on an authenticator app from its QR code and key, shows the recovery codes once, then asks for the app or a recovery code at sign-in, each code good once', {
    timeout: 120_000,
  }, async () => {
    const account = await verifiedAccount();
    const { page, context, problems } = await openPage(bed.browser, `${bed.origin}/#sign-in`);
    await signInThrough(page, account.name, account.password);
    await eventually(() => heading(page).textContent()).toBe('Your account');
    const card = page.getByRole('region', { name: 'Authenticator app' });
    await card.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await eventually(() => card.getByRole('img', { name: /QR code/ }).count()).toBe(1);
    const secret = ((await card.locator('#totp-secret').textContent()) ?? '').replaceAll(' ', '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await inspectView(page, 'totp-enrol');

    const confirm = formNamed(page, 'Confirm the authenticator app');
    await confirm.getByLabel('Code from the app').fill(totpCode(secret, bed.clock.now(), 5));
    await confirm.getByRole('button', { name: 'Turn on' }).click();
    await eventually(() => confirm.getByRole('alert').textContent()).toMatch(/not right/);
    await confirm.getByLabel('Code from the app').fill(totpCode(secret, bed.clock.now()));
    await confirm.getByRole('button', { name: 'Turn on' }).click();
    const codesList = card.getByRole('list', { name: 'Recovery codes' });
    await eventually(() => codesList.getByRole('listitem').count()).toBe(10);
    const codes = (await codesList.getByRole('listitem').allTextContents()).map((c) => c.trim());
    expect(new Set(codes).size).toBe(10);
    await inspectView(page, 'recovery-codes');
    await card.getByRole('button', { name: 'I saved them' }).click();
    await eventually(() => card.getByRole('status').textContent()).toBe(
      'The authenticator app is on. Every other device was signed out.',
    );
    // Shown once: a reload shows the state, never the codes.
    await page.reload();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    expect(await card.getByText('On', { exact: true }).count()).toBe(1);
    expect(await page.getByText(codes[0] as string).count()).toBe(0);
    await inspectView(page, 'totp-on');

    // The second step with the app.
    bed.clock.advance(TOTP_STEP_MS);
    await signOut(page);
    await signInThrough(page, account.name, account.password);
    await eventually(() => heading(page).textContent()).toBe('Two-step sign-in');
    await inspectView(page, 'second-factor-totp');
    const step = formNamed(page, 'Code from your authenticator app');
    await step.getByLabel('Authenticator code').fill('000000');
    await step.getByRole('button', { name: 'Verify' }).click();
    await eventually(() => step.getByRole('alert').textContent()).toMatch(/not right/);
    await step.getByLabel('Authenticator code').fill(totpCode(secret, bed.clock.now()));
    await step.getByRole('button', { name: 'Verify' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    expect(await pageMethods(page)).toEqual(['PASSWORD', 'TOTP']);

    // A recovery code instead; the same code again is refused; another one works.
    await signOut(page);
    await signInThrough(page, account.name, account.password);
    await eventually(() => heading(page).textContent()).toBe('Two-step sign-in');
    await page.getByText('Use a recovery code instead').click();
    let recovery = formNamed(page, 'Recovery code');
    await recovery.getByLabel('Recovery code').fill(codes[0] as string);
    await recovery.getByRole('button', { name: 'Use recovery code' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    expect(await pageMethods(page)).toEqual(['PASSWORD', 'RECOVERY_CODE']);

    await signOut(page);
    await signInThrough(page, account.name, account.password);
    await eventually(() => heading(page).textContent()).toBe('Two-step sign-in');
    await page.getByText('Use a recovery code instead').click();
    recovery = formNamed(page, 'Recovery code');
    await recovery.getByLabel('Recovery code').fill(codes[0] as string);
    await recovery.getByRole('button', { name: 'Use recovery code' }).click();
    await eventually(() => recovery.getByRole('alert').textContent()).toMatch(/not right/);
    expect(await recovery.getByLabel('Recovery code').getAttribute('aria-invalid')).toBe('true');
    await inspectView(page, 'second-factor-recovery-refused');
    await recovery.getByLabel('Recovery code').fill(codes[1] as string);
    await recovery.getByRole('button', { name: 'Use recovery code' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    expect(await pageMethods(page)).toEqual(['PASSWORD', 'RECOVERY_CODE']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('asks for the password and a code before new recovery codes, then turns the app off', {
    timeout: 120_000,
  }, async () => {
    const account = await verifiedAccount();
    const { page, context, problems } = await openPage(bed.browser, `${bed.origin}/#sign-in`);
    await signInThrough(page, account.name, account.password);
    await eventually(() => heading(page).textContent()).toBe('Your account');
    const card = page.getByRole('region', { name: 'Authenticator app' });
    await card.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await eventually(() => card.locator('#totp-secret').count()).toBe(1);
    const secret = ((await card.locator('#totp-secret').textContent()) ?? '').replaceAll(' ', '');
    const confirm = formNamed(page, 'Confirm the authenticator app');
    await confirm.getByLabel('Code from the app').fill(totpCode(secret, bed.clock.now()));
    await confirm.getByRole('button', { name: 'Turn on' }).click();
    await card.getByRole('button', { name: 'I saved them' }).click();
    bed.clock.advance(TOTP_STEP_MS);

    outlastReauthWindow();
    const recovery = page.getByRole('region', { name: 'Recovery codes' });
    await recovery.getByRole('button', { name: 'Make new codes' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Make new codes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
    await eventually(() => dialog.isVisible()).toBe(true);
    await dialog.getByLabel('Password').fill(account.password);
    await dialog
      .getByLabel('Authenticator or recovery code')
      .fill(totpCode(secret, bed.clock.now()));
    await inspectView(page, 'reauthenticate-with-code');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const codes = recovery.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await eventually(() => codes.count()).toBe(10);
    await recovery.getByRole('button', { name: 'I saved them' }).click();
    await eventually(() => recovery.getByRole('status').textContent()).toMatch(
      /old ones no longer/,
    );

    await card.getByRole('button', { name: 'Turn off' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Turn off' }).click();
    await eventually(() => card.getByRole('status').textContent()).toBe(
      'The authenticator app is off.',
    );
    await eventually(() => recovery.isHidden()).toBe(true);
    const state = await pageState(page);
    expect(state).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('adds a passkey with a name and shows the recovery codes it made, renames it, signs in with it by autofill, alone from the button and as the second step, and removes it after a passkey re-authentication', {
    timeout: 150_000,
  }, async () => {
    const account = await verifiedAccount();
    const { page, context, problems } = await openPage(bed.browser, `${bed.origin}/#sign-in`);
    await addVirtualAuthenticator(page);
    await signInThrough(page, account.name, account.password);
    await eventually(() => heading(page).textContent()).toBe('Your account');

    const card = page.getByRole('region', { name: 'Passkeys' });
    expect(await card.getByText('No passkeys yet.').isVisible()).toBe(true);
    const add = formNamed(page, 'Add a passkey');
    await add.getByLabel('Passkey name').fill('Laptop');
    await add.getByRole('button', { name: 'Add a passkey' }).click();
    // The first factor made recovery codes nobody has seen: they are shown now, once.
    const codes = card.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await eventually(() => codes.count()).toBe(10);
    await card.getByRole('button', { name: 'I saved them' }).click();
    await eventually(() =>
      card.getByText('Laptop was added. Every other device was signed out.').count(),
    ).toBe(1);
    const passkeys = card.getByRole('list', { name: 'Passkeys' }).getByRole('listitem');
    expect(await passkeys.count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Recovery codes' }).isVisible()).toBe(true);
    await inspectView(page, 'passkeys');

    await card.getByRole('button', { name: 'Rename Laptop' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename passkey' });
    await rename.getByLabel('Name', { exact: true }).fill('Work laptop');
    await inspectView(page, 'passkey-rename');
    await rename.getByRole('button', { name: 'Save' }).click();
    await eventually(() => passkeys.first().getByText('Work laptop').count()).toBe(1);
    // The button that opened the dialog was replaced by the reload: focus is on the card's title.
    await eventually(() => page.evaluate(() => document.activeElement?.id)).toBe('passkeys-title');

    // Offered in the login field's autofill: Chromium's virtual authenticator answers a conditional
    // request at once (a person would pick the passkey from the field's suggestions).
    expect(await pageMethods(page)).toEqual(['PASSWORD']);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await eventually(() => pageMethods(page)).toEqual(['PASSKEY']);
    await eventually(() => heading(page).textContent()).toBe('Your account');

    // Alone, from the button on the sign-in view.
    await withoutAutofill(page);
    await signOut(page);
    await inspectView(page, 'sign-in-with-passkey');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    expect(await pageMethods(page)).toEqual(['PASSKEY']);

    // As the second step after the password.
    await withoutAutofill(page);
    await signOut(page);
    await signInThrough(page, account.name, account.password);
    await eventually(() => heading(page).textContent()).toBe('Two-step sign-in');
    await inspectView(page, 'second-factor-passkey');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    expect(await pageMethods(page)).toEqual(['PASSWORD', 'PASSKEY']);

    // Re-authenticated with the passkey, then removed.
    outlastReauthWindow();
    await card.getByRole('button', { name: 'Remove Work laptop' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove passkey' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
    await eventually(() => dialog.isVisible()).toBe(true);
    await inspectView(page, 'reauthenticate-passkey');
    await dialog.getByRole('button', { name: 'Use a passkey' }).click();
    await eventually(() => card.getByText('Work laptop was removed.').count()).toBe(1);
    expect(await passkeys.count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});

/**
 * The sign-in view's next autofill challenge is refused as a rate-limited one would be, so the
 * virtual authenticator (which answers autofill requests at once) leaves the view to the test.
 */
async function withoutAutofill(page: Page): Promise<void> {
  let armed = true;
  const handler = async (route: Route) => {
    const body = route.request().postData() ?? '';
    if (!armed || !(body.includes('BeginPasskeyAssertion') && body.includes('"purpose":"SIGN_IN"')))
      return route.fallback();
    armed = false;
    await route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        errors: [{ message: 'Too many requests.', extensions: { code: 'RATE_LIMITED' } }],
      }),
    });
    await page.unroute('**/graphql', handler);
  };
  await page.route('**/graphql', handler);
}

/** Whether the page's viewer has a second factor, asked by the page. */
const pageState = (page: Page) =>
  page.evaluate(async () => {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { twoFactorEnabled } }' }),
    });
    const body = (await response.json()) as { data: { me: { twoFactorEnabled: boolean } } };
    return body.data.me.twoFactorEnabled;
  });
