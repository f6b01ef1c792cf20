import { randomBytes } from 'node:crypto';
import { createTOTPKeyURI, verifyHOTP } from '@oslojs/otp';
import type { Db } from '../../../db/db.js';
import type { SecretBox } from './secret-box.js';

/**
 * Authenticator apps (RFC 6238): SHA-1, 6 digits, 30-second steps, one step of drift either way. The
 * 160-bit key is sealed at rest. A step once accepted is refused again by a compare-and-set on the
 * stored last step, which holds across instances because the database decides it.
 */

const STEP_SECONDS = 30;
const DIGITS = 6;
const KEY_BYTES = 20;
const ISSUER = 'sessiongraph';
const CODE = /^\d{6}$/;
/** How long a secret handed out by beginTotpEnrollment waits for its confirming code. */
const ENROLMENT_TTL_MS = 15 * 60_000;

export interface TotpEnrollment {
  /** base32, for typing into the app by hand. */
  secret: string;
  /** otpauth://, for the QR code. */
  uri: string;
}

export class Totp {
  constructor(
    private readonly box: SecretBox,
    private readonly now: () => Date,
  ) {}

  /** A new key for the user, pending until a code from it comes back (confirm). */
  async begin(db: Db, user: { id: string; email: string }): Promise<TotpEnrollment> {
    const key = new Uint8Array(randomBytes(KEY_BYTES));
    const uri = createTOTPKeyURI(ISSUER, user.email, key, STEP_SECONDS, DIGITS);
    const pendingSecret = this.box.seal(key, context(user.id));
    const pendingExpiresAt = new Date(this.now().getTime() + ENROLMENT_TTL_MS);
    await db.totpCredential.upsert({
      where: { userId: user.id },
      create: { userId: user.id, pendingSecret, pendingExpiresAt },
      update: { pendingSecret, pendingExpiresAt },
    });
    return { secret: new URL(uri).searchParams.get('secret') ?? '', uri };
  }

  /**
   * Checks a code against the pending key and, when it matches, makes that key the enabled one (its
   * step spent). False when there is no live pending key or the code is wrong. Call inside the
   * transaction of the change.
   */
  async confirm(tx: Db, userId: string, code: string): Promise<boolean> {
    const row = await tx.totpCredential.findUnique({ where: { userId } });
    if (!row?.pendingSecret || !row.pendingExpiresAt || row.pendingExpiresAt <= this.now())
      return false;
    const step = this.matchingStep(row.pendingSecret, userId, code);
    if (step === null) return false;
    // Conditional on the key that was checked: a newer enrolment meanwhile wins.
    const { count } = await tx.totpCredential.updateMany({
      where: { userId, pendingSecret: row.pendingSecret },
      data: {
        secret: row.pendingSecret,
        enabledAt: this.now(),
        lastUsedStep: step,
        pendingSecret: null,
        pendingExpiresAt: null,
      },
    });
    return count === 1;
  }

  /** Whether the code is right for the enabled key and its step was not used before; spends the step. */
  async verify(db: Db, userId: string, code: string): Promise<boolean> {
    const row = await db.totpCredential.findUnique({
      where: { userId },
      select: { secret: true },
    });
    if (!row?.secret) return false;
    const step = this.matchingStep(row.secret, userId, code);
    if (step === null) return false;
    // Compare-and-set: of two requests with one code, on any instances, exactly one moves the step. An
    // older step than the last accepted is refused too: codes only move forward.
    const { count } = await db.totpCredential.updateMany({
      where: {
        userId,
        secret: row.secret,
        OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }],
      },
      data: { lastUsedStep: step },
    });
    return count === 1;
  }

  async remove(tx: Db, userId: string): Promise<boolean> {
    const { count } = await tx.totpCredential.deleteMany({
      where: { userId, secret: { not: null } },
    });
    return count > 0;
  }

  /** The time step (previous, current or next) whose code this is, or null. */
  private matchingStep(sealed: string, userId: string, input: string): bigint | null {
    const code = input.replace(/\s/g, '');
    const key = CODE.test(code) ? this.box.open(sealed, context(userId)) : undefined;
    if (!key) return null;
    const current = BigInt(Math.floor(this.now().getTime() / (STEP_SECONDS * 1000)));
    let found: bigint | null = null;
    // All three are computed, so the time taken does not say which one matched.
    for (const step of [current - 1n, current, current + 1n])
      if (verifyHOTP(key, step, DIGITS, code)) found = step;
    return found;
  }
}

/** The AAD of a sealed key: it opens only on its own user's row. */
const context = (userId: string) => `totp:${userId}`;
