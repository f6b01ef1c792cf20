import { AppError } from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Limits } from '../limits/limits.js';
import type { MailOutbox } from '../mail/outbox.js';
import { accountDeletedMail, accountEvent } from '../mail/templates.js';
import type { ClientInfo, SessionStore } from '../sessions/store.js';

/**
 * deleteAccount: the user and everything of theirs go in one transaction. Sessions end on every
 * instance at commit; codes, known devices, the security log (and whatever else hangs off the user
 * row) go by the foreign keys' cascade; queued mail to the address and the rate-limit counters keyed by
 * the account are deleted by hand, since nothing links them to the row. One last notice goes to the
 * address if it was verified (an unverified one may be someone else's).
 */

export interface AccountDeletionDeps {
  prisma: PrismaClient;
  sessions: SessionStore;
  outbox: MailOutbox;
  limits: Pick<Limits, 'forgetAccount'>;
  now?: () => Date;
}

export class AccountDeletion {
  private readonly now: () => Date;

  constructor(private readonly deps: AccountDeletionDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async deleteAccount(userId: string, client: ClientInfo): Promise<void> {
    const { prisma, sessions, outbox, limits } = this.deps;
    await prisma.$transaction(async (tx) => {
      // Every admin row and this one, in one order: two admins deleting at once (or a revoke of the
      // role meanwhile) queue here instead of both seeing the other and leaving no admin at all.
      const locked = await tx.$queryRaw<{ id: string; role: string }[]>`
        SELECT id::text AS id, role::text AS role FROM users
         WHERE role = 'ADMIN' OR id = ${userId}::uuid ORDER BY id FOR UPDATE`;
      const self = locked.find((row) => row.id === userId);
      // Deleted by a parallel request: this session died with it.
      if (!self) throw new AppError('UNAUTHENTICATED');
      if (self.role === 'ADMIN' && !locked.some((row) => row.role === 'ADMIN' && row.id !== userId))
        throw new AppError('FORBIDDEN', 'The last admin cannot delete their account.');
      const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });

      await sessions.endAll(userId, tx);
      await tx.$executeRaw`DELETE FROM mail_outbox WHERE lower("to") = ${user.emailKey}`;
      await limits.forgetAccount(tx, user);
      // Passkey challenges may name the user without a foreign key (SIGN_IN ones name nobody).
      await tx.webAuthnChallenge.deleteMany({ where: { userId } });
      // Other users' logs keep what an admin did to them, but no longer who the admin was.
      await tx.securityEvent.updateMany({ where: { actorId: userId }, data: { actorId: null } });
      await tx.user.delete({ where: { id: userId } });
      if (user.emailVerifiedAt)
        await outbox.enqueue(tx, accountDeletedMail(user, accountEvent(this.now(), client)));
    });
    outbox.wake();
  }
}
