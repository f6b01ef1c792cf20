import { existsSync, mkdirSync } from 'node:fs';
import { get } from 'node:http';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_PAGE_CSP } from '../../src/http/account-page.js';
import { TestClient } from '../support/client.js';
import { newAccount, signUp } from '../support/flows.js';
import { mailEnv, RESET_SUBJECT } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { codeIn, TestSmtp } from '../support/smtp.js';

// Debian's package, installed by .ci/run with apt (never `playwright install`).
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
// Page updates wait on real argon2 and a real database: allow a loaded CI machine its time.
const eventually = <T>(read: () => Promise<T> | T) =>
  expect.poll(read, { timeout: 15_000, interval: 100 });
if (!hasChromium)
  console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

let smtp: TestSmtp;
let server: TestServer;
beforeAll(async () => {
  smtp = await TestSmtp.start();
  server = await startServer({ listen: true, env: mailEnv(smtp) });
});
afterAll(async () => {
  await server?.close();
  await smtp?.stop();
});

function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.origin);
    get({ host: url.hostname, port: url.port, path }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe('the account page is served', () => {
  it('at / with a strict Content-Security-Policy, its hashed assets with their content types', async () => {
    const page = await fetch(`${server.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(ACCOUNT_PAGE_CSP);
    expect(ACCOUNT_PAGE_CSP).not.toContain('unsafe');
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const style = /href="(\/assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(script && style).toBeTruthy();

    const js = await fetch(`${server.origin}${script}`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toContain('immutable');
    const css = await fetch(`${server.origin}${style}`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers nothing outside its folder, and leaves GraphiQL at /graphql', async () => {
    const paths = [
      '/assets/../../package.json',
      '/assets/..%2f..%2fpackage.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/.env',
      '/assets/nope.js',
      '/web/dist/index.html',
    ];
    for (const path of paths) {
      // Sent verbatim (fetch would normalise the dots away before they reach the server).
      const { status, body } = await rawGet(path);
      expect(status, path).toBe(404);
      expect(body).not.toContain('sessiongraph');
    }
    const graphiql = await fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(await graphiql.text()).toContain('graphiql');
  });
});

describe.runIf(hasChromium)('the account page in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(() => browser?.close());

  /** A page whose console errors (a CSP violation included) fail the test. */
  async function openPage(userAgent: string) {
    const context = await browser.newContext({ userAgent });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.origin}/`);
    return { context, page, problems };
  }

  const devices = (page: Page) =>
    page.getByRole('list', { name: 'Your devices' }).getByRole('listitem');

  it('signs up, stays signed in, lists and revokes devices, and signs out', {
    timeout: 60_000,
  }, async () => {
    const account = newAccount();
    const laptop = await openPage('LaptopBrowser/1.0');

    const signUp = laptop.page.locator('#sign-up');
    await signUp.getByLabel('Name', { exact: true }).fill(account.name);
    await signUp.getByLabel('E-mail').fill(account.email);
    await signUp.getByLabel('New password').fill(account.password);
    await signUp.getByLabel('Keep me signed in').check();
    await signUp.getByRole('button', { name: 'Create account' }).click();
    await eventually(() => laptop.page.locator('#me-name').textContent()).toBe(account.name);

    await laptop.page.reload();
    await eventually(() => laptop.page.locator('#me-name').textContent()).toBe(account.name);
    expect(await laptop.page.locator('#sign-in').isVisible()).toBe(false);

    // The session is in an HttpOnly cookie: the browser holds it, page scripts cannot read it.
    const cookies = await laptop.context.cookies();
    expect(cookies.find((c) => c.name === 'sessionId')).toMatchObject({
      httpOnly: true,
      sameSite: 'Lax',
    });
    expect(await laptop.page.evaluate(() => document.cookie)).not.toContain('sessionId');

    const phone = await openPage('PhoneBrowser/2.0');
    const signIn = phone.page.locator('#sign-in');
    await signIn.getByLabel('Name or e-mail').fill(account.email);
    await signIn.getByLabel('Password').fill(account.password);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => phone.page.locator('#me-email').textContent()).toBe(account.email);

    await laptop.page.reload();
    await eventually(() => devices(laptop.page).count()).toBe(2);
    const current = devices(laptop.page).filter({ hasText: 'This device' });
    await eventually(() => current.count()).toBe(1);
    expect(await current.textContent()).toContain('LaptopBrowser/1.0');
    mkdirSync('test-results', { recursive: true });
    await laptop.page.screenshot({ path: 'test-results/account-page.png', fullPage: true });

    await laptop.page.getByRole('button', { name: 'Revoke PhoneBrowser/2.0' }).click();
    await eventually(() => devices(laptop.page).count()).toBe(1);
    await phone.page.reload();
    await eventually(() => phone.page.locator('#sign-in').isVisible()).toBe(true);

    // The phone signs in again; "sign out everywhere else" ends it once more.
    await signIn.getByLabel('Name or e-mail').fill(account.name);
    await signIn.getByLabel('Password').fill(account.password);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => phone.page.locator('#me-email').textContent()).toBe(account.email);
    await laptop.page.reload();
    await eventually(() => devices(laptop.page).count()).toBe(2);
    await laptop.page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await eventually(() => laptop.page.getByRole('status').textContent()).toBe(
      'Signed out 1 other device.',
    );
    expect(await devices(laptop.page).count()).toBe(1);

    await laptop.page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await eventually(() => laptop.page.locator('#sign-in').isVisible()).toBe(true);
    expect((await laptop.context.cookies()).find((c) => c.name === 'sessionId')).toBeUndefined();

    expect(laptop.problems).toEqual([]);
    expect(phone.problems).toEqual([]);
  });
  it('resets a forgotten password with the e-mailed code, which signs the browser in', {
    timeout: 60_000,
  }, async () => {
    const { account } = await signUp(new TestClient(server));
    const { page, problems } = await openPage('ForgetfulBrowser/1.0');
    const after = smtp.mark();
    await page.locator('#forgot').getByLabel('E-mail').fill(account.email);
    await page.getByRole('button', { name: 'Send me a code' }).click();
    const mail = await smtp.waitFor(
      (m) => m.to.includes(account.email) && RESET_SUBJECT.test(m.subject),
      { after },
    );

    const reset = page.locator('#reset');
    // The page carries the address over from the first form.
    expect(await reset.getByLabel('E-mail', { exact: true }).inputValue()).toBe(account.email);
    await reset.getByLabel('Code from the e-mail').fill(codeIn(mail));
    await reset.getByLabel('New password').fill('a-brand-new-password');
    await reset.getByRole('button', { name: 'Reset password' }).click();
    await eventually(() => page.locator('#me-name').textContent()).toBe(account.name);
    await eventually(() => devices(page).count()).toBe(1);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    const signIn = page.locator('#sign-in');
    await signIn.getByLabel('Name or e-mail').fill(account.name);
    await signIn.getByLabel('Password').fill(account.password);
    await signIn.getByRole('button', { name: 'Sign in' }).click();
    await eventually(() => page.getByRole('alert').textContent()).toMatch(/./);
    expect(await page.locator('#signed-in').isVisible()).toBe(false);
    expect(problems).toEqual([]);
  });
});
