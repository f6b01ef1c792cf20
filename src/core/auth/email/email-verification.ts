import { AppError, rateLimited } from '../../../errors.js';
import type { Prisma, PrismaClient, Session, User } from '../../../generated/prisma/client.js';
import type { Limits } from '../../limits/limits.js';
import type { MailOutbox } from '../../mail/outbox.js';
import { verificationCodeMail } from '../../mail/templates.js';
import type { ClientInfo, IssuedSession, SessionStore } from '../../sessions/store.js';
import type { SecurityEvents } from '../events/security-events.js';
import { accountPageLink, type EmailCodes, lockedUser } from './email-codes.js';

/**
 * Proving the account's own address: sign-up mails a code (and a link carrying it), `resend` mails a
 * new one, `verify` takes it back. A successful password reset proves the address too, since its code
 * went there. As the Copenhagen Book advises, proving the address ends every other session (one signed
 * in before the address was proven may be someone who typed another's address) and rotates this one.
 */

export interface EmailVerificationDeps {
  prisma: PrismaClient;
  sessions: SessionStore;
  outbox: MailOutbox;
  limits: Pick<Limits, 'emailMail' | 'emailMailFromIp'>;
  events: SecurityEvents;
  codes: EmailCodes;
  /** PUBLIC_URL: the mailed link opens the account page there. */
  publicUrl: URL;
  now: () => Date;
}

export interface Verified {
  user: User;
  /** The viewer's session under a new token; absent when the address was verified already. */
  rotated?: IssuedSession;
}

export class EmailVerification {
  constructor(private readonly deps: EmailVerificationDeps) {}

  /**
   * In the sign-up transaction: mails the first code. Past the account's or the address's share of
   * mails the sign-up still succeeds, without it (`resendEmailVerification` later).
   */
  async sendOnSignUp(tx: Prisma.TransactionClient, user: User): Promise<void> {
    await this.send(tx, user, 'skip');
  }

  /** Mails a new code, replacing the last; nothing when the address is verified already. */
  async resend(viewer: { user: User }, client: ClientInfo): Promise<void> {
    if (viewer.user.emailVerifiedAt) return;
    const { prisma, outbox, limits } = this.deps;
    await limits.emailMailFromIp(client.ip);
    await prisma.$transaction(async (tx) => {
      // The address as it is now, held until commit: a change committing meanwhile waits, then voids this code.
      const user = await lockedUser(tx, viewer.user.id, 'SHARE');
      if (!user) throw new AppError('UNAUTHENTICATED');
      if (!user.emailVerifiedAt) await this.send(tx, user, 'refuse');
    });
    outbox.wake();
  }

  /** Checks the code against the account's current address and marks that address verified. */
  async verify(
    viewer: { user: User; session: Session },
    code: string,
    client: ClientInfo,
  ): Promise<Verified> {
    // Nothing to prove; a second click on the mailed link must not read as a failure.
    if (viewer.user.emailVerifiedAt) return { user: viewer.user };
    const { prisma, sessions, events, codes, now } = this.deps;
    const row = await codes.check(viewer.user, 'VERIFY', code);
    return prisma.$transaction(async (tx) => {
      await codes.consume(tx, row);
      // Bound to the address the code went to: once the account has another, the code proves nothing.
      const [user] = await tx.user.updateManyAndReturn({
        where: { id: viewer.user.id, emailKey: row.emailKey },
        data: { emailVerifiedAt: now() },
      });
      if (!user) throw new AppError('INVALID_OTP');
      await sessions.endOthers(user.id, viewer.session.id, tx);
      const rotated = await sessions.rotate(viewer.session, tx);
      if (!rotated) throw new AppError('UNAUTHENTICATED');
      await events.record(tx, {
        userId: user.id,
        kind: 'EMAIL_VERIFIED',
        client,
        sessionId: viewer.session.id,
      });
      return { user, rotated };
    });
  }

  /**
   * In a successful reset's transaction: the reset code went to the account's address, so that address
   * is proven; and a reset cancels a pending change (its code dies with every other). Returns the row.
   */
  async provenByReset(tx: Prisma.TransactionClient, user: User, client: ClientInfo): Promise<User> {
    const { codes, events, now } = this.deps;
    await codes.voidAll(tx, user.id);
    if (user.emailVerifiedAt) return user;
    const [verified] = await tx.user.updateManyAndReturn({
      where: { id: user.id, emailKey: user.emailKey },
      data: { emailVerifiedAt: now() },
    });
    if (!verified) return user;
    await events.record(tx, { userId: user.id, kind: 'EMAIL_VERIFIED', client });
    return verified;
  }

  private async send(
    tx: Prisma.TransactionClient,
    user: User,
    overLimit: 'skip' | 'refuse',
  ): Promise<void> {
    const { outbox, limits, codes, publicUrl } = this.deps;
    const counted = await limits.emailMail(tx, { account: user.id, emailKey: user.emailKey });
    if (!counted.allowed) {
      if (overLimit === 'refuse') throw rateLimited(counted.retryAfter);
      return;
    }
    const { code, lifetimeMs } = await codes.issue(tx, {
      userId: user.id,
      purpose: 'VERIFY',
      accountEmailKey: user.emailKey,
      email: user.email,
      emailKey: user.emailKey,
    });
    const link = accountPageLink(publicUrl, 'verify', { code });
    await outbox.enqueue(tx, verificationCodeMail(user, code, link, lifetimeMs));
  }
}
