import { randomBytes } from 'node:crypto';
import { hash as argon2Hash, argon2id, verify as argon2Verify, type HashOptions } from 'argon2';
import PQueue from 'p-queue';
import { rateLimited } from '../../../errors.js';
import { idlePoolThreads } from './pool-priority.js';

/**
 * `client` (the caller's IP, null when unknown) is who a hash is for: no client may hold more than its
 * share of the hasher, or one address sending correct sign-ins as fast as it can would queue out everyone.
 */
export interface PasswordHasher {
  /**
   * Throws RATE_LIMITED at once when a hash could not start in time, or when this client already has
   * its share waiting or running; callers check before other work. `owner`: see `verify`.
   */
  admit(client: string | null, owner?: boolean): void;
  hash(password: string, client: string | null): Promise<string>;
  /**
   * False for a wrong password; never throws for a malformed stored hash. `owner`: the account's own
   * browser (a device cookie of this account) goes ahead of everyone else's hashes, so that a flood of
   * sign-ins from many addresses, which fills the queue for strangers, does not refuse its owner.
   */
  verify(hash: string, password: string, client: string | null, owner?: boolean): Promise<boolean>;
  /** Spends the same time as a real verify, for accounts that do not exist. */
  verifyDummy(password: string, client: string | null): Promise<false>;
}

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's minimum for argon2id (m=19 MiB, t=2, p=1). */
export const OWASP_ARGON2: Argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export interface HasherLimits {
  /** Hashes computed at once. */
  concurrency: number;
  /** Hashes allowed to wait at most; beyond it callers are shed at once instead of queueing without bound. */
  queue: number;
  /** Hashes one client may have waiting or running at once. */
  perClient: number;
  /** A hash that would start later than this is refused (RATE_LIMITED) rather than left to queue. */
  maxWaitMs: number;
  /**
   * Linux: libuv's pool threads, where argon2 runs, go to the idle scheduling class before the first
   * hash (pool-priority.ts), so hashes take only the CPU that requests leave.
   */
  idleClass: boolean;
}

/** argon2 on libuv's pool; with `idleClass`, once the pool's threads are in the idle class. */
function argon2Runner(idleClass: boolean) {
  let ready: Promise<unknown> | undefined;
  const prepared = () => {
    // Best effort: a pool that could not be moved hashes at normal priority, never not at all.
    if (idleClass) ready ??= idlePoolThreads().catch(() => {});
    return ready;
  };
  return {
    async hash(password: string, options: HashOptions): Promise<string> {
      await prepared();
      return argon2Hash(password, options);
    },
    async verify(hash: string, password: string): Promise<boolean> {
      await prepared();
      return argon2Verify(hash, password).catch(() => false);
    },
  };
}

export function createArgon2Hasher(params: Argon2Params, limits: HasherLimits): PasswordHasher {
  const options: HashOptions = { type: argon2id as HashOptions['type'], ...params };
  const runner = argon2Runner(limits.idleClass);
  const work = new PQueue({ concurrency: limits.concurrency });
  // A moving average of one hash, as it runs here and now (an idle-class hash slows down when the CPU is busy).
  let averageMs = 0;
  const expectedWaitMs = () => ((work.size + work.pending) / limits.concurrency) * averageMs;

  // Waiting and running hashes per client; a client leaves the map with its last hash.
  const held = new Map<string, number>();
  // Owners' hashes waiting: they skip the queue, so they have a bound of their own.
  let ownersWaiting = 0;
  const admit = (client: string | null, owner = false) => {
    const full = owner
      ? ownersWaiting >= limits.queue
      : work.size >= limits.queue || expectedWaitMs() > limits.maxWaitMs;
    if (full) throw rateLimited(1);
    if ((held.get(client ?? '') ?? 0) >= limits.perClient) throw rateLimited(1);
  };
  const bounded = async <T>(
    client: string | null,
    task: () => Promise<T>,
    owner = false,
  ): Promise<T> => {
    admit(client, owner);
    const key = client ?? '';
    held.set(key, (held.get(key) ?? 0) + 1);
    const queuedAt = performance.now();
    if (owner) ownersWaiting++;
    try {
      return await work.add(
        async () => {
          if (owner) ownersWaiting--;
          // The estimate can be wrong (a burst of slow hashes): nobody waits much past the limit anyway.
          if (performance.now() - queuedAt > limits.maxWaitMs) throw rateLimited(1);
          const started = performance.now();
          try {
            return await task();
          } finally {
            const took = performance.now() - started;
            averageMs = averageMs === 0 ? took : averageMs * 0.8 + took * 0.2;
          }
        },
        { priority: owner ? 1 : 0 },
      );
    } finally {
      const left = (held.get(key) ?? 1) - 1;
      if (left > 0) held.set(key, left);
      else held.delete(key);
    }
  };
  let dummy: Promise<string> | undefined;
  const verify = (hash: string, password: string, client: string | null, owner = false) =>
    bounded(client, () => runner.verify(hash, password), owner);

  return {
    admit,
    hash: (password, client) => bounded(client, () => runner.hash(password, options)),
    verify,
    async verifyDummy(password, client) {
      // Same parameters as real hashes, so an unknown account costs what a wrong password costs.
      dummy ??= runner.hash(randomBytes(16).toString('hex'), options).catch((error: unknown) => {
        dummy = undefined;
        throw error;
      });
      await verify(await dummy, password, client);
      return false;
    },
  };
}
