import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';
import type { PrismaClient, Session } from '../generated/prisma/client.js';
import type { Limits } from '../limits/limits.js';
import type { SecurityNotices } from '../mail/notices.js';
import type { MailOutbox } from '../mail/outbox.js';
import { resetCodeMail } from '../mail/templates.js';
import type { SignedIn } from './accounts.js';
import type { PasswordHasher } from './password.js';
import type { ClientInfo, SessionStore } from './sessions.js';
import { checkPassword, normaliseEmail } from './validation.js';

/**
 * Password recovery by a 6-digit code sent by e-mail. The code is stored only as an HMAC keyed with the
 * server secret (a plain hash of a million possibilities falls to a dump at once), lives OTP_TTL, serves
 * MAX_CHECKS checks in all, and is replaced by a newer request. Nothing here signs anyone in except a
 * successful reset.
 */

export interface RecoveryDeps {
  prisma: PrismaClient;
  hasher: PasswordHasher;
  sessions: SessionStore;
  outbox: MailOutbox;
  notices: SecurityNotices;
  limits: Pick<Limits, 'forgetPassword' | 'resetPassword'>;
  /** The first keys new codes; all verify, so rotating SESSION_SECRET does not void codes in flight. */
  secrets: readonly string[];
  otpTtlMs: number;
  now?: () => Date;
}

export interface ResetPasswordInput {
  email: string;
  otp: string;
  newPassword: string;
  keepSignedIn: boolean;
}

/** Checks a code allows, right or wrong: five wrong tries burn it. */
export const MAX_CHECKS = 5;
const OTP_FORMAT = /^\d{6}$/;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
// Spent on unknown addresses, so they cost the same HMAC and template work as known ones.
const DECOY = { id: NIL_UUID, name: 'someone', displayName: null, email: 'nobody@invalid.invalid' };

export class Recovery {
  private readonly now: () => Date;

  constructor(private readonly deps: RecoveryDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** forgetPassword: mails a fresh code to a known address; does the same work, minus the mail, otherwise. */
  async requestReset(rawEmail: string): Promise<void> {
    const { emailKey } = normaliseEmail('email', rawEmail);
    const { prisma, outbox, secrets, otpTtlMs, limits } = this.deps;
    // Counted for unknown addresses too; past the limit a known address takes the unknown path below.
    const allowed = await limits.forgetPassword(emailKey);
    const found = await prisma.user.findUnique({
      where: { emailKey },
      select: { id: true, name: true, displayName: true, email: true },
    });
    const user = allowed ? found : null;
    const recipient = user ?? DECOY;
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    const codeHash = codeMac(secrets[0] as string, recipient.id, code);
    const message = resetCodeMail(recipient, code, otpTtlMs);
    const now = this.now();
    const expiresAt = new Date(now.getTime() + otpTtlMs);

    await prisma.$transaction(async (tx) => {
      // Neither path waits for the WAL flush, whose cost varies more than anything else here. A code
      // lost to a crash in the next few hundred milliseconds costs the user one more request.
      await tx.$executeRaw`SET LOCAL synchronous_commit = off`;
      if (!user) {
        // Two writes that leave nothing behind: timing must not tell which addresses have accounts.
        await outbox.rehearse(tx, message);
        return;
      }
      // One live code per user: a new request overwrites the old one and its attempt count.
      await tx.passwordResetCode.upsert({
        where: { userId: user.id },
        create: { userId: user.id, codeHash, createdAt: now, expiresAt },
        update: { codeHash, attempts: 0, createdAt: now, expiresAt },
      });
      await outbox.enqueue(tx, message);
    });
    // No wake() here: the worker's next poll sends the code, so its work never lines up in time with
    // the request and cannot tell a known address from an unknown one.
  }

  /**
   * Sets the new password, consumes the code, ends every session of the user and starts a new one, all
   * in one transaction. Any failure about the code is INVALID_OTP, whatever the reason.
   */
  async resetPassword(input: ResetPasswordInput, client: ClientInfo, replacing?: Session): Promise<SignedIn> {
    const { emailKey } = normaliseEmail('email', input.email);
    // Checked first, so a typo in the new password does not spend one of the code's checks.
    const newPassword = checkPassword('newPassword', input.newPassword);
    const otp = input.otp.trim();
    const { prisma, hasher, sessions, notices, secrets, limits } = this.deps;
    // Shed before a check of the code is spent when no hash could start in time.
    hasher.admit();
    // Wrong codes count against the client's IP as well as against the code.
    const attempt = await limits.resetPassword(client.ip);

    const user = await prisma.user.findUnique({ where: { emailKey }, select: { id: true } });
    // Each check is claimed before it is made, atomically: parallel guesses cannot get past MAX_CHECKS.
    const claimed =
      user && OTP_FORMAT.test(otp)
        ? await prisma.passwordResetCode.updateManyAndReturn({
            where: { userId: user.id, attempts: { lt: MAX_CHECKS }, expiresAt: { gt: this.now() } },
            data: { attempts: { increment: 1 } },
            select: { codeHash: true },
          })
        : [];
    const stored = claimed[0]?.codeHash;
    const matches = secrets.some((secret) => sameHex(stored, codeMac(secret, user?.id ?? NIL_UUID, otp)));
    if (!user || !stored || !matches) throw new AppError('INVALID_OTP');
    await attempt.succeeded();

    const passwordHash = await hasher.hash(newPassword);
    const signedIn = await prisma.$transaction(async (tx) => {
      // Conditional on the hash we checked: of parallel resets with one code exactly one deletes it, and
      // a code replaced or expired meanwhile fails here.
      const { count } = await tx.passwordResetCode.deleteMany({
        where: { userId: user.id, codeHash: stored, expiresAt: { gt: this.now() } },
      });
      if (count === 0) throw new AppError('INVALID_OTP');
      const updated = await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
      await sessions.endAll(user.id, tx);
      // A session of another account on this browser is replaced, as sign-in does.
      if (replacing) await sessions.end(replacing.id, tx);
      const issued = await sessions.start(user.id, input.keepSignedIn, client, tx);
      await notices.rememberDevice(tx, user.id, client);
      await notices.passwordChanged(tx, updated, client);
      return { user: updated, ...issued };
    });
    notices.wake();
    return signedIn;
  }
}

/** HMAC-SHA256 of the code bound to its user, hex (64 characters). */
export function codeMac(secret: string, userId: string, code: string): string {
  return createHmac('sha256', secret).update(`password-reset:${userId}:${code}`).digest('hex');
}

function sameHex(stored: string | undefined, candidate: string): boolean {
  const a = Buffer.from(stored ?? '', 'hex');
  const b = Buffer.from(candidate, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
