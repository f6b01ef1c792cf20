import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type pg from 'pg';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterStoreAbstract,
} from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { rateLimited } from '../errors.js';

/**
 * The abuse limits of API.md, on rate-limiter-flexible. On PostgreSQL the counters live in the
 * `rate_limits` table (created by a migration), so every instance behind a load balancer shares them;
 * on the embedded database they live in this process's memory.
 *
 * Every guarded attempt takes its point BEFORE the work it guards (the password or code check): the
 * store's increment is atomic (one upsert; one synchronous step in memory), so N parallel guesses get
 * N distinct counts and only the first `limit` of them ever reach the check. Attempts that turn out
 * not to be failures give their point back.
 */

/** A counted attempt whose outcome is not known yet. */
export interface Attempt {
  /** It was not a failure: the IP gets its point back and, for sign-in, the account starts afresh. */
  succeeded(): Promise<void>;
  /** It never reached the check (e.g. shed by the hash queue): every point goes back. */
  cancel(): Promise<void>;
}

export interface Limits {
  /**
   * Counts a sign-in (or current-password) attempt against the account and the client IP; throws
   * RATE_LIMITED when either has used its failures for the window, whatever the password.
   * `account` is the user id, or the normalised name / e-mail when no such user exists.
   */
  signIn(account: string, ip: string | null): Promise<Attempt>;
  /** Counts a sign-up from this IP; throws RATE_LIMITED past the limit. */
  signUp(ip: string | null): Promise<void>;
  /**
   * Counts a recovery mail to this (normalised) address; false once the address had its share for
   * the window: the caller still answers `true` but sends nothing.
   */
  forgetPassword(emailKey: string): Promise<boolean>;
  /** Counts a reset-code check against the IP; throws RATE_LIMITED past the limit. Succeed it on a good code. */
  resetPassword(ip: string | null): Promise<Attempt>;
}

export type LimitStore = { kind: 'memory' } | { kind: 'postgres'; pool: pg.Pool };

export const RATE_LIMIT_TABLE = 'rate_limits';

export function createLimits(limits: Config['limits'], store: LimitStore): Limits {
  let sweeperStarted = false;
  const limiter = (
    keyPrefix: string,
    points: number,
    windowMs: number,
  ): RateLimiterAbstract | RateLimiterStoreAbstract => {
    const duration = Math.max(1, Math.ceil(windowMs / 1000));
    if (store.kind === 'memory') return new RateLimiterMemory({ keyPrefix, points, duration });
    // One sweeper is enough: it deletes every expired row of the shared table, whatever its prefix.
    const clearExpiredByTimeout = !sweeperStarted;
    sweeperStarted = true;
    return new RateLimiterPostgres({
      storeClient: store.pool,
      storeType: 'pool',
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      clearExpiredByTimeout,
      keyPrefix,
      points,
      duration,
    });
  };

  const signInAccount = limiter('signin_account', limits.signInPerAccount, limits.signInWindowMs);
  const signInIp = limiter('signin_ip', limits.signInPerIp, limits.signInWindowMs);
  const signUpIp = limiter('signup_ip', limits.signUpPerIp, limits.signUpWindowMs);
  const forgetAddress = limiter('forget_address', limits.forgotPasswordPerAddress, limits.forgotPasswordWindowMs);
  const resetIp = limiter('reset_ip', limits.resetPerIp, limits.resetWindowMs);

  return {
    async signIn(account, ip) {
      const accountKey = digest(account);
      const ipKey = clientKey(ip);
      const [byAccount, byIp] = await Promise.allSettled([signInAccount.consume(accountKey), signInIp.consume(ipKey)]);
      const refusals = [byAccount, byIp].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (refusals.length) {
        // A refused attempt checks no password, so it is no failure: give back what the other counter took.
        if (byAccount.status === 'fulfilled') await signInAccount.reward(accountKey);
        if (byIp.status === 'fulfilled') await signInIp.reward(ipKey);
        // Both may refuse: the caller should wait for the later of the two.
        const [longest] = [...refusals].sort((a, b) => waitMs(b) - waitMs(a));
        throw refusal(longest);
      }
      return {
        async succeeded() {
          await Promise.all([signInAccount.delete(accountKey), signInIp.reward(ipKey)]);
        },
        async cancel() {
          await Promise.all([signInAccount.reward(accountKey), signInIp.reward(ipKey)]);
        },
      };
    },

    async signUp(ip) {
      await signUpIp.consume(clientKey(ip)).catch((reason: unknown) => {
        throw refusal(reason);
      });
    },

    async forgetPassword(emailKey) {
      try {
        await forgetAddress.consume(digest(emailKey));
        return true;
      } catch (reason) {
        if (reason instanceof RateLimiterRes) return false;
        throw reason;
      }
    },

    async resetPassword(ip) {
      const key = clientKey(ip);
      await resetIp.consume(key).catch((reason: unknown) => {
        throw refusal(reason);
      });
      const giveBack = async () => {
        await resetIp.reward(key);
      };
      return { succeeded: giveBack, cancel: giveBack };
    },
  };
}

/** The store's answer over the limit becomes RATE_LIMITED; a store failure stays an (unexpected) error. */
function refusal(reason: unknown): unknown {
  return reason instanceof RateLimiterRes ? rateLimited(reason.msBeforeNext / 1000) : reason;
}

const waitMs = (reason: unknown) => (reason instanceof RateLimiterRes ? reason.msBeforeNext : Number.POSITIVE_INFINITY);

/** Names and addresses are hashed: the counters table then holds no personal data and fits its key column. */
function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/**
 * The counter key of a client address. An IPv6 client usually holds a whole /64, so it is counted per
 * /64: otherwise rotating through its own addresses would give it fresh counters for free.
 */
export function clientKey(ip: string | null): string {
  if (!ip) return 'unknown';
  const address = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return digest(address);
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.replace(/%.*$/, '').toLowerCase().split('::');
  const parts = (text: string | undefined) => (text ? text.split(':') : []);
  const left = parts(head);
  const right = parts(tail);
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((group) => (group.includes('.') ? group : Number.parseInt(group, 16).toString(16)));
}
