import { uniqueViolation } from '../../../db/errors.js';
import { AppError, badInput, rateLimited } from '../../../errors.js';
import type { Prisma, PrismaClient, Session, User } from '../../../generated/prisma/client.js';
import type { Limits } from '../../limits/limits.js';
import type { MailOutbox } from '../../mail/outbox.js';
import {
  accountEvent,
  emailChangeCodeMail,
  emailChangedMail,
  emailChangeRequestedMail,
  emailRevertedMail,
  emailTakenMail,
} from '../../mail/templates.js';
import type { ClientInfo, IssuedSession, SessionStore } from '../../sessions/store.js';
import type { SecurityEvents } from '../events/security-events.js';
import { conflict, normaliseEmail } from '../validation.js';
import {
  accountPageLink,
  type EmailCodes,
  lockedUser,
  newRevertToken,
  revertTokenCandidates,
} from './email-codes.js';

/**
 * Changing the account's address (API.md "E-mail change"): a code to the new address, a notice to the
 * old; confirming switches, proves the new address, ends every other session and tells the old address
 * with a link that undoes the change for 7 days. The new address is kept with its code, not on the
 * account, until it is proven (Copenhagen Book). Every code and reset code dies when the account's
 * address changes, and a reset cancels a pending change (EmailVerification.provenByReset).
 */

/** How long the link in the "address changed" notice undoes the change. */
const REVERT_LIFETIME_MS = 7 * 24 * 60 * 60_000;

/**
 * What a revert does to second factors: those enrolled since the change may be the hijacker's, and are
 * removed. Second factors (TOTP, passkeys) are built elsewhere; until they exist this does nothing.
 */
export interface FactorsEnrolledSince {
  removeEnrolledSince(tx: Prisma.TransactionClient, userId: string, since: Date): Promise<void>;
}

export interface EmailChangeDeps {
  prisma: PrismaClient;
  sessions: SessionStore;
  outbox: MailOutbox;
  limits: Pick<Limits, 'emailMail' | 'emailMailFromIp'>;
  events: SecurityEvents;
  codes: EmailCodes;
  secondFactors: FactorsEnrolledSince;
  /** The first keys new revert tokens; all verify. */
  secrets: readonly string[];
  publicUrl: URL;
  now: () => Date;
}

export class EmailChange {
  constructor(private readonly deps: EmailChangeDeps) {}

  /**
   * Mails a code to the new address and a notice to the current one. A taken address gets a mail
   * saying so instead of a code, through the same steps (a code row, two mails): the answer and its
   * timing are the same either way, so the request tells nobody which addresses have accounts.
   */
  async request(viewer: { user: User }, rawEmail: string, client: ClientInfo): Promise<void> {
    const { email, emailKey } = normaliseEmail('newEmail', rawEmail);
    if (emailKey === viewer.user.emailKey)
      throw badInput('newEmail', 'That is already the address of your account.');
    const { prisma, outbox, limits, codes, publicUrl } = this.deps;
    await limits.emailMailFromIp(client.ip);
    const taken =
      (await prisma.user.findUnique({ where: { emailKey }, select: { id: true } })) ??
      (await heldForRevert(prisma, emailKey, viewer.user.id, this.deps.now()));
    await prisma.$transaction(async (tx) => {
      // The current address, held until commit: the code is bound to it, and a change committing
      // meanwhile waits for this transaction and then voids this code.
      const user = await lockedUser(tx, viewer.user.id, 'SHARE');
      if (!user) throw new AppError('UNAUTHENTICATED');
      const counted = await limits.emailMail(tx, { account: user.id, emailKey });
      if (!counted.allowed) throw rateLimited(counted.retryAfter);
      // Replaces any pending change. For a taken address the code is never mailed, so it can never be used.
      const { code, lifetimeMs } = await codes.issue(tx, {
        userId: user.id,
        purpose: 'CHANGE',
        accountEmailKey: user.emailKey,
        email,
        emailKey,
      });
      const link = accountPageLink(publicUrl, 'confirm-email', { code });
      await outbox.enqueue(
        tx,
        taken
          ? emailTakenMail(email)
          : emailChangeCodeMail({ ...user, email }, code, link, lifetimeMs),
      );
      // Only to a proven address: an unproven one may be a stranger's (a typo at sign-up).
      if (user.emailVerifiedAt)
        await outbox.enqueue(tx, emailChangeRequestedMail(user, email, this.event(client)));
    });
    outbox.wake();
  }

  /**
   * Switches to the address the code was sent to. Two confirmations racing (one account twice, or two
   * accounts for one address) cannot both win: the code is spent by a conditional delete, the account's
   * row is locked, and the unique e-mail key refuses the second account.
   */
  async confirm(
    viewer: { user: User; session: Session },
    input: string,
    client: ClientInfo,
  ): Promise<{ user: User; rotated: IssuedSession }> {
    const { prisma, sessions, outbox, events, codes, secrets, publicUrl, now } = this.deps;
    const row = await codes.check(viewer.user, 'CHANGE', input);
    try {
      const confirmed = await prisma.$transaction(async (tx) => {
        const old = await lockedUser(tx, viewer.user.id, 'UPDATE');
        // The code was checked against the address the viewer had; it must still be the account's.
        if (!old || old.emailKey !== viewer.user.emailKey) throw new AppError('INVALID_OTP');
        await codes.consume(tx, row);
        const at = now();
        // Another account's undo link may still restore this address: it stays theirs until it expires.
        if (await heldForRevert(tx, row.emailKey, old.id, at)) throw conflict('email');
        // A new credential version: a sign-in that checked the password before this commits fails, so
        // no session started under the old address outlives "every other session ends".
        const user = await tx.user.update({
          where: { id: old.id },
          data: {
            email: row.email,
            emailKey: row.emailKey,
            emailVerifiedAt: at,
            credentialVersion: { increment: 1 },
          },
        });
        // Every code dies with the address it was sent to, and a change cancels pending resets.
        await codes.voidAll(tx, user.id);
        await tx.passwordResetCode.deleteMany({ where: { userId: user.id } });
        await sessions.endOthers(user.id, viewer.session.id, tx);
        const rotated = await sessions.rotate(viewer.session, tx);
        if (!rotated) throw new AppError('UNAUTHENTICATED');
        // The undo link goes only to a proven address: an unproven one may be a stranger's, and the
        // link would hand them the account.
        if (old.emailVerifiedAt) {
          const { token, tokenHash } = newRevertToken(secrets[0] as string);
          await tx.emailChangeRevert.create({
            data: {
              userId: user.id,
              tokenHash,
              email: old.email,
              emailKey: old.emailKey,
              createdAt: at,
              expiresAt: new Date(at.getTime() + REVERT_LIFETIME_MS),
            },
          });
          const link = accountPageLink(publicUrl, 'revert-email', { token });
          await outbox.enqueue(
            tx,
            emailChangedMail(old, user.email, link, REVERT_LIFETIME_MS, this.event(client)),
          );
        }
        await events.record(tx, {
          userId: user.id,
          kind: 'EMAIL_CHANGED',
          client,
          sessionId: viewer.session.id,
        });
        return { user, rotated };
      });
      outbox.wake();
      return confirmed;
    } catch (error) {
      if (!uniqueViolation(error)) throw error;
      // Another account took the address first; the code can never succeed now.
      await codes.voidAll(prisma, viewer.user.id, 'CHANGE');
      throw conflict('email');
    }
  }

  /**
   * Restores the address a change replaced, proven by the link mailed there: ends every session,
   * removes second factors enrolled since the change, and voids every other undo link, so that a
   * hijacker who changed the address twice cannot use the link mailed to their own address to take it
   * back. Returns the user whose address was restored.
   */
  async revert(token: string, client: ClientInfo): Promise<string> {
    const { prisma, sessions, outbox, events, codes, secondFactors, secrets, now } = this.deps;
    const candidates = revertTokenCandidates(secrets, token.trim());
    const found =
      candidates.length === 0
        ? null
        : await prisma.emailChangeRevert.findFirst({
            where: { tokenHash: { in: candidates }, expiresAt: { gt: now() } },
          });
    if (!found) throw new AppError('INVALID_OTP');
    try {
      await prisma.$transaction(async (tx) => {
        // Single use: of two parallel reverts with one link exactly one deletes it.
        const { count } = await tx.emailChangeRevert.deleteMany({ where: { id: found.id } });
        if (count === 0) throw new AppError('INVALID_OTP');
        const user = await tx.user.update({
          where: { id: found.userId },
          data: {
            email: found.email,
            emailKey: found.emailKey,
            emailVerifiedAt: now(),
            credentialVersion: { increment: 1 },
          },
        });
        // Only the links of this change and later ones die: an older link restores an address the
        // account had before, and a hijacker who changed twice must not void the owner's by reverting
        // their own intermediate change.
        await tx.emailChangeRevert.deleteMany({
          where: { userId: user.id, createdAt: { gt: found.createdAt } },
        });
        await codes.voidAll(tx, user.id);
        await tx.passwordResetCode.deleteMany({ where: { userId: user.id } });
        await secondFactors.removeEnrolledSince(tx, user.id, found.createdAt);
        await sessions.endAll(user.id, tx);
        await events.record(tx, { userId: user.id, kind: 'EMAIL_CHANGED', client });
        await outbox.enqueue(tx, emailRevertedMail(user, this.event(client)));
      });
    } catch (error) {
      // Someone signed up with the old address since: it is theirs now.
      if (uniqueViolation(error))
        throw new AppError('CONFLICT', 'That e-mail address now belongs to another account.', {
          field: 'email',
        });
      throw error;
    }
    outbox.wake();
    return found.userId;
  }

  private event(client: ClientInfo) {
    return accountEvent(this.deps.now(), client);
  }
}

/**
 * An address an account changed away from stays that account's while its undo link lives: were it
 * free, anyone (the hijacker too) could take it and so disable the owner's link.
 */
export async function heldForRevert(
  db: Pick<PrismaClient, 'emailChangeRevert'>,
  emailKey: string,
  exceptUserId: string | null,
  now: Date,
): Promise<{ id: string } | null> {
  return db.emailChangeRevert.findFirst({
    where: {
      emailKey,
      expiresAt: { gt: now },
      ...(exceptUserId ? { userId: { not: exceptUserId } } : {}),
    },
    select: { id: true },
  });
}
