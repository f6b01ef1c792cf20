import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { postgresAvailable } from '../support/database.js';
import { SIGN_IN, signUp } from '../support/flows.js';
import {
  listeningPort,
  outputLines,
  type RunningProcess,
  runServerProcess,
} from '../support/server-process.js';

/**
 * Start-up failures a person causes and fixes outside the code (a second server on the same data, a
 * taken port, a wrong password): the real process, as `npm start` runs it, exits non-zero with one line
 * that names what to change, and no stack trace.
 */

const STACK_FRAME = /^\s+at /m;

const children: RunningProcess[] = [];
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of children)
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  for (const cleanup of cleanups) cleanup();
});
const start = (env: Record<string, string>) => {
  const server = runServerProcess(env);
  children.push(server);
  return server;
};
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'sessiongraph-startup-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

/** The exit code, or a failure naming what the process printed when it has not exited within `ms`. */
async function exitWithin(server: RunningProcess, ms: number): Promise<number | string> {
  const late = sleep(ms).then(() => {
    throw new Error(`still running after ${ms} ms:\n${server.output()}`);
  });
  return Promise.race([server.exited, late]);
}

// The embedded database (its DATA_DIR lock) and the port.
describe('a second server, or a taken port', () => {
  it('a second server on the same DATA_DIR exits non-zero with one line naming the directory and the pid that holds it; the first keeps serving', async () => {
    const dataDir = newDataDir();
    const first = start({ DATA_DIR: dataDir, PORT: '0' });
    const port = await listeningPort(first);
    const url = `http://127.0.0.1:${port}/graphql`;
    await signUp(new TestClient(url));

    const second = start({ DATA_DIR: dataDir, PORT: '0' });
    expect(await exitWithin(second, 30_000)).not.toBe(0);
    const failure = outputLines(second).filter((line) => line.includes(dataDir));
    expect(failure).toHaveLength(1);
    expect(failure[0]).toContain(`pid ${first.child.pid}`);
    expect(second.output()).not.toMatch(STACK_FRAME);

    expect(first.child.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
    await signUp(new TestClient(url));

    // Released on shutdown: once the first has stopped, the directory opens again.
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const third = start({ DATA_DIR: dataDir, PORT: '0' });
    await listeningPort(third);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 120_000);

  it('after the holder was killed with SIGKILL, a new server on the same DATA_DIR waits out the stale lock and serves the same data', async () => {
    const dataDir = newDataDir();
    const first = start({ DATA_DIR: dataDir, PORT: '0' });
    const url = `http://127.0.0.1:${await listeningPort(first)}/graphql`;
    const { account } = await signUp(new TestClient(url));
    await fetch(`${url.replace('/graphql', '/ready')}`);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = start({ DATA_DIR: dataDir, PORT: '0' });
    const port = await listeningPort(second);
    const ready = async () => (await fetch(`http://127.0.0.1:${port}/ready`)).status === 200;
    const deadline = Date.now() + 60_000;
    while (!(await ready().catch(() => false))) {
      expect(second.child.exitCode, second.output()).toBeNull();
      expect(Date.now()).toBeLessThan(deadline);
      await sleep(200);
    }
    const again = new TestClient(`http://127.0.0.1:${port}/graphql`);
    const signedIn = await again.request(SIGN_IN, {
      input: { name: account.name, password: account.password },
    });
    expect(signedIn.data?.signIn.user.name).toBe(account.name);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);

  it('a PORT that is taken stops the server with one line naming PORT and HOST:port', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const server = start({ DATA_DIR: newDataDir(), HOST: '127.0.0.1', PORT: String(port) });
      expect(await exitWithin(server, 30_000)).not.toBe(0);
      const out = outputLines(server);
      expect(out).toHaveLength(1);
      expect(out[0]).toContain(`PORT ${port}`);
      expect(out[0]).toContain(`127.0.0.1:${port}`);
      expect(server.output()).not.toMatch(STACK_FRAME);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  }, 60_000);
});

describe.runIf(postgresAvailable)(
  'a wrong database password (needs PostgreSQL: skipped without TEST_DATABASE_URL)',
  () => {
    it('exits at once, long before DB_WAIT, with one line naming DATABASE_URL and never the password', async () => {
      const url = new URL(process.env.TEST_DATABASE_URL ?? '');
      url.password = 'not-the-password-7f3a';
      const server = start({
        DATA_DIR: newDataDir(),
        PORT: '0',
        DATABASE_URL: url.toString(),
        DB_WAIT: '10m',
      });
      // Ten minutes of DB_WAIT: a server that waits it out fails here.
      expect(await exitWithin(server, 60_000)).not.toBe(0);
      const failure = outputLines(server).filter((line) => line.includes('DATABASE_URL'));
      expect(failure).toHaveLength(1);
      expect(failure[0]).toMatch(/authentication failed/);
      expect(server.output()).not.toContain('not-the-password-7f3a');
      expect(server.output()).not.toMatch(STACK_FRAME);
    }, 90_000);
  },
);
