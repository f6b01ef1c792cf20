import { randomBytes } from 'node:crypto';
import { hash as argon2Hash, argon2id, verify as argon2Verify, type HashOptions } from 'argon2';
import PQueue from 'p-queue';
import { rateLimited } from '../errors.js';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password; never throws for a malformed stored hash. */
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the same time as a real verify, for accounts that do not exist. */
  verifyDummy(password: string): Promise<false>;
}

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's minimum for argon2id (m=19 MiB, t=2, p=1). */
export const OWASP_ARGON2: Argon2Params = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export interface HasherLimits {
  /** Hashes computed at once (argon2 runs on libuv's pool; more than the cores only queues there). */
  concurrency: number;
  /** Hashes allowed to wait; beyond it callers are shed at once instead of queueing without bound. */
  queue: number;
}

export function createArgon2Hasher(params: Argon2Params, limits: HasherLimits): PasswordHasher {
  const options: HashOptions = { type: argon2id as HashOptions['type'], ...params };
  const work = new PQueue({ concurrency: limits.concurrency });
  const bounded = <T>(task: () => Promise<T>): Promise<T> => {
    if (work.size >= limits.queue) return Promise.reject(rateLimited(1));
    return work.add(task);
  };
  let dummy: Promise<string> | undefined;

  const verify = (hash: string, password: string) => bounded(() => argon2Verify(hash, password).catch(() => false));

  return {
    hash: (password) => bounded(() => argon2Hash(password, options)),
    verify,
    async verifyDummy(password) {
      // Same parameters as real hashes, so an unknown account costs what a wrong password costs.
      dummy ??= argon2Hash(randomBytes(16).toString('hex'), options);
      await verify(await dummy, password);
      return false;
    },
  };
}
