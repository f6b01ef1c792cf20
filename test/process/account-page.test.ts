import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formNamed, heading, signInThrough } from '../support/beds.js';
import {
  eventually,
  hasChromium,
  inspectView,
  launchChromium,
  openPage,
  USER_AGENTS,
} from '../support/browser.js';
import { TestClient } from '../support/client.js';
import { newAccount, signUp, UNLIMITED } from '../support/flows.js';
import { FORGET_PASSWORD, mailEnv, RESET_SUBJECT } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { codeIn, TestSmtp } from '../support/smtp.js';

/**
 * The account page walked in Chromium on today's server (part one of the API): every view, axe-core
 * clean, with screenshots at desktop and phone widths in test-results/.
 */

let smtp: TestSmtp;
let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  smtp = await TestSmtp.start();
  server = await startServer({ listen: true, env: { ...mailEnv(smtp), ...UNLIMITED } });
  if (hasChromium) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.stop();
});

const devices = (page: Page) =>
  page.getByRole('list', { name: 'Your devices' }).getByRole('listitem');

describe.runIf(hasChromium)('the account page in Chromium', () => {
  it('opens on the sign-in view for a new visitor; signing up asks to verify the address, and the account is remembered across a reload', {
    timeout: 90_000,
  }, async () => {
    const account = newAccount();
    const laptop = await openPage(browser, `${server.origin}/`);
    await eventually(() => heading(laptop.page).textContent()).toBe('Sign in');
    expect(await laptop.page.title()).toBe('Sign in · sessiongraph');
    await inspectView(laptop.page, 'sign-in');

    await laptop.page.getByRole('link', { name: 'Create an account' }).click();
    await eventually(() => heading(laptop.page).textContent()).toBe('Create an account');
    // Moving between views puts keyboard and screen-reader focus on the new view's heading.
    await eventually(() => laptop.page.evaluate(() => document.activeElement?.id)).toBe(
      'view-title',
    );
    await inspectView(laptop.page, 'sign-up');

    const form = formNamed(laptop.page, 'Create an account');
    await form.getByLabel('Name', { exact: true }).fill('has space');
    await form.getByLabel('E-mail').fill(account.email);
    await form.getByLabel('Password').fill(account.password);
    await form.getByRole('button', { name: 'Create account' }).click();
    // The server's complaint sits in the form, on the field it names.
    await eventually(() => form.getByRole('alert').textContent()).toMatch(/name/i);
    expect(await form.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    await inspectView(laptop.page, 'sign-up-error');

    await form.getByLabel('Name', { exact: true }).fill(account.name);
    await form.getByLabel('Keep me signed in').check();
    await form.getByRole('button', { name: 'Create account' }).click();
    // Part two: a new account verifies its address first, and can put that off.
    await eventually(() => heading(laptop.page).textContent()).toBe('Verify your e-mail address');
    expect(await laptop.page.getByRole('status').first().textContent()).toContain(account.email);
    await laptop.page.getByRole('link', { name: 'Back to your account' }).click();
    await eventually(() => heading(laptop.page).textContent()).toBe('Your account');
    expect(await laptop.page.locator('#me-name').textContent()).toBe(account.name);

    // Keep me signed in: a persistent, HttpOnly cookie that page scripts cannot read.
    const cookie = (await laptop.context.cookies()).find((c) => c.name === 'sessionId');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(cookie?.expires).toBeGreaterThan(Date.now() / 1000 + 86_400);
    expect(await laptop.page.evaluate(() => document.cookie)).not.toContain('sessionId');

    await laptop.page.reload();
    await eventually(() => heading(laptop.page).textContent()).toBe('Your account');
    expect(await laptop.page.getByRole('heading', { name: 'Security activity' }).count()).toBe(1);
    expect(laptop.problems).toEqual([]);
    await laptop.context.close();
  });

  it('names devices, marks this one, asks before signing one out, and the signed-out device says so when it comes back or at once while open', {
    timeout: 90_000,
  }, async () => {
    const account = newAccount();
    await signUp(new TestClient(server, USER_AGENTS.firefoxWindows), account);
    const laptop = await openPage(browser, `${server.origin}/#sign-in`);
    await signInThrough(laptop.page, account.email, account.password);
    await eventually(() => heading(laptop.page).textContent()).toBe('Your account');

    const phone = await openPage(browser, `${server.origin}/`, {
      userAgent: USER_AGENTS.safariIphone,
    });
    await signInThrough(phone.page, account.name, account.password);
    await eventually(() => heading(phone.page).textContent()).toBe('Your account');

    await laptop.page.reload();
    await eventually(() => devices(laptop.page).count()).toBe(3);
    const current = devices(laptop.page).filter({ hasText: 'This device' });
    expect(await current.count()).toBe(1);
    expect(await current.getByText('Chrome 131 on macOS').count()).toBe(1);
    // No raw user-agent strings: readable names only.
    const listed = await devices(laptop.page).allTextContents();
    expect(listed.join('\n')).not.toContain('Mozilla/5.0');
    expect(listed.join('\n')).toContain('Safari 17 on iOS');
    expect(listed.join('\n')).toContain('Firefox 133 on Windows');
    // This device is signed out with "Sign out" at the top, not from the list.
    expect(await current.getByRole('button').count()).toBe(0);
    await inspectView(laptop.page, 'account');
    await inspectView(phone.page, 'account-on-phone');

    // Cancelling the confirmation changes nothing.
    await laptop.page.getByRole('button', { name: 'Sign out Safari 17 on iOS' }).click();
    const dialog = laptop.page.getByRole('dialog', { name: 'Sign out Safari 17 on iOS?' });
    await eventually(() => dialog.isVisible()).toBe(true);
    await inspectView(laptop.page, 'confirm-revoke');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await eventually(() => dialog.count()).toBe(0);
    // Escape dismisses it too, and focus goes back to the button that opened it.
    const revokePhone = laptop.page.getByRole('button', { name: 'Sign out Safari 17 on iOS' });
    await revokePhone.click();
    await eventually(() => dialog.isVisible()).toBe(true);
    await laptop.page.keyboard.press('Escape');
    await eventually(() => dialog.count()).toBe(0);
    expect(await revokePhone.evaluate((button) => button === document.activeElement)).toBe(true);
    expect(await devices(laptop.page).count()).toBe(3);

    // The phone is away (its tab on another site) when the laptop signs it out; coming back, it is
    // told what happened instead of seeing a bare form.
    await phone.page.goto('about:blank');
    await laptop.page.getByRole('button', { name: 'Sign out Safari 17 on iOS' }).click();
    await dialog.getByRole('button', { name: 'Sign out device' }).click();
    await eventually(() => devices(laptop.page).count()).toBe(2);
    const devicesPanel = laptop.page.getByRole('region', { name: 'Your devices' });
    expect(await devicesPanel.getByRole('status').textContent()).toBe(
      'Safari 17 on iOS is signed out.',
    );
    await phone.page.goto(`${server.origin}/`);
    await eventually(() => heading(phone.page).textContent()).toBe('Sign in');
    expect(await phone.page.getByRole('alert').first().textContent()).toMatch(
      /You were signed out/,
    );
    await inspectView(phone.page, 'signed-out-elsewhere');

    // Signed in again and open, the phone learns it at once from its live stream, without a reload.
    await signInThrough(phone.page, account.name, account.password);
    await eventually(() => heading(phone.page).textContent()).toBe('Your account');
    await laptop.page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await laptop.page.getByRole('dialog').getByRole('button', { name: 'Sign out others' }).click();
    await eventually(() => devicesPanel.getByRole('status').textContent()).toBe(
      'Signed out 2 other devices.',
    );
    expect(await devices(laptop.page).count()).toBe(1);
    await eventually(() => heading(phone.page).textContent()).toBe('Sign in');
    expect(await phone.page.getByRole('alert').first().textContent()).toMatch(
      /You were signed out on another device/,
    );

    expect(laptop.problems).toEqual([]);
    expect(phone.problems).toEqual([]);
    await laptop.context.close();
    await phone.context.close();
  });

  it('changes the password with the current one, says so beside the form, and signs out', {
    timeout: 90_000,
  }, async () => {
    const account = newAccount();
    await signUp(new TestClient(server), account);
    const { page, context, problems } = await openPage(browser, `${server.origin}/`);
    await signInThrough(page, account.name, account.password);
    await eventually(() => heading(page).textContent()).toBe('Your account');

    const change = formNamed(page, 'Change password');
    await change.getByLabel('Current password').fill('not-my-password');
    await change.getByLabel('New password').fill('a-fresh-long-password');
    await change.getByRole('button', { name: 'Change password' }).click();
    await eventually(() => change.getByRole('alert').textContent()).toBe(
      'That is not your current password.',
    );
    expect(await change.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
    await inspectView(page, 'change-password-error');

    await change.getByLabel('Current password').fill(account.password);
    await change.getByRole('button', { name: 'Change password' }).click();
    await eventually(() => change.getByRole('status').textContent()).toBe(
      'Password changed. Every other device has been signed out.',
    );
    expect(await change.getByLabel('Current password').getAttribute('aria-invalid')).toBeNull();

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await eventually(() => heading(page).textContent()).toBe('Sign in');
    expect(await page.getByRole('status').first().textContent()).toMatch(/You signed out/);
    expect((await context.cookies()).find((c) => c.name === 'sessionId')).toBeUndefined();

    await signInThrough(page, account.name, account.password);
    const signInForm = formNamed(page, 'Sign in');
    await eventually(() => signInForm.getByRole('alert').textContent()).toMatch(/not correct/);
    await inspectView(page, 'sign-in-error');
    await signInThrough(page, account.name, 'a-fresh-long-password');
    await eventually(() => heading(page).textContent()).toBe('Your account');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('resets a forgotten password with the code from the e-mail, which signs the browser in', {
    timeout: 90_000,
  }, async () => {
    const account = newAccount();
    await signUp(new TestClient(server), account);
    const { page, context, problems } = await openPage(browser, `${server.origin}/`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await eventually(() => heading(page).textContent()).toBe('Forgot your password?');
    await inspectView(page, 'forgot');

    const after = smtp.mark();
    const forgot = formNamed(page, 'Forgot your password?');
    await forgot.getByLabel('E-mail').fill(account.email);
    await forgot.getByRole('button', { name: 'Send me a code' }).click();
    await eventually(() => heading(page).textContent()).toBe('Choose a new password');
    expect(await page.getByRole('status').first().textContent()).toContain(account.email);
    const mail = await smtp.waitFor(
      (m) => m.to.includes(account.email) && RESET_SUBJECT.test(m.subject),
      { after },
    );

    const reset = formNamed(page, 'Choose a new password');
    // The address carries over from the first form.
    expect(await reset.getByLabel('E-mail', { exact: true }).inputValue()).toBe(account.email);
    const code = codeIn(mail);
    await reset.getByLabel('Code from the e-mail').fill(code === '000000' ? '111111' : '000000');
    await reset.getByLabel('New password').fill('a-brand-new-password');
    await reset.getByRole('button', { name: 'Reset password' }).click();
    await eventually(() => reset.getByRole('alert').textContent()).toMatch(/code/i);
    expect(await reset.getByLabel('Code from the e-mail').getAttribute('aria-invalid')).toBe(
      'true',
    );
    await inspectView(page, 'reset');

    await reset.getByLabel('Code from the e-mail').fill(code);
    await reset.getByRole('button', { name: 'Reset password' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    expect(await page.getByRole('status').first().textContent()).toMatch(/Password changed/);
    expect(await devices(page).count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('opens the reset link from the e-mail with the form filled in and the token out of the address bar', {
    timeout: 90_000,
  }, async () => {
    const account = newAccount();
    const client = new TestClient(server);
    await signUp(client, account);
    const after = smtp.mark();
    await client.request(FORGET_PASSWORD, { input: { email: account.email } });
    const mail = await smtp.waitFor(
      (m) => m.to.includes(account.email) && RESET_SUBJECT.test(m.subject),
      { after },
    );
    // The link points at PUBLIC_URL; its fragment is what the page reads.
    const fragment = /https?:\/\/\S*?(#reset\?[^\s"<>]+)/.exec(mail.text)?.[1] ?? '';
    const token = new URLSearchParams(fragment.slice('#reset?'.length)).get('token') ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const { page, context, problems } = await openPage(browser, `${server.origin}/${fragment}`);
    await eventually(() => heading(page).textContent()).toBe('Choose a new password');
    expect(page.url()).not.toContain(token);
    const reset = formNamed(page, 'Choose a new password');
    expect(await reset.getByLabel('E-mail', { exact: true }).inputValue()).toBe(account.email);
    // Nothing to type from the mail: the token rides along unseen.
    expect(await reset.getByLabel('Code from the e-mail').count()).toBe(0);
    expect(await reset.locator('input[name="otp"]').inputValue()).toBe(token);
    await inspectView(page, 'reset-from-link');
    await reset.getByLabel('New password').fill('a-linked-new-password');
    await reset.getByRole('button', { name: 'Reset password' }).click();
    await eventually(() => heading(page).textContent()).toBe('Your account');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows every view in dark mode without an accessibility violation', {
    timeout: 90_000,
  }, async () => {
    const account = newAccount();
    await signUp(new TestClient(server), account);
    const { page, context, problems } = await openPage(browser, `${server.origin}/`, {
      colorScheme: 'dark',
    });
    await eventually(() => heading(page).textContent()).toBe('Sign in');
    await inspectView(page, 'dark-sign-in');
    await signInThrough(page, account.name, account.password);
    await eventually(() => heading(page).textContent()).toBe('Your account');
    await inspectView(page, 'dark-account');
    expect(problems).toEqual([]);
    await context.close();
  });
});
