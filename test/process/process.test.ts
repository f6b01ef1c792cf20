import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { TestClient } from '../support/client.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/database.js';
import { signUp } from '../support/flows.js';
import {
  listeningPort,
  outputLines,
  type RunningProcess,
  runServerProcess,
} from '../support/server-process.js';

/** The real process, as `npm start` runs it, with only the environment a user would give it. */

const children: RunningProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of children)
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  for (const cleanup of cleanups) await cleanup();
});
const start = (env: Record<string, string>) => {
  const server = runServerProcess(env);
  children.push(server);
  return server;
};

describe('the server process', () => {
  it.each(databaseKinds)(
    'on %s, keeps users and sessions across a restart (SIGTERM, then start again on the same data)',
    async (kind) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'sessiongraph-process-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      let database: TestDatabase | undefined;
      if (kind === 'postgres') {
        database = await createTestDatabase(kind);
        cleanups.push(() => database!.drop());
      }
      // As a new user runs it: no NODE_ENV, no SESSION_SECRET (the dev secret is generated into DATA_DIR).
      const env = {
        DATA_DIR: dataDir,
        PORT: '0',
        ...(database ? { DATABASE_URL: database.url } : {}),
      };

      const first = start(env);
      const port = await listeningPort(first);
      const c = new TestClient(`http://127.0.0.1:${port}/graphql`);
      const { user, session } = await signUp(c, { keepSignedIn: true });
      const value = c.sessionValue!;

      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      const second = start(env);
      const port2 = await listeningPort(second);
      const after = new TestClient(`http://127.0.0.1:${port2}/graphql`);
      after.jar.set('sessionId', value);
      const res = await after.request(
        graphql(`
        query MeAndSessionIds {
          me {
            id
            name
          }
          sessions {
            id
          }
        }
      `),
      );
      expect(res.errors).toBeUndefined();
      expect(res.data?.me).toEqual({ id: user.id, name: user.name });
      expect(res.data?.sessions.map((s) => s.id)).toEqual([session.id]);

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    },
    120_000,
  );
});

// Configuration is checked before any database is touched, so these need to run once, not per database.
describe.concurrent('start-up failures', () => {
  const base = () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sessiongraph-process-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    return { DATA_DIR: dataDir, PORT: '0', NODE_ENV: 'test' };
  };

  for (const [name, value] of [
    ['PORT', 'abc'],
    ['SESSION_IDLE_TTL', 'soon'],
    ['DATABASE_URL', 'mysql://x'],
    ['COOKIE_SECURE', 'maybe'],
  ] as const) {
    it(`a bad ${name} stops the server with one line naming it`, async () => {
      const server = start({ ...base(), [name]: value });
      const code = await server.exited;
      expect(code).not.toBe(0);
      const out = outputLines(server);
      expect(out).toHaveLength(1);
      expect(out[0]).toContain(name);
    }, 60_000);
  }

  it('NODE_ENV=production without SESSION_SECRET stops the server naming SESSION_SECRET', async () => {
    const server = start({ ...base(), NODE_ENV: 'production' });
    expect(await server.exited).not.toBe(0);
    const out = outputLines(server);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('SESSION_SECRET');
  }, 60_000);

  it('an unreachable database exits non-zero after DB_WAIT, naming the host and never the password', async () => {
    const server = start({
      ...base(),
      DATABASE_URL: 'postgres://user:secretpw@127.0.0.1:1/db',
      DB_WAIT: '2s',
      SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
    });
    // Timed from the first failed attempt, so a slow start of node itself does not count.
    let waitingSince: number | undefined;
    const poll = setInterval(() => {
      if (waitingSince === undefined && /waiting up to/.test(server.output()))
        waitingSince = Date.now();
    }, 50);
    const code = await server.exited;
    clearInterval(poll);
    expect(code).not.toBe(0);
    expect(waitingSince).toBeDefined();
    expect(Date.now() - (waitingSince ?? 0)).toBeLessThan(10_000);
    const out = server.output();
    expect(out).toContain('127.0.0.1');
    expect(out).not.toContain('secretpw');
    // The reason is given too, not just the fact.
    expect(out).toMatch(/Cannot reach .*127\.0\.0\.1.*: \S/);
  }, 60_000);
});
