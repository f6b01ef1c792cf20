import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Chromium for the account page's tests: Debian's package (installed by .ci/run with apt, never
 * `playwright install`), pages whose console errors fail the test, axe-core, and screenshots.
 */

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

/** Real browsers' user agents, so the page has device names to show. */
export const USER_AGENTS = {
  chromeMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  firefoxWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
} as const;

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

// Page updates wait on real argon2 and a real database: allow a loaded CI machine its time.
export const eventually = <T>(read: () => Promise<T> | T) =>
  expect.poll(read, { timeout: 15_000, interval: 100 });

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions (a CSP violation included): a test expects none. */
  problems: string[];
}

export async function openPage(
  browser: Browser,
  url: string,
  options: { userAgent?: string; colorScheme?: 'light' | 'dark' } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    userAgent: options.userAgent ?? USER_AGENTS.chromeMac,
    viewport: DESKTOP,
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(url);
  return { context, page, problems };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core with the WCAG 2.1 A and AA rules on what the page shows now; none may fail. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  // Evaluated over the DevTools protocol: page.addScriptTag would add an inline <script>, which the
  // page's own CSP (no 'unsafe-inline') rightly refuses, and bypassCSP would hide our CSP errors.
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(AXE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(...args: unknown[]): Promise<unknown> } }).axe;
    const results = (await axe.run(document, { runOnly: { type: 'tag', values: tags } })) as {
      violations: AxeViolation[];
    };
    return results.violations.map(({ id, help, nodes }) => ({
      id,
      help,
      nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
    }));
  }, WCAG_21_AA);
  expect(violations, `axe on ${what}`).toEqual([]);
}

/** Full-page screenshots at desktop and phone width into test-results/ (gitignored). */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync('test-results', { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  // A modal's backdrop covers the viewport only: a full-page shot would show the page half dimmed.
  const fullPage = (await page.locator('dialog[open]').count()) === 0;
  for (const [width, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({
      path: `test-results/account-page-${name}-${width}.png`,
      fullPage,
    });
  }
  await page.setViewportSize(before);
}

/** The smallest phones in use: the view must fit without sideways scrolling. */
export async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const before = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize({ width: 360, height: 740 });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  await page.setViewportSize(before);
  expect(overflow, `${what} at 360 px`).toBeLessThanOrEqual(0);
}

/** Checks a view for accessibility, that it fits a 360 px phone, and records how it looks. */
export async function inspectView(page: Page, name: string): Promise<void> {
  await expectAccessible(page, name);
  await expectNoSidewaysScroll(page, name);
  await screenshots(page, name);
}

/**
 * A passkey authenticator in the page's browser context (Chromium's CDP virtual authenticator: resident
 * keys, user verification that passes, presence simulated). The page must be at PUBLIC_URL's origin,
 * a localhost name, for WebAuthn to speak for it.
 */
export async function addVirtualAuthenticator(page: Page): Promise<{ remove(): Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    async remove() {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    },
  };
}
