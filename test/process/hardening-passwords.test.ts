import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, TestClient } from '../support/client.js';
import { newAccount, SIGN_IN, SIGN_UP, signUp, UNLIMITED } from '../support/flows.js';
import { CHANGE_PASSWORD, RESET_PASSWORD } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { spawnServer } from '../support/server-process.js';
import { until } from '../support/wait.js';

/**
 * NIST SP 800-63B's common-password check at sign-up, change and reset; and the bound on argon2 work
 * (PASSWORD_HASH_CONCURRENCY / PASSWORD_HASH_QUEUE) with the real OWASP-strength hasher.
 */

// From zxcvbn-ts's common list, each long enough to pass the length rule.
const COMMON = [
  'password',
  'iloveyou',
  'sunshine',
  'trustno1',
  'Qwertyuiop',
  'PASSWORD1',
  'starwars',
];

describe('common passwords are refused', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: UNLIMITED });
  });
  afterAll(() => server.close());
  const client = () => new TestClient(server);

  it('at sign-up, whatever the letter case, naming the password field and creating nothing', async () => {
    const before = await server.booted.db.prisma.user.count();
    for (const password of COMMON) {
      const response = await client().request(SIGN_UP, { input: newAccount({ password }) });
      expect(response.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'password',
      });
    }
    expect(await server.booted.db.prisma.user.count()).toBe(before);
    // An uncommon password of the same length is fine.
    expect(
      (await client().request(SIGN_UP, { input: newAccount({ password: 'zq8-vole-Kit' }) })).errors,
    ).toBeUndefined();
  });

  it('at changePassword (newPassword), keeping the old password', async () => {
    const c = client();
    const { account } = await signUp(c);
    const response = await c.request(CHANGE_PASSWORD, {
      input: { currentPassword: account.password, newPassword: 'sunshine' },
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'newPassword',
    });
    const again = await client().request(SIGN_IN, {
      input: { name: account.name, password: account.password },
    });
    expect(again.errors).toBeUndefined();
  });

  it('at resetPassword (newPassword), before the code is even looked at', async () => {
    const { account } = await signUp(client());
    const response = await client().request(RESET_PASSWORD, {
      input: { email: account.email, otp: '123456', newPassword: 'iloveyou' },
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'newPassword',
    });
  });
});

describe('argon2 work is bounded (real OWASP hasher, 1 at a time, 2 waiting)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      realHasher: true,
      env: {
        PASSWORD_HASH_CONCURRENCY: '1',
        PASSWORD_HASH_QUEUE: '2',
        RATE_LIMIT_SIGNIN_IP: '1000',
        PASSWORD_HASH_PER_CLIENT: '1000',
      },
    });
  });
  afterAll(() => server.close());
  const signInAs = (name: string, password: string) =>
    new TestClient(server).request(SIGN_IN, { input: { name, password } });

  it('sheds a flood with RATE_LIMITED instead of queueing it, without counting shed attempts as failures', async () => {
    const { account } = await signUp(new TestClient(server));
    // Fewer than the account's 10, so every RATE_LIMITED here is the hash queue's (retryAfter 1).
    const flood = await Promise.all(
      Array.from({ length: 9 }, () => signInAs(account.name, 'wrong-password-flood')),
    );
    const codes = flood.map((r) => errorCode(r));
    const checked = codes.filter((c) => c === 'INVALID_CREDENTIALS').length;
    const shed = flood.filter((r) => errorCode(r) === 'RATE_LIMITED');
    expect(checked + shed.length).toBe(9);
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(shed.length).toBeGreaterThan(0);
    for (const r of shed) expect(r.errors?.[0]?.extensions?.retryAfter).toBe(1);

    // Shed attempts checked no password, so they were given back: the account has 10 - checked failures left.
    for (let i = checked; i < 10; i++)
      expect(errorCode(await signInAs(account.name, 'wrong-password-later'))).toBe(
        'INVALID_CREDENTIALS',
      );
    expect(errorCode(await signInAs(account.name, 'wrong-password-later'))).toBe('RATE_LIMITED');
  });

  it('serves other sign-ins once the flood has passed', async () => {
    const { account } = await signUp(new TestClient(server));
    const response = await signInAs(account.name, account.password);
    expect(response.errors).toBeUndefined();
  });
});

/** A field of /proc/<pid>/task/<tid>/stat (numbered as proc(5) numbers them) per thread, by thread name. */
function threadStat(pid: number, field: number): { name: string; value: number }[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return {
      name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      value: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[field - 3]),
    };
  });
}
const SCHED_OTHER = 0;
const SCHED_IDLE = 5;
/** The scheduling policy of each of libuv's pool threads (where argon2 runs), and of the event loop. */
function policies(pid: number): { pool: number[]; eventLoop: number } {
  const threads = threadStat(pid, 41);
  return {
    pool: threads.filter(({ name }) => name === 'libuv-worker').map(({ value }) => value),
    eventLoop: threads[0]?.value ?? -1,
  };
}
/** Minor page faults of the whole process so far (proc(5) field 10). */
function pageFaults(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]);
}

function transparentHugePages(): string {
  try {
    return readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
  } catch {
    return '';
  }
}

describe.runIf(process.platform === 'linux')(
  "argon2 runs on libuv's pool, in the idle scheduling class (the server as `npm start` runs it)",
  () => {
    it("puts the pool's threads in the idle class before the first hash, and leaves the event loop in the normal one", async () => {
      const server = await spawnServer({ ...UNLIMITED });
      try {
        const pid = server.child.pid as number;
        // Only the class is awaited: the hash itself runs when no other work wants a core, which on a
        // machine busy with other test files may be much later (that is the class).
        void signUp(new TestClient(server)).catch(() => {});
        await until(() => {
          const { pool } = policies(pid);
          return pool.length > 0 && pool.every((policy) => policy === SCHED_IDLE);
        }, 25_000);
        expect(policies(pid).eventLoop).toBe(SCHED_OTHER);
      } finally {
        await server.stop('SIGKILL');
      }
    }, 60_000);

    it('keeps the normal class with PASSWORD_HASH_IDLE_CLASS=false', async () => {
      const server = await spawnServer({ ...UNLIMITED, PASSWORD_HASH_IDLE_CLASS: 'false' });
      try {
        await signUp(new TestClient(server));
        const { pool } = policies(server.child.pid as number);
        expect(pool.length).toBeGreaterThan(0);
        expect(new Set(pool)).toEqual(new Set([SCHED_OTHER]));
      } finally {
        await server.stop('SIGKILL');
      }
    }, 60_000);

    // Where the kernel hands out huge pages on request (the default on Debian).
    it.runIf(/\[(always|madvise)\]/.test(transparentHugePages()))(
      "maps each hash's 19 MiB block in huge pages: a sign-in costs hundreds of page faults, not thousands",
      async () => {
        // The normal class, so that the hashes finish on a busy machine; the pages are the same.
        const server = await spawnServer({ ...UNLIMITED, PASSWORD_HASH_IDLE_CLASS: 'false' });
        try {
          const pid = server.child.pid as number;
          const client = new TestClient(server);
          const { account } = await signUp(client);
          const signIn = async () => {
            const response = await client.request(SIGN_IN, {
              input: { name: account.name, password: account.password },
            });
            expect(response.errors).toBeUndefined();
          };
          await signIn();
          const before = pageFaults(pid);
          for (let i = 0; i < 4; i++) await signIn();
          // `npm start` has malloc map every large block afresh, so that memory goes back after each
          // hash; in 4 KiB pages a block is about 4,900 faults.
          expect((pageFaults(pid) - before) / 4).toBeLessThan(2_000);
        } finally {
          await server.stop('SIGKILL');
        }
      },
      60_000,
    );
  },
);

describe('argon2 sheds what cannot start in time', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      realHasher: true,
      env: { PASSWORD_HASH_MAX_WAIT: '150ms', ...UNLIMITED, LOG_LEVEL: 'error' },
    });
  });
  afterAll(() => server.close());
  const client = () => new TestClient(server);

  it('refuses hashes that could not start within PASSWORD_HASH_MAX_WAIT, at once and without a query', async () => {
    const { account } = await signUp(client());
    // One hash takes tens of milliseconds: of 12 at once, the later ones cannot start within 150 ms.
    const flood = await Promise.all(
      Array.from({ length: 12 }, () =>
        client().request(SIGN_IN, { input: { name: account.name, password: 'wrong-1-a' } }),
      ),
    );
    const codes = flood.map(errorCode);
    expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThan(0);
    expect(codes.filter((code) => code === 'INVALID_CREDENTIALS').length).toBeGreaterThan(0);
    expect(codes.every((code) => code === 'RATE_LIMITED' || code === 'INVALID_CREDENTIALS')).toBe(
      true,
    );
  });
});
