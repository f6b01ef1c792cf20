import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_PAGE_CSP } from '../../src/http/account-page.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ listen: true });
});
afterAll(() => server?.close());

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

// The page itself, walked in Chromium view by view: account-page.test.ts (and -lifecycle for part two).
