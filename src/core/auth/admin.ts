import { isUuid } from '../../db/uuid.js';
import { AppError, badInput } from '../../errors.js';
import type { Prisma, PrismaClient, User } from '../../generated/prisma/client.js';
import type { SessionStore } from '../sessions/store.js';
import type { SecurityEvents } from './events/security-events.js';

/**
 * What admins do to other accounts: disable (ending every session on every instance), enable, and end
 * sessions. Each action is a security event of the affected user, with the admin as its actor and no
 * client (the admin's address is not the user's business). Who may call these (admins, with recent
 * authentication) is the schema's to check; what no admin may do is checked here.
 */

export interface AdminDeps {
  prisma: PrismaClient;
  sessions: SessionStore;
  events: SecurityEvents;
  now?: () => Date;
}

export interface DisableUserInput {
  userId: string;
  /** When the disabling ends; null or absent: until enableUser. */
  until?: Date | null;
  reason?: string | null;
}

const REASON_MAX = 500;

export class Admin {
  private readonly now: () => Date;

  constructor(private readonly deps: AdminDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async disableUser(actor: Pick<User, 'id'>, input: DisableUserInput): Promise<User> {
    const userId = checkUserId(input.userId);
    const now = this.now();
    if (input.until && input.until <= now)
      throw badInput('until', 'The end of the disabling must be in the future.');
    const reason = input.reason?.trim() || null;
    if (reason && reason.length > REASON_MAX)
      throw badInput('reason', `The reason must be at most ${REASON_MAX} characters.`);
    // An admin who disabled themself could not undo it; one who disabled another admin could take over.
    if (userId === actor.id) throw new AppError('FORBIDDEN', 'You cannot disable yourself.');
    const { prisma, sessions, events } = this.deps;
    return prisma.$transaction(async (tx) => {
      // Locked, so a role granted meanwhile is seen here, and sign-ins holding the row finish first.
      const target = await lockUser(tx, userId);
      if (target.role === 'ADMIN')
        throw new AppError('FORBIDDEN', 'An admin cannot be disabled by another admin.');
      // A new credential version too: a sign-in of any kind that checked its credential before this
      // commits cannot start a session afterwards.
      const user = await tx.user.update({
        where: { id: userId },
        data: {
          disabledAt: now,
          disabledUntil: input.until ?? null,
          credentialVersion: { increment: 1 },
        },
      });
      // After the UPDATE: sessions that sign-ins committed first end here, on every instance at commit.
      await sessions.endAll(userId, tx);
      await events.record(tx, { userId, kind: 'ACCOUNT_DISABLED', actorId: actor.id, reason });
      return user;
    });
  }

  async enableUser(actor: Pick<User, 'id'>, rawUserId: string): Promise<User> {
    const userId = checkUserId(rawUserId);
    const { prisma, sessions, events } = this.deps;
    return prisma.$transaction(async (tx) => {
      const target = await lockUser(tx, userId);
      // Enabling an enabled account changes nothing, so it logs nothing.
      if (target.disabledAt === null) return tx.user.findUniqueOrThrow({ where: { id: userId } });
      const user = await tx.user.update({
        where: { id: userId },
        data: { disabledAt: null, disabledUntil: null },
      });
      await sessions.userChanged(userId, tx);
      await events.record(tx, { userId, kind: 'ACCOUNT_ENABLED', actorId: actor.id });
      return user;
    });
  }

  /** Ends every session of the user on every instance; one SESSION_REVOKED each. Returns how many. */
  async revokeUserSessions(actor: Pick<User, 'id'>, rawUserId: string): Promise<number> {
    const userId = checkUserId(rawUserId);
    const { prisma, sessions, events } = this.deps;
    return prisma.$transaction(async (tx) => {
      await lockUser(tx, userId);
      const ended = await sessions.endAll(userId, tx);
      await events.recordMany(
        tx,
        ended.map((sessionId) => ({
          userId,
          kind: 'SESSION_REVOKED',
          sessionId,
          actorId: actor.id,
        })),
      );
      return ended.length;
    });
  }
}

function checkUserId(userId: string): string {
  // Not a UUID cannot be a user id; asking the database would only earn a type error.
  if (!isUuid(userId)) throw badInput('userId', 'That is not a user id.');
  return userId;
}

async function lockUser(
  tx: Prisma.TransactionClient,
  userId: string,
): Promise<{ role: User['role']; disabledAt: Date | null }> {
  const [row] = await tx.$queryRaw<{ role: User['role']; disabledAt: Date | null }[]>`
    SELECT role::text AS role, disabled_at AS "disabledAt" FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
  if (!row) throw new AppError('NOT_FOUND', 'No such user.');
  return row;
}
