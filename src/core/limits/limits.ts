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
import type { Config } from '../../config.js';
import { rateLimited } from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

/**
 * The abuse limits of API.md, on rate-limiter-flexible. On PostgreSQL the counters live in the
 * `rate_limits` table (created by a migration), so every instance behind a load balancer shares them;
 * on the embedded database they live in this process's memory (except the notice counters, which are
 * written in the transaction that enqueues the notice, in that table on either database).
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
   * `account` is the identifier as given (normalised name or e-mail, whether or not such a user
   * exists), or the user id for a current-password check. With `device` (the nonce of a valid device
   * cookie for this very account) the failures count against that browser instead of the account.
   */
  signIn(account: string, ip: string | null, device?: string): Promise<Attempt>;
  /** Counts a sign-up from this IP; throws RATE_LIMITED past the limit. */
  signUp(ip: string | null): Promise<void>;
  /**
   * Counts a recovery mail to this (normalised) address; false once the address had its share for
   * the window: the caller still answers `true` but sends nothing.
   */
  forgetPassword(emailKey: string): Promise<boolean>;
  /** Counts a reset-code check against the IP; throws RATE_LIMITED past the limit. Succeed it on a good code. */
  resetPassword(ip: string | null): Promise<Attempt>;
  /** The wrong reset codes of one account (its user id) across every code it is sent. */
  resetCodeBudget(account: string): ResetCodeBudget;
  /**
   * Counts a security notice to this (normalised) address in the caller's transaction; false once the
   * address had its share for the window: the notice is then dropped.
   */
  notice(db: NoticeCounterDb, emailKey: string): Promise<boolean>;
  /**
   * Counts a check of an e-mail verification or change code against the account (its user id), across
   * every code it is sent; throws RATE_LIMITED once its wrong codes are spent. Succeed it on a right code.
   */
  emailCodeCheck(account: string): Promise<Attempt>;
  /**
   * Counts a verification or change mail against the account and the address it goes to, in the
   * caller's transaction (it commits or rolls back with the mail); `retryAfter` in seconds once either
   * had its share for the window.
   */
  emailMail(
    db: NoticeCounterDb,
    to: { account: string; emailKey: string },
  ): Promise<{ allowed: true } | { allowed: false; retryAfter: number }>;
  /** Counts a request for a verification or change mail from this IP; throws RATE_LIMITED past the limit. */
  emailMailFromIp(ip: string | null): Promise<void>;
  /**
   * Counts a second-factor answer (after a right password, or with a reset code) against the sign-in
   * limits (the account by its user id, and the IP) and the account's own second-factor limit; throws
   * RATE_LIMITED past either, or while the factor step is locked after too many wrong answers in a row.
   * With `device` (the nonce of this account's valid device cookie) that browser's own counters stand in
   * for the account's.
   */
  secondFactor(userId: string, ip: string | null, device?: string): Promise<FactorAttempt>;
  /** Counts a passkey challenge issued to this IP; throws RATE_LIMITED past the limit. */
  passkeyChallenge(ip: string | null): Promise<void>;
  /**
   * Drops every counter kept about this account (deleteAccount): by its name, e-mail and id. Counters
   * in the shared table go in `db`'s transaction; those in this process's memory go at once.
   */
  forgetAccount(db: CounterDeleteDb, account: AccountKeys): Promise<void>;
}

export interface FactorAttempt extends Attempt {
  /** The answer was wrong: one more in the row; true when this one locked the factor step. */
  failed(): Promise<{ locked: boolean }>;
}

/** What an account's counters are keyed by. */
export interface AccountKeys {
  id: string;
  nameKey: string;
  emailKey: string;
}

export type CounterDeleteDb = Pick<PrismaClient, '$executeRaw'>;

/** The transaction that enqueues the notice: its count commits (or rolls back) with the mail. */
export type NoticeCounterDb = Pick<PrismaClient, '$queryRaw'>;

export interface ResetCodeBudget {
  /** Whether the account has no wrong codes left for the window; counts nothing. */
  exhausted(): Promise<boolean>;
  /** Counts a code check before it is made; null once the budget is spent. Succeed it on a right code. */
  claim(): Promise<Attempt | null>;
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
  const forgetAddress = limiter(
    'forget_address',
    limits.forgotPasswordPerAddress,
    limits.forgotPasswordWindowMs,
  );
  const resetIp = limiter('reset_ip', limits.resetPerIp, limits.resetWindowMs);
  const resetAccount = limiter(
    'reset_account',
    limits.resetPerAccount,
    limits.resetAccountWindowMs,
  );
  const factorAccount = limiter(
    'factor_account',
    limits.secondFactorPerAccount,
    limits.secondFactorWindowMs,
  );
  // Wrong answers in a row: a right one deletes the row; the count lasts as long as the lock would.
  const factorStreak = limiter(
    'factor_streak',
    limits.secondFactorLockout,
    limits.secondFactorLockoutMs,
  );
  const passkeyIp = limiter(
    'passkey_ip',
    limits.passkeyChallengesPerIp,
    limits.passkeyChallengesWindowMs,
  );
  // Same numbers as the account's: the browser that may skip the account's limit still cannot guess freely.
  const signInDevice = limiter('signin_device', limits.signInPerAccount, limits.signInWindowMs);
  const emailCodesAccount = limiter(
    'email_codes_account',
    limits.emailCodesPerAccount,
    limits.emailCodesWindowMs,
  );
  const emailMailIp = limiter('email_mail_ip', limits.emailMailPerIp, limits.emailMailWindowMs);

  /**
   * Gives a point back. A counter back at zero is deleted, not kept: a storm of shed or refused attempts
   * would otherwise leave a row per key in the shared table until its window ends. (In memory a zero
   * counter is a few bytes that expire with their window.)
   */
  const giveBack = async (counter: RateLimiterAbstract, key: string): Promise<void> => {
    const left = await counter.reward(key);
    if (store.kind !== 'postgres' || left.consumedPoints > 0) return;
    // Only while it is still at zero: an attempt counted in between keeps its point.
    await store.pool.query(`DELETE FROM ${RATE_LIMIT_TABLE} WHERE key = $1 AND points <= 0`, [
      counter.getKey(key),
    ]);
  };

  /** The counters keyed by the account, with the key each is kept under (the identifiers sign-in counts by). */
  const accountCounters = ({ id, nameKey, emailKey }: AccountKeys) =>
    [
      [signInAccount, digest(JSON.stringify({ nameKey }))],
      [signInAccount, digest(JSON.stringify({ emailKey }))],
      [signInAccount, digest(id)],
      [forgetAddress, digest(emailKey)],
      [resetAccount, digest(id)],
      [factorAccount, digest(id)],
      [factorStreak, digest(id)],
      [emailCodesAccount, digest(id)],
    ] as const;

  const counters: Limits = {
    async signIn(account, ip, device) {
      // A browser that signed in to the account before is never refused by the account's counter, so an
      // attacker's failures cannot lock its owner out (OWASP device cookies); that browser has its own.
      const [owner, ownerKey] =
        device === undefined ? [signInAccount, digest(account)] : [signInDevice, digest(device)];
      const ipKey = clientKey(ip);
      const [byOwner, byIp] = await Promise.allSettled([
        owner.consume(ownerKey),
        signInIp.consume(ipKey),
      ]);
      const refusals = [byOwner, byIp].flatMap((r) =>
        r.status === 'rejected' ? [r.reason as unknown] : [],
      );
      if (refusals.length) {
        // A refused attempt checks no password, so it is no failure: give back what the other counter took.
        if (byOwner.status === 'fulfilled') await giveBack(owner, ownerKey);
        if (byIp.status === 'fulfilled') await giveBack(signInIp, ipKey);
        // Both may refuse: the caller should wait for the later of the two.
        const [longest] = [...refusals].sort((a, b) => waitMs(b) - waitMs(a));
        throw refusal(longest);
      }
      return {
        async succeeded() {
          await Promise.all([owner.delete(ownerKey), giveBack(signInIp, ipKey)]);
        },
        async cancel() {
          await Promise.all([giveBack(owner, ownerKey), giveBack(signInIp, ipKey)]);
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
      const back = () => giveBack(resetIp, key);
      return { succeeded: back, cancel: back };
    },

    resetCodeBudget(account) {
      const key = digest(account);
      return {
        async exhausted() {
          const used = await resetAccount.get(key);
          return (used?.consumedPoints ?? 0) >= limits.resetPerAccount;
        },
        async claim() {
          try {
            await resetAccount.consume(key);
          } catch (reason) {
            if (reason instanceof RateLimiterRes) return null;
            throw reason;
          }
          const back = () => giveBack(resetAccount, key);
          return { succeeded: back, cancel: back };
        },
      };
    },

    async emailCodeCheck(account) {
      const key = digest(account);
      await emailCodesAccount.consume(key).catch((reason: unknown) => {
        throw refusal(reason);
      });
      const back = () => giveBack(emailCodesAccount, key);
      return { succeeded: back, cancel: back };
    },

    async notice(db, emailKey) {
      const { points } = await countInTransaction(
        db,
        `notices_address:${digest(emailKey)}`,
        limits.noticesWindowMs,
      );
      return points <= limits.noticesPerAddress;
    },

    async emailMail(db, to) {
      // The account and the address each have their share: many accounts cannot flood one inbox, nor
      // one account many inboxes.
      const counts = [
        await countInTransaction(
          db,
          `email_mail_account:${digest(to.account)}`,
          limits.emailMailWindowMs,
        ),
        await countInTransaction(
          db,
          `email_mail_address:${digest(to.emailKey)}`,
          limits.emailMailWindowMs,
        ),
      ];
      const over = counts.filter(({ points }) => points > limits.emailMailPerAccountAndAddress);
      if (over.length === 0) return { allowed: true };
      const waitMs = Math.max(...over.map(({ expire }) => expire - Date.now()));
      return { allowed: false, retryAfter: Math.max(1, Math.ceil(waitMs / 1000)) };
    },

    async emailMailFromIp(ip) {
      await emailMailIp.consume(clientKey(ip)).catch((reason: unknown) => {
        throw refusal(reason);
      });
    },

    async secondFactor(userId, ip, device) {
      // The owner's browser (a device cookie of this account) counts on its own, as at the password step:
      // a stranger who has the password and fails the second step cannot lock the owner out of it.
      const key = device === undefined ? digest(userId) : digest(`device\0${device}`);
      // Locked: a password that keeps failing its second step is known to someone else.
      const streak = await factorStreak.get(key);
      if (streak && streak.consumedPoints >= limits.secondFactorLockout)
        throw rateLimited(streak.msBeforeNext / 1000);
      const signIn = await counters.signIn(userId, ip, device);
      try {
        await factorAccount.consume(key);
      } catch (reason) {
        await signIn.cancel();
        throw refusal(reason);
      }
      return {
        async succeeded() {
          await Promise.all([
            signIn.succeeded(),
            factorAccount.delete(key),
            factorStreak.delete(key),
          ]);
        },
        async cancel() {
          await Promise.all([signIn.cancel(), giveBack(factorAccount, key)]);
        },
        async failed() {
          const counted = await factorStreak.consume(key).catch((reason: unknown) => {
            if (reason instanceof RateLimiterRes) return reason;
            throw reason;
          });
          const locked = counted.consumedPoints === limits.secondFactorLockout;
          // The lock runs its full length from the answer that caused it.
          if (locked) await factorStreak.block(key, Math.ceil(limits.secondFactorLockoutMs / 1000));
          return { locked };
        },
      };
    },

    async passkeyChallenge(ip) {
      await passkeyIp.consume(clientKey(ip)).catch((reason: unknown) => {
        throw refusal(reason);
      });
    },

    async forgetAccount(db, account) {
      const counters = accountCounters(account);
      const tableKeys = [
        `notices_address:${digest(account.emailKey)}`,
        `email_mail_account:${digest(account.id)}`,
        `email_mail_address:${digest(account.emailKey)}`,
      ];
      if (store.kind === 'postgres')
        tableKeys.push(...counters.map(([counter, key]) => counter.getKey(key)));
      else await Promise.all(counters.map(([counter, key]) => counter.delete(key)));
      await db.$executeRaw`DELETE FROM rate_limits WHERE key = ANY(${tableKeys}::text[])`;
    },
  };
  return counters;
}

/**
 * Counts one against `key` in the caller's transaction, in the shared table on either database: a
 * second connection from the pool while the transaction holds one could starve the pool. The upsert is
 * the library's fixed window (an expired row starts afresh), and its row lock makes parallel counts of
 * one key follow one another. `expire` is when the window ends (epoch ms).
 */
async function countInTransaction(
  db: NoticeCounterDb,
  key: string,
  windowMs: number,
): Promise<{ points: number; expire: number }> {
  const now = Date.now();
  const expire = BigInt(now + windowMs);
  const [row] = await db.$queryRaw<{ points: number; expire: bigint }[]>`
    INSERT INTO rate_limits (key, points, expire) VALUES (${key}, 1, ${expire})
    ON CONFLICT (key) DO UPDATE SET
      points = CASE WHEN rate_limits.expire <= ${BigInt(now)} THEN 1 ELSE rate_limits.points + 1 END,
      expire = CASE WHEN rate_limits.expire <= ${BigInt(now)} THEN ${expire} ELSE rate_limits.expire END
    RETURNING points, expire`;
  return row
    ? { points: row.points, expire: Number(row.expire) }
    : { points: Number.POSITIVE_INFINITY, expire: now + windowMs };
}

/** The store's answer over the limit becomes RATE_LIMITED; a store failure stays an (unexpected) error. */
function refusal(reason: unknown): unknown {
  return reason instanceof RateLimiterRes ? rateLimited(reason.msBeforeNext / 1000) : reason;
}

const waitMs = (reason: unknown) =>
  reason instanceof RateLimiterRes ? reason.msBeforeNext : Number.POSITIVE_INFINITY;

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
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((group) =>
    group.includes('.') ? group : Number.parseInt(group, 16).toString(16),
  );
}
