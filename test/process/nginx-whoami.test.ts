import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { TestClock } from '../support/clock.js';
import { createTestDatabase, databaseKinds } from '../support/database.js';
import { signUp, UNLIMITED } from '../support/flows.js';
import { LOGOUT } from '../support/operations.js';
import { freePort } from '../support/ports.js';
import { startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

/**
 * examples/nginx/sessiongraph.conf, exactly as shipped but for its ports, run by Debian's nginx in front
 * of a tiny application that echoes the headers it gets, with sessiongraph behind a recorder of the
 * headers it gets: forward-auth through GET /whoami, and no client-sent X-User-* / X-Session-* header
 * ever reaching either, on any location.
 */

const EXAMPLE = new URL('../../examples/nginx/sessiongraph.conf', import.meta.url);
const NGINX = '/usr/sbin/nginx';
const SPOOFED = {
  'X-User-Id': '00000000-0000-4000-8000-000000000000',
  'X-User-Role': 'ADMIN',
  'X-User-Auth-Time': '9999999999',
  'X-Session-Id': '00000000-0000-4000-8000-000000000001',
};
const IDENTITY_HEADERS = ['x-user-id', 'x-user-role', 'x-user-auth-time', 'x-session-id'];

/** Replaces exactly one occurrence, so the test fails when the example changes shape under it. */
function replaceOnce(text: string, from: string, to: string): string {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`expected "${from}" once in the example`);
  return parts.join(to);
}

/** A node:http server on a free loopback port. */
async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request with headers as given, repeated ones included (fetch would join them). */
function send(
  port: number,
  path: string,
  headers: OutgoingHttpHeaders = {},
  method = 'GET',
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(databaseKinds)('nginx auth_request with GET /whoami (%s)', (kind) => {
  const clock = new TestClock();
  let server: TestServer;
  let nginx: ChildProcess;
  let nginxLog = '';
  let prefix: string;
  let port: number;
  const recorder = createServer();
  const application = createServer();
  /** Headers of every request sessiongraph received through nginx, and of every one the application did. */
  const toSessiongraph: IncomingHttpHeaders[] = [];
  const toApplication: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = await startServer({
      database: await createTestDatabase(kind),
      listen: true,
      now: clock.now,
      env: { ...UNLIMITED, TRUST_PROXY: 'true', SESSION_REMEMBER_TTL: '1h' },
    });
    // On PostgreSQL a revoke reaches the cache over LISTEN: wait until it listens.
    await until(() => server.booted.app.services.sessions.cache.isTrusted, 10_000);
    const target = new URL(server.origin);

    recorder.on('request', (req, res) => {
      toSessiongraph.push(req.headers);
      const forward = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    application.on('request', (req, res) => {
      toApplication.push(req.headers);
      const body = JSON.stringify({ path: req.url, headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const [recorderPort, applicationPort] = [await listen(recorder), await listen(application)];

    port = await freePort();
    prefix = mkdtempSync(join(tmpdir(), 'sg-nginx-'));
    let site = readFileSync(EXAMPLE, 'utf8');
    site = replaceOnce(site, 'listen 80;', `listen 127.0.0.1:${port};`);
    site = replaceOnce(site, 'server 127.0.0.1:4000;', `server 127.0.0.1:${recorderPort};`);
    site = replaceOnce(site, 'server 127.0.0.1:8080;', `server 127.0.0.1:${applicationPort};`);
    writeFileSync(join(prefix, 'sessiongraph.conf'), site);
    for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(prefix, dir));
    // What a packaged nginx.conf gives the site file, with every path in the test's own directory.
    writeFileSync(
      join(prefix, 'nginx.conf'),
      `worker_processes 1;
error_log stderr warn;
pid ${prefix}/nginx.pid;
events { worker_connections 128; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  include ${prefix}/sessiongraph.conf;
}
`,
    );
    nginx = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    nginx.stderr?.on('data', (chunk: Buffer) => {
      nginxLog += chunk.toString();
    });
    await until(
      async () => {
        if (nginx.exitCode !== null) throw new Error(`nginx exited: ${nginxLog}`);
        return send(port, '/graphql').then(
          () => true,
          () => false,
        );
      },
      10_000,
      20,
    );
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await Promise.all([close(recorder), close(application)]);
    await server?.close();
    if (prefix) rmSync(prefix, { recursive: true, force: true });
  });

  /** A browser-like client that signs up through nginx, so its cookie is the proxied host's. */
  async function signedIn(keepSignedIn = false) {
    const client = new TestClient(`http://127.0.0.1:${port}/graphql`);
    const { user, session } = await signUp(client, { keepSignedIn });
    return { client, user, session, cookie: `sessionId=${client.sessionValue}` };
  }

  const echoed = (answer: Answer) =>
    (JSON.parse(answer.body) as { headers: IncomingHttpHeaders }).headers;

  it('lets a live session through and tells the application who it is', async () => {
    const { user, session, cookie } = await signedIn();
    const answer = await send(port, '/reports?year=2024', { cookie });
    expect(answer.status).toBe(200);
    const headers = echoed(answer);
    expect(headers['x-user-id']).toBe(user.id);
    expect(headers['x-user-role']).toBe('USER');
    expect(headers['x-session-id']).toBe(session.id);
    expect(headers['x-user-auth-time']).toBe(
      String(Math.floor(Date.parse(session.createdAt) / 1000)),
    );
    expect((JSON.parse(answer.body) as { path: string }).path).toBe('/reports?year=2024');
  });

  it('answers 401 without a session, or with a forged one, and the application sees nothing', async () => {
    const before = toApplication.length;
    expect((await send(port, '/reports')).status).toBe(401);
    expect((await send(port, '/reports', { cookie: 'sessionId=forged.value' })).status).toBe(401);
    expect((await send(port, '/reports', { authorization: 'Bearer forged.value' })).status).toBe(
      401,
    );
    expect(toApplication.length).toBe(before);
  });

  it('refuses a session at once after it is logged out', async () => {
    const { client, cookie } = await signedIn();
    expect((await send(port, '/reports', { cookie })).status).toBe(200);
    expect((await client.request(LOGOUT)).data?.logout).toBe(true);
    expect((await send(port, '/reports', { cookie })).status).toBe(401);
  });

  it('never passes a client-sent X-User-*/X-Session-* header to the application, with a session or without', async () => {
    const { user, session, cookie } = await signedIn();
    const spoofedTwice = Object.fromEntries(
      Object.entries(SPOOFED).map(([name, value]) => [name, [value, value]]),
    );
    for (const spoof of [SPOOFED, spoofedTwice]) {
      const withSession = echoed(await send(port, '/reports', { cookie, ...spoof }));
      expect(withSession['x-user-id']).toBe(user.id);
      expect(withSession['x-session-id']).toBe(session.id);
      expect(withSession['x-user-role']).toBe('USER');
      expect(withSession['x-user-auth-time']).toBe(
        String(Math.floor(Date.parse(session.createdAt) / 1000)),
      );

      const before = toApplication.length;
      expect((await send(port, '/reports', spoof)).status).toBe(401);
      expect(toApplication.length).toBe(before);
    }
  });

  it('clears them on every location: sessiongraph never receives one, in the auth check or its API', async () => {
    const { cookie } = await signedIn();
    toSessiongraph.length = 0;
    await send(port, '/reports', { cookie, ...SPOOFED });
    await send(port, '/reports', SPOOFED);
    await send(port, '/v1/users', { cookie, ...SPOOFED });
    await send(
      port,
      '/graphql',
      { cookie, ...SPOOFED, 'content-type': 'application/json' },
      'POST',
      JSON.stringify({ query: '{ me { id } }' }),
    );
    // Two checks (/_whoami), /v1/users and /graphql.
    expect(toSessiongraph.length).toBe(4);
    for (const headers of toSessiongraph)
      for (const name of IDENTITY_HEADERS) expect(headers[name]).toBeUndefined();
    // And no client can call the check's location itself.
    expect((await send(port, '/_whoami', { cookie })).status).toBe(404);
  });

  it('passes on the cookie /whoami re-sends when a persistent session slides', async () => {
    const { cookie, client } = await signedIn(true);
    clock.advance(31 * 60_000);
    const answer = await send(port, '/reports', { cookie });
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']).toEqual([
      expect.stringMatching(
        new RegExp(`^sessionId=${client.sessionValue?.replace(/\./g, '\\.')};.*Max-Age=3600`),
      ),
    ]);
  });
});
