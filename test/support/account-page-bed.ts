import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { hasChromium, launchChromium } from './browser.js';
import { TestClient } from './client.js';
import { TestClock } from './clock.js';
import { UNLIMITED } from './flows.js';
import { freePort } from './ports.js';
import { mailEnv } from './recovery.js';
import { startServer, type TestServer } from './server.js';
import { TestSmtp } from './smtp.js';

/** What an account-page test file drives: filled in before its first test, closed after its last. */
export interface AccountPageBed {
  clock: TestClock;
  smtp: TestSmtp;
  server: TestServer;
  /** Unset without Chromium (the browser tests are skipped then). */
  browser: Browser;
  /** PUBLIC_URL, http://localhost:<port>: mailed links name it, and WebAuthn needs a name, not an IP. */
  origin: string;
  /** A GraphQL client of the page's origin, outside the browser. */
  client(userAgent?: string): TestClient;
}

/**
 * The account page's test bed for one file: an SMTP receiver, a server on a moved clock listening at
 * PUBLIC_URL (with `env` on top of the mail and unlimited settings), and Chromium.
 */
export function accountPageBed(env: Record<string, string> = {}): AccountPageBed {
  const bed = {
    clock: new TestClock(),
    client: (userAgent?: string) => new TestClient(`${bed.origin}/graphql`, userAgent),
  } as AccountPageBed;
  beforeAll(async () => {
    bed.smtp = await TestSmtp.start();
    const port = await freePort();
    bed.origin = `http://localhost:${port}`;
    bed.server = await startServer({
      listen: true,
      port,
      now: bed.clock.now,
      env: { ...mailEnv(bed.smtp), ...UNLIMITED, PUBLIC_URL: bed.origin, ...env },
    });
    if (hasChromium) bed.browser = await launchChromium();
  });
  afterAll(async () => {
    await bed.browser?.close();
    await bed.server?.close();
    await bed.smtp?.stop();
  });
  return bed;
}

/** The view's title. */
export const heading = (page: Page) => page.getByRole('heading', { level: 1 });

/** A form by its accessible name. */
export const formNamed = (page: Page, name: string) => page.getByRole('form', { name });
