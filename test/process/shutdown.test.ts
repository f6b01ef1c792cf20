import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccount, SIGN_UP } from '../support/flows.js';
import { startServer } from '../support/server.js';
import { type ServerProcess, spawnServer } from '../support/server-process.js';
import { until } from '../support/wait.js';

/**
 * The server exactly as `npm start` runs it, in its own process, with the production password hasher.
 * SHUTDOWN_TIMEOUT is long so that the request held open below is finished, not cut, however slow the
 * machine is between the signal and the rest of its body.
 */
const startServerProcess = () =>
  spawnServer({
    NODE_ENV: 'test',
    DATABASE_URL: 'memory:',
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT: '10m',
  });

const exitOf = (child: ChildProcess) =>
  child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : once(child, 'exit').then(([code]) => code as number | null);

describe('the server process', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  }, 90_000);
  afterAll(() => server?.stop('SIGKILL'));

  it('answers /health and /ready once the database is migrated', async () => {
    expect((await fetch(`${server.origin}/health`)).status).toBe(200);
    expect((await fetch(`${server.origin}/ready`)).status).toBe(200);
  });

  it('on SIGTERM stops accepting, finishes the request in flight, then exits 0', {
    timeout: 60_000,
  }, async () => {
    const body = JSON.stringify({ query: SIGN_UP, variables: { input: newAccount() } });
    const url = new URL(`${server.origin}/graphql`);

    // The request is held open mid-body, so it is certainly in flight when the signal arrives; the
    // server's 100 Continue proves it has read the headers (an unparsed connection would count as idle).
    const pending = request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      pending.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      pending.on('error', reject);
    });
    pending.flushHeaders();
    await once(pending, 'continue');
    const half = Math.floor(body.length / 2);
    pending.write(body.slice(0, half));

    server.child.kill('SIGTERM');
    // No longer accepting: new connections are refused while the old request is still open.
    await until(
      () =>
        fetch(`${server.origin}/health`).then(
          () => false,
          () => true,
        ),
      20_000,
      50,
    );
    expect(server.child.exitCode).toBeNull();

    pending.end(body.slice(half));
    const { status, text } = await answered;
    expect(status).toBe(200);
    const result = JSON.parse(text) as {
      data?: { signUp?: { user: { id: string } } };
      errors?: unknown;
    };
    expect(result.errors).toBeUndefined();
    expect(result.data?.signUp?.user.id).toBeTruthy();
    expect(await exitOf(server.child)).toBe(0);
    expect(server.output()).toContain('stopped');
  });
});

describe('/ready', () => {
  it('answers 503 while migrations are not applied, though /health answers 200', async () => {
    const server = await startServer({ env: { MIGRATE_ON_START: 'false' } });
    try {
      expect((await server.fetch(`${server.origin}/ready`)).status).toBe(503);
      expect((await server.fetch(`${server.origin}/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
