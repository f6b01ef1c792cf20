import type { PrismaClient } from '../../generated/prisma/client.js';
import type { ClientInfo, SessionStore } from '../sessions/store.js';
import type { SecurityEvents } from './events/security-events.js';

/**
 * The viewer ending their own sessions (logout, revokeSession, revokeOtherSessions), each end recorded
 * in the security log in the transaction that ends it.
 */

export interface OwnSessionsDeps {
  prisma: PrismaClient;
  sessions: SessionStore;
  events: SecurityEvents;
}

export class OwnSessions {
  constructor(private readonly deps: OwnSessionsDeps) {}

  /** logout: ends the current session. */
  signOut(userId: string, sessionId: string, client: ClientInfo): Promise<void> {
    const { prisma, sessions, events } = this.deps;
    return prisma.$transaction(async (tx) => {
      if (await sessions.end(sessionId, tx))
        await events.record(tx, { userId, kind: 'SIGN_OUT', client, sessionId });
    });
  }

  /** Ends one of the user's live sessions; false when it is not theirs or not live. */
  revoke(userId: string, sessionId: string, client: ClientInfo): Promise<boolean> {
    const { prisma, sessions, events } = this.deps;
    return prisma.$transaction(async (tx) => {
      const ended = await sessions.endOwn(userId, sessionId, tx);
      if (ended) await events.record(tx, { userId, kind: 'SESSION_REVOKED', client, sessionId });
      return ended;
    });
  }

  /** Ends every other live session of the user; one SESSION_REVOKED each. Returns how many. */
  revokeOthers(userId: string, keepSessionId: string, client: ClientInfo): Promise<number> {
    const { prisma, sessions, events } = this.deps;
    return prisma.$transaction(async (tx) => {
      const ended = await sessions.endOthers(userId, keepSessionId, tx);
      await events.recordMany(
        tx,
        ended.map((sessionId) => ({ userId, kind: 'SESSION_REVOKED', client, sessionId })),
      );
      return ended.length;
    });
  }
}
