import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccount, SIGN_UP } from './support/flows.js';
import { startServer, TEST_SECRET } from './support/server.js';
import { until } from './support/wait.js';

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The server exactly as `npm start` runs it, in its own process, with the production password hasher. */
async function spawnServer() {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'sessiongraph-shutdown-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: 'memory:',
      DATA_DIR: dataDir,
      SESSION_SECRET: TEST_SECRET,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${origin}/ready`).catch(() => null);
    if (ready?.status === 200) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await pause(100);
  }
  return {
    child,
    origin,
    output: () => output,
    cleanup: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const exitOf = (child: ChildProcess) =>
  child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : once(child, 'exit').then(([code]) => code as number | null);

describe('the server process', () => {
  let server: Awaited<ReturnType<typeof spawnServer>>;
  beforeAll(async () => {
    server = await spawnServer();
  }, 90_000);
  afterAll(() => server?.cleanup());

  it('answers /health and /ready once the database is migrated', async () => {
    expect((await fetch(`${server.origin}/health`)).status).toBe(200);
    expect((await fetch(`${server.origin}/ready`)).status).toBe(200);
  });

  it('on SIGTERM stops accepting, finishes the request in flight, then exits 0', { timeout: 60_000 }, async () => {
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
    const result = JSON.parse(text) as { data?: { signUp?: { user: { id: string } } }; errors?: unknown };
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
      expect((await fetch(`${server.origin}/ready`)).status).toBe(503);
      expect((await fetch(`${server.origin}/health`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
