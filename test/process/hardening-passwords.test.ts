import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, TestClient } from '../support/client.js';
import { newAccount, SIGN_IN, SIGN_UP, signUp, UNLIMITED } from '../support/flows.js';
import { CHANGE_PASSWORD, RESET_PASSWORD } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
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
        // About the queue, not the priority: in the idle class a busy machine would run no hash at all.
        PASSWORD_HASH_IDLE_CLASS: 'false',
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

/** The hash processes this test process started (in-process test servers fork them from here). */
function hashWorkers(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return (
          ppid === process.pid &&
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('hash-worker')
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** A field of /proc/<pid>/task/<tid>/stat (numbered as proc(5) numbers them) for each thread of a process. */
function threadStat(pid: number, field: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[field - 3]);
  });
}
const threadNices = (pid: number) => threadStat(pid, 19);
const SCHED_OTHER = 0;
const SCHED_IDLE = 5;
const threadPolicies = (pid: number) => threadStat(pid, 41);

function transparentHugePages(): string {
  try {
    return readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
  } catch {
    return '';
  }
}

describe.runIf(process.platform === 'linux')(
  'argon2 runs in a child process at low priority',
  () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({
        realHasher: true,
        env: {
          PASSWORD_HASH_NICE: '7',
          PASSWORD_HASH_MAX_WAIT: '150ms',
          // As `npm start` sets it: every large block is mapped afresh, and given back after each hash.
          MALLOC_MMAP_THRESHOLD_: '131072',
          // The tests of this server need hashes to finish on a machine busy with other test files,
          // which the idle class would not allow; the first test checks the class on a server of its own.
          PASSWORD_HASH_IDLE_CLASS: 'false',
          ...UNLIMITED,
          LOG_LEVEL: 'error',
        },
      });
    });
    afterAll(() => server.close());
    const client = () => new TestClient(server);

    it('hashes in a child process at the configured lower priority, in the idle scheduling class', async () => {
      const idle = await startServer({
        realHasher: true,
        env: { PASSWORD_HASH_NICE: '7', ...UNLIMITED, LOG_LEVEL: 'error' },
      });
      const before = hashWorkers();
      let started: number[] = [];
      try {
        // Only the hash process's start is awaited: the hash itself runs when no other work wants a
        // core, which on a machine busy with other test files may be long after (that is the class).
        void signUp(new TestClient(idle)).catch(() => {});
        await until(() => {
          started = hashWorkers().filter((pid) => !before.includes(pid));
          return started.length === 1;
        }, 25_000);
        const pid = started[0] as number;
        // Set by chrt before node starts, so every thread has it from its first instruction.
        expect(new Set(threadPolicies(pid))).toEqual(new Set([SCHED_IDLE]));
        // Every thread, not just the main one (argon2 runs on libuv's pool threads): the child renices
        // them itself as it starts.
        const niced = getPriority(process.pid) + 7;
        await until(() => threadNices(pid).every((nice) => nice === niced), 25_000);
        expect(new Set(threadNices(pid))).toEqual(new Set([niced]));
      } finally {
        await idle.close();
        await until(() => started.every((pid) => !hashWorkers().includes(pid)));
      }
    }, 60_000);

    it('keeps the normal class with PASSWORD_HASH_IDLE_CLASS=false', async () => {
      const plain = await startServer({
        realHasher: true,
        env: {
          PASSWORD_HASH_NICE: '7',
          PASSWORD_HASH_IDLE_CLASS: 'false',
          ...UNLIMITED,
          LOG_LEVEL: 'error',
        },
      });
      const before = hashWorkers();
      const started: number[] = [];
      try {
        await signUp(new TestClient(plain));
        started.push(...hashWorkers().filter((pid) => !before.includes(pid)));
        expect(started).toHaveLength(1);
        expect(new Set(threadPolicies(started[0] as number))).toEqual(new Set([SCHED_OTHER]));
        expect(new Set(threadNices(started[0] as number))).toEqual(
          new Set([getPriority(process.pid) + 7]),
        );
      } finally {
        await plain.close();
        // Gone before the tests below count this server's hash processes.
        await until(() => started.every((pid) => !hashWorkers().includes(pid)), 20_000);
      }
    });

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

    // Where the kernel hands out huge pages on request (the default on Debian).
    it.runIf(/\[(always|madvise)\]/.test(transparentHugePages()))(
      "maps each hash's 19 MiB block in huge pages: a sign-in costs the hash process hundreds of page faults, not thousands",
      async () => {
        const { account } = await signUp(client());
        const [pid] = hashWorkers();
        const faults = () => {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[7]); // minflt
        };
        const before = faults();
        for (let i = 0; i < 4; i++) {
          const response = await client().request(SIGN_IN, {
            input: { name: account.name, password: account.password },
          });
          expect(response.errors).toBeUndefined();
        }
        // In 4 KiB pages a block is about 4,900 faults (measured: 5,000 a hash under `npm start`).
        expect((faults() - before) / 4).toBeLessThan(2_000);
      },
    );

    it('survives the hash process being killed: the next sign-in starts a new one', async () => {
      const { account } = await signUp(client());
      const [pid] = hashWorkers();
      expect(pid).toBeDefined();
      process.kill(pid as number, 'SIGKILL');
      await until(() => !hashWorkers().includes(pid as number));
      const response = await client().request(SIGN_IN, {
        input: { name: account.name, password: account.password },
      });
      expect(response.errors).toBeUndefined();
      expect(hashWorkers()).toHaveLength(1);
    });
  },
);
