import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { newAccount, SIGN_UP, UNLIMITED } from '../support/flows.js';
import { type RawRequest, rawRequest, refusalCode } from '../support/raw-http.js';
import { startServer, TEST_SECRET, type TestServer } from '../support/server.js';

/**
 * API.md, Resources and hosts, and Changes to part one: the server answers only to its own host
 * names (ALLOWED_HOSTS, the DNS-rebinding defence), and PUBLIC_URL is its own origin for the Origin
 * check; in production the only one, whatever Host or X-Forwarded-* say.
 */

const PUBLIC_URL = 'http://app.test:8443';
const TYPENAME = JSON.stringify({ query: '{ __typename }' });

const port = (server: TestServer) => new URL(server.origin).port;

/** A JSON POST of `body` to /graphql with these headers (Host among them), as a browser on that name would send it. */
const postAs = (server: TestServer, headers: Record<string, string>, body = TYPENAME) =>
  rawRequest(server.origin, {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('ALLOWED_HOSTS by default: loopback names, HOST and the host of PUBLIC_URL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ listen: true, env: { ...UNLIMITED, PUBLIC_URL } });
  });
  afterAll(() => server.close());

  it('answers Host: evil.example with 421 FORBIDDEN on /graphql and / before any resolver runs', async () => {
    const users = await server.booted.db.prisma.user.count();
    const host = `evil.example:${port(server)}`;
    const signUp = await postAs(
      server,
      { host },
      JSON.stringify({ query: SIGN_UP, variables: { input: newAccount() } }),
    );
    expect(signUp.status).toBe(421);
    expect(refusalCode(signUp)).toBe('FORBIDDEN');
    expect(signUp.setCookies).toEqual([]);
    expect(await server.booted.db.prisma.user.count()).toBe(users);

    const pages: RawRequest[] = [
      { path: '/graphql', headers: { host, accept: 'text/html' } },
      {
        path: `/graphql?query=${encodeURIComponent('{ __typename }')}`,
        headers: { host, accept: 'application/json' },
      },
      { path: '/', headers: { host, accept: 'text/html' } },
    ];
    for (const request of pages) {
      const refused = await rawRequest(server.origin, request);
      expect({ path: request.path, status: refused.status, code: refusalCode(refused) }).toEqual({
        path: request.path,
        status: 421,
        code: 'FORBIDDEN',
      });
    }
  });

  it('serves localhost, 127.0.0.1, [::1] and the host of PUBLIC_URL, with or without a port', async () => {
    const answers: Record<string, number> = {};
    for (const host of [
      'localhost',
      `localhost:${port(server)}`,
      `127.0.0.1:${port(server)}`,
      '[::1]:4000',
      'app.test:8443',
      'APP.test',
    ]) {
      answers[host] = (await postAs(server, { host })).status;
    }
    expect(answers).toEqual({
      localhost: 200,
      [`localhost:${port(server)}`]: 200,
      [`127.0.0.1:${port(server)}`]: 200,
      '[::1]:4000': 200,
      'app.test:8443': 200,
      'APP.test': 200,
    });
    // Not a host name at all: refused, whatever it starts with.
    expect((await postAs(server, { host: 'localhost@evil.example' })).status).toBe(421);
    expect((await postAs(server, { host: 'localhost.evil.example' })).status).toBe(421);
  });

  it('leaves /health and /ready open to any Host: orchestrators probe with the pod IP', async () => {
    const host = `10.1.2.3:${port(server)}`;
    expect((await rawRequest(server.origin, { path: '/health', headers: { host } })).status).toBe(
      200,
    );
    expect((await rawRequest(server.origin, { path: '/ready', headers: { host } })).status).toBe(
      200,
    );
    expect((await postAs(server, { host })).status).toBe(421);
  });

  it('accepts PUBLIC_URL’s origin as its own besides the one the request was addressed to', async () => {
    const own = `http://127.0.0.1:${port(server)}`;
    const fromPublic = await postAs(server, {
      host: `127.0.0.1:${port(server)}`,
      origin: PUBLIC_URL,
    });
    expect(fromPublic.status).toBe(200);
    const fromAddressed = await postAs(server, { host: `127.0.0.1:${port(server)}`, origin: own });
    expect(fromAddressed.status).toBe(200);
    const foreign = await postAs(server, {
      host: `127.0.0.1:${port(server)}`,
      origin: 'http://app.test:9999',
    });
    expect(foreign.status).toBe(403);
  });
});

describe('ALLOWED_HOSTS set', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ listen: true, env: { ...UNLIMITED, ALLOWED_HOSTS: 'app.test' } });
  });
  afterAll(() => server.close());

  it('serves exactly the names listed: app.test, and no longer 127.0.0.1', async () => {
    expect((await postAs(server, { host: `app.test:${port(server)}` })).status).toBe(200);
    const loopback = await postAs(server, { host: `127.0.0.1:${port(server)}` });
    expect(loopback.status).toBe(421);
    expect(refusalCode(loopback)).toBe('FORBIDDEN');
  });
});

describe('TRUST_PROXY=true', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      listen: true,
      env: { ...UNLIMITED, ALLOWED_HOSTS: 'app.test', TRUST_PROXY: 'true' },
    });
  });
  afterAll(() => server.close());

  it('checks the X-Forwarded-Host the proxy sets, not the Host it connected with', async () => {
    const upstream = `127.0.0.1:${port(server)}`;
    expect((await postAs(server, { host: upstream, 'x-forwarded-host': 'app.test' })).status).toBe(
      200,
    );
    expect(
      (await postAs(server, { host: 'app.test', 'x-forwarded-host': 'evil.example' })).status,
    ).toBe(421);
    // Without the header, Host is what the client asked for.
    expect((await postAs(server, { host: upstream })).status).toBe(421);
  });
});

describe('NODE_ENV=production: PUBLIC_URL is the server’s own origin', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      listen: true,
      env: {
        ...UNLIMITED,
        NODE_ENV: 'production',
        COOKIE_SECURE: 'false',
        PUBLIC_URL,
        // 127.0.0.1 too, so the Host check lets these requests through to the Origin check.
        ALLOWED_HOSTS: 'app.test,127.0.0.1',
      },
    });
  });
  afterAll(() => server.close());

  it('runs a POST whose Origin is PUBLIC_URL’s, whatever Host it came with', async () => {
    const response = await postAs(server, {
      host: `127.0.0.1:${port(server)}`,
      origin: PUBLIC_URL,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses with 403 an Origin that only matches the Host or X-Forwarded-* of the request', async () => {
    const addressed = await postAs(server, {
      host: `127.0.0.1:${port(server)}`,
      origin: `http://127.0.0.1:${port(server)}`,
    });
    expect(addressed.status).toBe(403);
    expect(refusalCode(addressed)).toBe('FORBIDDEN');
  });
});

describe('configuration of PUBLIC_URL and ALLOWED_HOSTS', () => {
  const production = { NODE_ENV: 'production', SESSION_SECRET: TEST_SECRET };

  it('production requires PUBLIC_URL, and https unless COOKIE_SECURE=false', () => {
    expect(() => loadConfig(production)).toThrow(/^Invalid PUBLIC_URL: required/);
    expect(() => loadConfig({ ...production, PUBLIC_URL: 'http://app.example.com' })).toThrow(
      /^Invalid PUBLIC_URL: must be https/,
    );
    expect(() => loadConfig({ ...production, PUBLIC_URL: 'not a url' })).toThrow(
      /^Invalid PUBLIC_URL/,
    );
    expect(() => loadConfig({ ...production, PUBLIC_URL: 'ftp://app.example.com' })).toThrow(
      /^Invalid PUBLIC_URL/,
    );
    expect(
      loadConfig({ ...production, PUBLIC_URL: 'http://app.example.com', COOKIE_SECURE: 'false' })
        .publicUrl.href,
    ).toBe('http://app.example.com/');
  });

  it('production answers only to the host of PUBLIC_URL; elsewhere loopback names, HOST and that host', () => {
    expect(
      loadConfig({ ...production, PUBLIC_URL: 'https://Auth.Example.com:8443/app' }).http
        .allowedHosts,
    ).toEqual(['auth.example.com']);
    expect(loadConfig({ SESSION_SECRET: TEST_SECRET, PORT: '4100' }).publicUrl.href).toBe(
      'http://localhost:4100/',
    );
    expect(
      loadConfig({ SESSION_SECRET: TEST_SECRET, HOST: 'Dev.Box' }).http.allowedHosts.sort(),
    ).toEqual(['127.0.0.1', '[::1]', 'dev.box', 'localhost'].sort());
  });

  it('writes IPv6 names bracketed, as Host carries them, and refuses a name with a port', () => {
    expect(loadConfig({ SESSION_SECRET: TEST_SECRET, HOST: '::1' }).http.allowedHosts).toContain(
      '[::1]',
    );
    expect(
      loadConfig({ SESSION_SECRET: TEST_SECRET, ALLOWED_HOSTS: 'App.Test, ::1' }).http.allowedHosts,
    ).toEqual(['app.test', '[::1]']);
    expect(() =>
      loadConfig({ SESSION_SECRET: TEST_SECRET, ALLOWED_HOSTS: 'app.test:8080' }),
    ).toThrow(/^Invalid ALLOWED_HOSTS/);
    expect(() => loadConfig({ SESSION_SECRET: TEST_SECRET, ALLOWED_HOSTS: '[::1]:4000' })).toThrow(
      /^Invalid ALLOWED_HOSTS/,
    );
  });
});
