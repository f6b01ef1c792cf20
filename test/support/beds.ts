import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { hasChromium, launchChromium } from './browser.js';
import { TestClient } from './client.js';
import { TestClock } from './clock.js';
import { UNLIMITED } from './flows.js';
import { freePort } from './ports.js';
import { mailEnv } from './recovery.js';
import { type StartOptions, startServer, type TestServer } from './server.js';
import { TestSmtp } from './smtp.js';

/** A test file's SMTP receiver and server, filled in before its first test and closed after its last. */
export interface MailServerBed {
  smtp: TestSmtp;
  server: TestServer;
}

/**
 * One test file's server, whose mail goes to an SMTP receiver of its own: `env` on top of the mail
 * settings (fast polls and retries, recovery limits out of the way), and any other start option.
 */
export function mailServerBed(
  env: Record<string, string> = {},
  options: Omit<StartOptions, 'env'> = {},
): MailServerBed {
  const bed = {} as MailServerBed;
  beforeAll(async () => {
    bed.smtp = await TestSmtp.start();
    bed.server = await startServer({ ...options, env: { ...mailEnv(bed.smtp), ...env } });
  });
  afterAll(async () => {
    await bed.server?.close();
    await bed.smtp?.stop();
  });
  return bed;
}

/** What a browser test file drives: filled in before its first test, closed after its last. */
export interface LocalhostBed<B> {
  clock: TestClock;
  smtp: TestSmtp;
  server: TestServer;
  browser: B;
  /** PUBLIC_URL, http://localhost:<port>: mailed links name it, and WebAuthn needs a name, not an IP. */
  origin: string;
  /** A GraphQL client of that origin, outside the browser. */
  client(userAgent?: string): TestClient;
}

/**
 * One test file's bed for browser tests: an SMTP receiver, a server on a moved clock listening at a
 * localhost PUBLIC_URL (with `env` on top of the mail and unlimited settings), and the browser `open`
 * gives for that origin. Without Chromium nothing starts: the file's tests are skipped then.
 */
export function localhostBed<B extends { close(): Promise<void> }>(
  open: (origin: string) => Promise<B>,
  env: Record<string, string> = {},
): LocalhostBed<B> {
  const bed = {
    clock: new TestClock(),
    client: (userAgent?: string) => new TestClient(`${bed.origin}/graphql`, userAgent),
  } as LocalhostBed<B>;
  beforeAll(async () => {
    if (!hasChromium) return;
    bed.smtp = await TestSmtp.start();
    const port = await freePort();
    bed.origin = `http://localhost:${port}`;
    bed.server = await startServer({
      listen: true,
      port,
      now: bed.clock.now,
      env: { ...mailEnv(bed.smtp), ...UNLIMITED, PUBLIC_URL: bed.origin, ...env },
    });
    bed.browser = await open(bed.origin);
  });
  afterAll(async () => {
    await bed.browser?.close();
    await bed.server?.close();
    await bed.smtp?.stop();
  });
  return bed;
}

/** The account page's bed: Chromium, whose pages the tests open themselves. */
export const accountPageBed = (env: Record<string, string> = {}): LocalhostBed<Browser> =>
  localhostBed(() => launchChromium(), env);

/** The view's title. */
export const heading = (page: Page) => page.getByRole('heading', { level: 1 });

/** A form by its accessible name. */
export const formNamed = (page: Page, name: string) => page.getByRole('form', { name });

/** Fills in the page's sign-in form (`login`: a name or an e-mail) and submits it. */
export async function signInThrough(
  page: Page,
  login: string,
  password: string,
  options: { keepSignedIn?: boolean } = {},
): Promise<void> {
  const form = formNamed(page, 'Sign in');
  await form.getByLabel('Name or e-mail').fill(login);
  await form.getByLabel('Password', { exact: true }).fill(password);
  if (options.keepSignedIn) await form.getByLabel('Keep me signed in').check();
  await form.getByRole('button', { name: 'Sign in' }).click();
}

/** The methods of the session the page holds, asked by the page itself (its cookie is HttpOnly). */
export const pageMethods = (page: Page) =>
  page.evaluate(async () => {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ session { methods } }' }),
    });
    const body = (await response.json()) as { data: { session: { methods: string[] } | null } };
    return body.data.session?.methods ?? null;
  });
