import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';

/** GraphiQL (on outside production) comes from this server alone, and no other site may frame it. */

const CHROMIUM = '/usr/bin/chromium';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ listen: true });
});
afterAll(() => server?.close());

const page = () => fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });

/** Every URL the page names in src= or href=, and the worker files its start script names. */
async function referencedUrls(html: string): Promise<string[]> {
  const inPage = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] as string);
  const urls = [...inPage];
  for (const script of inPage.filter((url) => url.endsWith('-start.js'))) {
    const text = await (await fetch(new URL(script, server.origin))).text();
    urls.push(...[...text.matchAll(/"(\/assets\/[^"]+)"/g)].map((match) => match[1] as string));
  }
  return urls;
}

describe('GraphiQL', () => {
  it('GET /graphql for a browser serves GraphiQL whose every file comes from this server and answers 200', async () => {
    const response = await page();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    // No other host anywhere in the page: no CDN, and nothing that fails offline.
    expect(html).not.toMatch(/https?:|\/\/[a-z0-9]/i);
    const urls = await referencedUrls(html);
    expect(urls.filter((url) => url.endsWith('.js')).length).toBeGreaterThanOrEqual(5);
    expect(urls.some((url) => url.endsWith('.css'))).toBe(true);
    for (const url of urls) {
      expect(url, url).toMatch(/^\/assets\/graphiql-[\w.-]+$/);
      const asset = await fetch(new URL(url, server.origin));
      expect(asset.status, url).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, url).toBeGreaterThan(0);
    }
  });

  it('the GraphiQL page may not be framed, and its policy allows no inline script, no eval and no other host', async () => {
    const response = await page();
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("frame-ancestors 'none'");
    const directive = (name: string) =>
      policy.split(';').find((part) => part.trim().startsWith(`${name} `));
    expect(directive('script-src')?.trim()).toBe("script-src 'self'");
    expect(directive('connect-src')?.trim()).toBe("connect-src 'self'");
    expect(directive('default-src')?.trim()).toBe("default-src 'none'");
    // No directive names another origin, a scheme that reaches one, or a wildcard.
    const sources = policy.split(';').flatMap((part) => part.trim().split(/\s+/).slice(1));
    expect(sources.filter((source) => !/^('[\w-]+'|data:)$/.test(source))).toEqual([]);
  });

  it.skipIf(!existsSync(CHROMIUM))(
    'in a browser with no other host reachable, GraphiQL runs a query under its policy without a violation',
    async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM });
      try {
        const tab = await browser.newPage();
        const elsewhere: string[] = [];
        const requested: string[] = [];
        await tab.route('**/*', (route) => {
          const url = route.request().url();
          if (!url.startsWith(server.origin)) {
            elsewhere.push(url);
            return route.abort();
          }
          requested.push(new URL(url).pathname);
          return route.continue();
        });
        const violations: string[] = [];
        await tab.exposeFunction('reportViolation', (text: string) => violations.push(text));
        await tab.addInitScript(() =>
          document.addEventListener('securitypolicyviolation', (event) =>
            // biome-ignore lint/suspicious/noExplicitAny: the function exposed above, on the page's window.
            (window as any).reportViolation(`${event.violatedDirective} ${event.blockedURI}`),
          ),
        );

        await tab.goto(server.graphqlUrl);
        await tab
          .locator('.graphiql-query-editor .monaco-editor')
          .first()
          .click({ timeout: 30_000 });
        await tab.keyboard.press('Control+A');
        await tab.keyboard.press('Delete');
        await tab.keyboard.type('{ me { id } }');
        await tab.locator('.graphiql-execute-button').click();
        await expect
          .poll(
            async () => (await tab.locator('.result-window').textContent())?.replace(/\s+/g, ''),
            {
              timeout: 15_000,
            },
          )
          .toContain('{"data":{"me":null}}');

        expect(elsewhere).toEqual([]);
        expect(violations).toEqual([]);
        // Monaco's GraphQL worker, loaded from this server (it is what checks the query as it is typed).
        expect(requested.some((path) => path.endsWith('-graphql.worker.js'))).toBe(true);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
