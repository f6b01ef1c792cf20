import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../../db/db.js';
import { AppError } from '../../../errors.js';
import type { EmailCode, Prisma, PrismaClient } from '../../../generated/prisma/client.js';
import type { EmailCodePurpose } from '../../../generated/prisma/enums.js';
import type { Limits } from '../../limits/limits.js';

/**
 * The 8-digit codes that prove an address (the Copenhagen Book's e-mail verification): from the CSPRNG,
 * stored only as an HMAC keyed with the server secret and bound to the user, the account's address and
 * the address the code was sent to, so that it dies once either address stops being what it was. One
 * live code per user and purpose (a newer one replaces it); MAX_CHECKS checks per code, and a budget of
 * wrong codes per account across every code it is sent, so asking for new codes renews no guesses.
 */

const EMAIL_CODE_LIFETIME_MS: Record<EmailCodePurpose, number> = {
  VERIFY: 24 * 60 * 60_000,
  CHANGE: 15 * 60_000,
};
/** Checks a code allows, right or wrong. */
export const MAX_CHECKS = 5;
const CODE_FORMAT = /^\d{8}$/;
/** 128 random bits in base64url: the revert link's token. */
const TOKEN_BYTES = 16;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{22}$/;

/** What a code is bound to, besides its user: the account's address and the one it went to. */
export interface CodeBinding {
  userId: string;
  purpose: EmailCodePurpose;
  /** The account's address key when the code was issued. */
  accountEmailKey: string;
  /** Where the code goes, as typed, and its key (the account's own for VERIFY). */
  email: string;
  emailKey: string;
}

export interface EmailCodeDeps {
  prisma: PrismaClient;
  limits: Pick<Limits, 'emailCodeCheck'>;
  /** The first keys new codes; all verify, so rotating SESSION_SECRET does not void codes in flight. */
  secrets: readonly string[];
  now: () => Date;
}

export class EmailCodes {
  constructor(private readonly deps: EmailCodeDeps) {}

  /** A fresh code for the binding, replacing the user's live one of that purpose; returns it for the mail. */
  async issue(tx: Db, binding: CodeBinding): Promise<{ code: string; lifetimeMs: number }> {
    const code = randomInt(0, 100_000_000).toString().padStart(8, '0');
    const lifetimeMs = EMAIL_CODE_LIFETIME_MS[binding.purpose];
    const now = this.deps.now();
    const row = {
      email: binding.email,
      emailKey: binding.emailKey,
      codeHash: codeMac(this.deps.secrets[0] as string, binding, code),
      attempts: 0,
      createdAt: now,
      expiresAt: new Date(now.getTime() + lifetimeMs),
    };
    await tx.emailCode.upsert({
      where: { userId_purpose: { userId: binding.userId, purpose: binding.purpose } },
      create: { userId: binding.userId, purpose: binding.purpose, ...row },
      update: row,
    });
    return { code, lifetimeMs };
  }

  /**
   * Checks `input` against the user's live code of `purpose`, spending one of its checks and, when
   * wrong, one of the account's budget. Returns the matched row (to consume it with `consume`), or throws
   * INVALID_OTP (wrong, expired, used, burnt or not bound to the account's address) or RATE_LIMITED.
   */
  async check(
    user: { id: string; emailKey: string },
    purpose: EmailCodePurpose,
    input: string,
  ): Promise<EmailCode> {
    const code = input.replace(/\s+/g, '');
    // Not a code at all: no check of a real code is spent on it.
    if (!CODE_FORMAT.test(code)) throw new AppError('INVALID_OTP');
    const { prisma, secrets, limits, now } = this.deps;
    // Claimed before the check, like the code's own checks: parallel guesses cannot outrun it.
    const budget = await limits.emailCodeCheck(user.id);
    // Each check is claimed atomically before it is made: parallel guesses cannot get past MAX_CHECKS.
    const [row] = await prisma.emailCode.updateManyAndReturn({
      where: { userId: user.id, purpose, attempts: { lt: MAX_CHECKS }, expiresAt: { gt: now() } },
      data: { attempts: { increment: 1 } },
    });
    // No live code: nothing was checked, so it is no wrong code.
    if (!row) {
      await budget.cancel();
      throw new AppError('INVALID_OTP');
    }
    const binding = { ...row, userId: user.id, accountEmailKey: user.emailKey };
    if (!secrets.some((secret) => sameHex(row.codeHash, codeMac(secret, binding, code))))
      throw new AppError('INVALID_OTP');
    await budget.succeeded();
    return row;
  }

  /**
   * Spends a checked code in the transaction of the change it allows. Conditional on the hash that
   * matched: of two parallel uses exactly one deletes it, and a code replaced meanwhile fails.
   */
  async consume(tx: Db, row: EmailCode): Promise<void> {
    const { count } = await tx.emailCode.deleteMany({
      where: {
        userId: row.userId,
        purpose: row.purpose,
        codeHash: row.codeHash,
        expiresAt: { gt: this.deps.now() },
      },
    });
    if (count === 0) throw new AppError('INVALID_OTP');
  }

  /** Every code of the user dies: the address they were sent to is no longer (or was never) the account's. */
  async voidAll(tx: Db, userId: string, purpose?: EmailCodePurpose): Promise<void> {
    await tx.emailCode.deleteMany({ where: { userId, ...(purpose ? { purpose } : {}) } });
  }
}

/** A new revert-link token and the MAC it is stored under. */
export function newRevertToken(secret: string): { token: string; tokenHash: string } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, tokenHash: revertTokenMac(secret, token) };
}

/** The MACs a presented token may be stored under (one per configured secret); none when malformed. */
export function revertTokenCandidates(secrets: readonly string[], token: string): string[] {
  if (!TOKEN_FORMAT.test(token)) return [];
  return secrets.map((secret) => revertTokenMac(secret, token));
}

function revertTokenMac(secret: string, token: string): string {
  return createHmac('sha256', secret).update(`email-change-revert:${token}`).digest('hex');
}

/** HMAC-SHA256 of a code with everything it is bound to, hex (64 characters). */
function codeMac(secret: string, binding: CodeBinding, code: string): string {
  const { purpose, userId, accountEmailKey, emailKey } = binding;
  return createHmac('sha256', secret)
    .update(JSON.stringify(['email-code', purpose, userId, accountEmailKey, emailKey, code]))
    .digest('hex');
}

function sameHex(stored: string, candidate: string): boolean {
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(candidate, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A view of the account page with its parameters in the fragment, which browsers send to no server. */
export function accountPageLink(
  publicUrl: URL,
  view: 'verify' | 'confirm-email' | 'revert-email',
  params: Record<string, string>,
): string {
  const link = new URL(publicUrl);
  link.hash = `${view}?${new URLSearchParams(params)}`;
  return link.href;
}

/**
 * The user row read under a lock held to commit (`UPDATE` to change it, `SHARE` to act on its current
 * address): a change of address on another connection waits for this transaction, or this one for it.
 */
export async function lockedUser(
  tx: Prisma.TransactionClient,
  id: string,
  mode: 'UPDATE' | 'SHARE',
) {
  if (mode === 'UPDATE') await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${id}::uuid FOR UPDATE`;
  else await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${id}::uuid FOR SHARE`;
  return tx.user.findUnique({ where: { id } });
}
