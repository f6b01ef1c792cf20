import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { PrismaClient, Session, User } from '../../generated/prisma/client.js';
import type { AuthMethod } from '../../generated/prisma/enums.js';
import type { Limits } from '../limits/limits.js';
import type { MailOutbox } from '../mail/outbox.js';
import { resetCodeMail } from '../mail/templates.js';
import type { SessionStore } from '../sessions/store.js';
import { assertEnabled } from './account-state.js';
import type { FactorInput, SecondFactorGate, SignedIn, SignInClient } from './accounts.js';
import type { EmailVerification } from './email/email-verification.js';
import type { SecurityEvents } from './events/security-events.js';
import type { SecurityNotices } from './notices.js';
import type { PasswordHasher } from './passwords/password.js';
import { checkPassword, normaliseEmail } from './validation.js';

/**
 * Password recovery by a 6-digit code sent by e-mail, and a link with a 128-bit token in the same mail.
 * Both are stored only as HMACs keyed with the server secret (a plain hash of a million possibilities
 * falls to a dump at once), live OTP_TTL, are replaced by a newer request and spent by one reset. The
 * code serves MAX_CHECKS checks, and the account has a budget of wrong codes across every code it is
 * sent; the token, which nobody can guess, is outside both, so burning them cannot lock a victim out of
 * recovery. Nothing here signs anyone in except a successful reset.
 */

export interface RecoveryDeps {
  prisma: PrismaClient;
  hasher: PasswordHasher;
  sessions: SessionStore;
  outbox: MailOutbox;
  notices: SecurityNotices;
  events: SecurityEvents;
  limits: Pick<Limits, 'forgetPassword' | 'resetPassword' | 'resetCodeBudget'>;
  /** The first keys new codes; all verify, so rotating SESSION_SECRET does not void codes in flight. */
  secrets: readonly string[];
  otpTtlMs: number;
  /** PUBLIC_URL: the mailed link opens the account page there. */
  publicUrl: URL;
  /** A reset proves the address its code went to, and cancels a pending change of address. */
  emailVerification: Pick<EmailVerification, 'provenByReset'>;
  now?: () => Date;
  /** Second factors: an account with one needs one to reset (the code proves the address, not the person). */
  factors?: SecondFactorGate;
}

export interface ResetPasswordInput extends FactorInput {
  email: string;
  otp: string;
  newPassword: string;
  keepSignedIn: boolean;
}

/** Checks a code allows, right or wrong: five wrong tries burn it. */
export const MAX_CHECKS = 5;
const OTP_FORMAT = /^\d{6}$/;
/** 128 random bits in base64url. */
const TOKEN_BYTES = 16;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{22}$/;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
/** A reset mail goes out within about this long, at a moment unrelated to the request (see requestReset). */
const RESET_MAIL_WAKE_MS = 1_000;
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
    // A new code must not renew the guesses: past the account's wrong-code budget nothing is mailed.
    // Asked for unknown addresses too, so that both paths cost the same queries.
    const exhausted = await limits.resetCodeBudget(found?.id ?? `unknown:${emailKey}`).exhausted();
    const user = allowed && !exhausted ? found : null;
    const recipient = user ?? DECOY;
    const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const secret = secrets[0] as string;
    const codeHash = codeMac(secret, recipient.id, code);
    const tokenHash = linkMac(secret, recipient.id, token);
    const message = resetCodeMail(
      recipient,
      code,
      resetLink(this.deps.publicUrl, recipient.email, token),
      otpTtlMs,
    );
    const now = this.now();
    const expiresAt = new Date(now.getTime() + otpTtlMs);

    await prisma.$transaction(async (tx) => {
      // Neither path waits for the WAL flush, whose cost varies more than anything else here. A code
      // lost to a crash in the next few hundred milliseconds costs the user one more request.
      await tx.$executeRaw`SET LOCAL synchronous_commit = off`;
      // The address as it is now, held until commit: a change of address committing meanwhile waits and
      // then voids this code; one that committed first leaves this address no longer the account's.
      // Asked for the decoy too (its id matches no row), so that both paths send the same statements.
      const current = await tx.$queryRaw<unknown[]>`
        SELECT 1 FROM users WHERE id = ${recipient.id}::uuid AND email_key = ${emailKey} FOR SHARE`;
      if (!user) {
        // Two writes that leave nothing behind: timing must not tell which addresses have accounts.
        await outbox.rehearse(tx, message);
        return;
      }
      if (current.length === 0) return;
      // One live code per user: a new request overwrites the old one and its attempt count.
      await tx.passwordResetCode.upsert({
        where: { userId: user.id },
        create: { userId: user.id, codeHash, tokenHash, createdAt: now, expiresAt },
        update: { codeHash, tokenHash, attempts: 0, createdAt: now, expiresAt },
      });
      await outbox.enqueue(tx, message);
    });
    // Not wake(): the worker's work must never line up in time with the request, or it would tell a
    // known address from an unknown one. Both paths ask for a wake at a random moment within a second.
    outbox.wakeWithin(RESET_MAIL_WAKE_MS);
  }

  /**
   * Sets the new password, consumes the code (or link), ends every session of the user and starts a new
   * one, all in one transaction. Any failure about the code is INVALID_OTP, whatever the reason.
   */
  async resetPassword(
    input: ResetPasswordInput,
    client: SignInClient,
    replacing?: Session,
  ): Promise<SignedIn> {
    const { emailKey } = normaliseEmail('email', input.email);
    // Checked first, so a typo in the new password does not spend one of the code's checks.
    const newPassword = checkPassword('newPassword', input.newPassword);
    const otp = input.otp.trim();
    const { prisma, hasher, sessions, notices, limits } = this.deps;
    // Shed before a check of the code is spent when no hash could start in time.
    hasher.admit(client.ip);
    // Wrong codes and tokens count against the client's IP as well.
    const attempt = await limits.resetPassword(client.ip);

    const user = await prisma.user.findUnique({ where: { emailKey } });
    // An unknown address goes through the same checks as an account with no live code (a budget of its
    // own claimed and given back, a look for the code that finds none), so the time INVALID_OTP takes
    // does not tell which addresses have accounts.
    const proof = await this.prove(
      user
        ? { userId: user.id, budget: user.id }
        : { userId: NO_USER, budget: `unknown:${emailKey}` },
      otp,
    );
    if (!user || !proof) throw new AppError('INVALID_OTP');
    await attempt.succeeded();
    const methods = await this.secondStep(user, input, client, proof);

    const passwordHash = await hasher.hash(newPassword, client.ip);
    const signedIn = await prisma.$transaction(async (tx) => {
      // A reset signs in: an account an admin disabled gets no session this way either (the code stays).
      const [state] = await tx.$queryRaw<
        { disabledAt: Date | null; disabledUntil: Date | null; credentialVersion: number }[]
      >`
        SELECT disabled_at AS "disabledAt", disabled_until AS "disabledUntil",
               credential_version AS "credentialVersion"
          FROM users WHERE id = ${user.id}::uuid FOR UPDATE`;
      if (state) assertEnabled(state, this.now());
      // A second factor proven against the row as read: a factor change that committed since (the
      // factor turned off or removed) wins, and this reset fails with the code still usable.
      if (state && methods.length > 1 && state.credentialVersion !== user.credentialVersion)
        throw new AppError('INVALID_CREDENTIALS');
      // Conditional on the hash we checked: of parallel resets with one code or link exactly one deletes
      // the row (spending both), and a code replaced or expired meanwhile fails here.
      const { count } = await tx.passwordResetCode.deleteMany({
        where: { userId: user.id, ...proof, expiresAt: { gt: this.now() } },
      });
      if (count === 0) throw new AppError('INVALID_OTP');
      // A new credential version: sign-ins that checked the old password before this commits fail.
      const changed = await tx.user.update({
        where: { id: user.id },
        data: { passwordHash, credentialVersion: { increment: 1 } },
      });
      const updated = await this.deps.emailVerification.provenByReset(tx, changed, client);
      // After the UPDATE, which waits for sign-ins holding the row: those that committed first are ended here.
      await sessions.endAll(user.id, tx);
      // A session of another account on this browser is replaced, as sign-in does.
      if (replacing) await sessions.end(replacing.id, tx);
      const issued = await sessions.start(user.id, input.keepSignedIn, client, methods, tx);
      await notices.rememberDevice(tx, user.id, client);
      await notices.passwordChanged(tx, updated, client);
      await this.deps.events.record(tx, {
        userId: user.id,
        kind: 'PASSWORD_RESET',
        client,
        sessionId: issued.session.id,
      });
      return { user: updated, ...issued };
    });
    notices.wake();
    return signedIn;
  }

  /**
   * For an account with a second factor, the reset needs one too: without it the answer is
   * SECOND_FACTOR_REQUIRED and the code's check is given back, so the code stays usable. The methods the
   * new session was authenticated with.
   */
  private async secondStep(
    user: User,
    input: FactorInput & { keepSignedIn: boolean },
    client: SignInClient,
    proof: Proof,
  ): Promise<AuthMethod[]> {
    const { factors, prisma } = this.deps;
    if (!factors || user.secondFactors.length === 0) return ['EMAIL_CODE'];
    if (input.totp == null && input.recoveryCode == null && input.passkey == null) {
      if ('codeHash' in proof)
        await prisma.passwordResetCode.updateMany({
          where: { userId: user.id, codeHash: proof.codeHash, attempts: { gt: 0 } },
          data: { attempts: { decrement: 1 } },
        });
      throw await factors.required(user, input.keepSignedIn, 'RESET');
    }
    return ['EMAIL_CODE', await factors.prove(user, input, 'RESET', client)];
  }

  /**
   * The stored hash `otp` matched, as a condition on the row, or null when it is neither code nor link.
   * `budget` names whose budget of wrong codes is spent (the account's, or an unknown address's).
   */
  private prove(
    { userId, budget }: { userId: string; budget: string },
    otp: string,
  ): Promise<Proof | null> {
    if (OTP_FORMAT.test(otp)) return this.proveCode(userId, budget, otp);
    if (TOKEN_FORMAT.test(otp)) return this.proveLink(userId, otp);
    return Promise.resolve(null);
  }

  private async proveCode(userId: string, account: string, code: string): Promise<Proof | null> {
    const { prisma, secrets, limits } = this.deps;
    // The account's budget across every code it is sent, claimed before the check like the code's own.
    const budget = await limits.resetCodeBudget(account).claim();
    if (!budget) return null;
    // Each check is claimed before it is made, atomically: parallel guesses cannot get past MAX_CHECKS.
    const claimed = await prisma.passwordResetCode.updateManyAndReturn({
      where: { userId, attempts: { lt: MAX_CHECKS }, expiresAt: { gt: this.now() } },
      data: { attempts: { increment: 1 } },
      select: { codeHash: true },
    });
    const stored = claimed[0]?.codeHash;
    // No live code: nothing was checked, so it is no wrong code.
    if (!stored) {
      await budget.cancel();
      return null;
    }
    if (!secrets.some((secret) => sameHex(stored, codeMac(secret, userId, code)))) return null;
    await budget.succeeded();
    return { codeHash: stored };
  }

  private async proveLink(userId: string, token: string): Promise<Proof | null> {
    const { prisma, secrets } = this.deps;
    // No check is claimed: 128 random bits are not guessed, and the link must still work once someone
    // has burnt the code's checks or the account's budget.
    const row = await prisma.passwordResetCode.findFirst({
      where: { userId, expiresAt: { gt: this.now() } },
      select: { tokenHash: true },
    });
    const stored = row?.tokenHash;
    if (!stored || !secrets.some((secret) => sameHex(stored, linkMac(secret, userId, token))))
      return null;
    return { tokenHash: stored };
  }
}

type Proof = { codeHash: string } | { tokenHash: string };

/** The nil UUID, which no account has: an unknown address's look for a code finds nothing. */
const NO_USER = '00000000-0000-0000-0000-000000000000';

/** The account page's reset form, filled in by the link. */
function resetLink(publicUrl: URL, email: string, token: string): string {
  const link = new URL(publicUrl);
  // In the fragment, which browsers send to no server and leave out of Referer: the token stays out of logs.
  link.hash = `reset?${new URLSearchParams({ email, token })}`;
  return link.href;
}

/** HMAC-SHA256 of a reset secret bound to its user and its kind, hex (64 characters). */
function resetMac(kind: string, secret: string, userId: string, value: string): string {
  return createHmac('sha256', secret).update(`${kind}:${userId}:${value}`).digest('hex');
}

/** The mailed code's MAC. */
export const codeMac = (secret: string, userId: string, code: string) =>
  resetMac('password-reset', secret, userId, code);

/** The link token's MAC: a label of its own, so no code's MAC can pass for it. */
export const linkMac = (secret: string, userId: string, token: string) =>
  resetMac('password-reset-link', secret, userId, token);

function sameHex(stored: string | undefined, candidate: string): boolean {
  const a = Buffer.from(stored ?? '', 'hex');
  const b = Buffer.from(candidate, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
