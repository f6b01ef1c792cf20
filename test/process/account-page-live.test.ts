import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heading, signInThrough } from '../support/beds.js';
import {
  eventually,
  hasChromium,
  inspectView,
  launchChromium,
  openPage,
  USER_AGENTS,
} from '../support/browser.js';
import { TestClient } from '../support/client.js';
import { sharedStorage } from '../support/database.js';
import { signIn, signUp, UNLIMITED } from '../support/flows.js';
import { freePort } from '../support/ports.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * The account page's live session stream (issue 16) in Chromium: a sign-in elsewhere appears in the
 * device list without a reload, a session revoked elsewhere returns the tab to sign-in saying so,
 * and the stream comes back after the server restarts.
 */

let storage: Awaited<ReturnType<typeof sharedStorage>>;
let server: TestServer;
let browser: Browser;
let port: number;
let origin: string;

const start = () =>
  startServer({
    listen: true,
    port,
    database: storage.database,
    env: {
      ...storage.env,
      ...UNLIMITED,
      PUBLIC_URL: origin,
      RATE_LIMIT_PASSKEY_CHALLENGES_IP: '100000',
    },
  });

beforeAll(async () => {
  storage = await sharedStorage();
  port = await freePort();
  origin = `http://localhost:${port}`;
  server = await start();
  if (hasChromium) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await storage?.remove();
});

const devices = (page: Page) =>
  page.getByRole('list', { name: 'Your devices' }).getByRole('listitem');
const by = (account: { name: string; password: string }) => ({
  name: account.name,
  password: account.password,
});
const client = (userAgent: string) => new TestClient(`${origin}/graphql`, userAgent);

/** Signs in on the page and waits until its live stream is open (the answer's headers are in). */
async function signedInPage(account: { name: string; password: string }) {
  const opened = await openPage(browser, `${origin}/#sign-in`);
  const { page } = opened;
  const stream = page.waitForResponse(
    (response) =>
      response.url().endsWith('/graphql') &&
      (response.headers()['content-type'] ?? '').includes('text/event-stream'),
  );
  await signInThrough(page, account.name, account.password);
  await eventually(() => heading(page).textContent()).toBe('Your account');
  await stream;
  // A mark that only this document carries: still there later, the page was never reloaded.
  await page.evaluate(() => Object.assign(window, { notReloaded: true }));
  return opened;
}
const notReloaded = (page: Page) =>
  page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

describe.runIf(hasChromium)('the account page, live', () => {
  it('shows a sign-in from another client in the device list at once, without a reload', {
    timeout: 90_000,
  }, async () => {
    const { account } = await signUp(client(USER_AGENTS.chromeMac));
    const { page, context, problems } = await signedInPage(account);
    const before = await devices(page).count();
    const phone = await signIn(client(USER_AGENTS.safariIphone), by(account));
    expect(phone.errors).toBeUndefined();
    await eventually(() => devices(page).count()).toBe(before + 1);
    expect(await devices(page).getByText('Safari 17 on iOS').count()).toBe(1);
    expect(await notReloaded(page)).toBe(true);
    await inspectView(page, 'live-new-sign-in');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('returns a tab whose session another device revoked to sign-in, saying so, without a reload', {
    timeout: 90_000,
  }, async () => {
    const { account } = await signUp(client(USER_AGENTS.chromeMac));
    const { page, context, problems } = await signedInPage(account);
    const other = client(USER_AGENTS.firefoxWindows);
    expect((await signIn(other, by(account))).errors).toBeUndefined();
    const ended = await other.request('mutation { revokeOtherSessions }');
    expect(ended.data).toEqual({ revokeOtherSessions: 2 });
    await eventually(() => heading(page).textContent()).toBe('Sign in');
    expect(await page.getByRole('alert').first().textContent()).toMatch(
      /^You were signed out on another device/,
    );
    expect(await notReloaded(page)).toBe(true);
    await inspectView(page, 'live-signed-out-elsewhere');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('asks the server once when the tab comes back (visibilitychange and focus both fire)', {
    timeout: 90_000,
  }, async () => {
    const { account } = await signUp(client(USER_AGENTS.chromeMac));
    const { page, context, problems } = await signedInPage(account);
    let asked = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.postData()?.includes('query Me')) asked++;
    });
    const answered = page.waitForResponse((response) =>
      Boolean(response.request().postData()?.includes('query Me')),
    );
    await page.evaluate(() => {
      document.dispatchEvent(new Event('visibilitychange'));
      window.dispatchEvent(new Event('focus'));
    });
    await answered;
    expect(asked).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('subscribes again after the server restarts and catches up on what happened meanwhile', {
    timeout: 120_000,
  }, async () => {
    const { account } = await signUp(client(USER_AGENTS.chromeMac));
    const { page, context, problems } = await signedInPage(account);
    const before = await devices(page).count();
    const reopened = page.waitForResponse(
      (response) =>
        response.url().endsWith('/graphql') &&
        (response.headers()['content-type'] ?? '').includes('text/event-stream'),
      { timeout: 60_000 },
    );
    await server.close();
    server = await start();
    // Signed in while the page was cut off: the page learns it from the resync after reconnecting.
    expect((await signIn(client(USER_AGENTS.firefoxWindows), by(account))).errors).toBeUndefined();
    await reopened;
    await eventually(() => devices(page).count()).toBe(before + 1);
    // And the new stream carries events again.
    expect((await signIn(client(USER_AGENTS.safariIphone), by(account))).errors).toBeUndefined();
    await eventually(() => devices(page).count()).toBe(before + 2);
    expect(await notReloaded(page)).toBe(true);
    // The browser reports the stream cut off and connections reset or refused while the server was down;
    // nothing else.
    expect(
      problems.filter(
        (problem) =>
          !/net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|EMPTY_RESPONSE|INCOMPLETE_CHUNKED_ENCODING|SOCKET_NOT_CONNECTED)/.test(
            problem,
          ),
      ),
    ).toEqual([]);
    await context.close();
  });
});
