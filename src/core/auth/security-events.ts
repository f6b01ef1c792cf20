import type { Prisma, SecurityEvent } from '../../generated/prisma/client.js';
import type { SecurityEventKind } from '../../generated/prisma/enums.js';
import type { ClientInfo } from '../sessions/store.js';

/**
 * The account's security log. Every event is written by `record`, inside the transaction of the change
 * it records: a change that rolls back leaves no event, and an event never describes a change that
 * did not happen. Live streams (issue 16) hang off this one place too.
 */

export interface SecurityEventInput {
  userId: string;
  kind: SecurityEventKind;
  /** The actor's client; leave it out when an admin acted (their address is not the user's business). */
  client?: ClientInfo | null;
  /** The session the event concerns, when there is one. */
  sessionId?: string | null;
  /** The admin who acted, when one did. */
  actorId?: string | null;
}

/** Announces a recorded event to live streams, inside the same transaction (event-feed.ts). */
export type PublishEvent = (tx: Prisma.TransactionClient, event: SecurityEvent) => Promise<void>;

export class SecurityEvents {
  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly publish: PublishEvent = async () => {},
  ) {}

  async record(tx: Prisma.TransactionClient, event: SecurityEventInput): Promise<SecurityEvent> {
    const recorded = await tx.securityEvent.create({
      data: {
        userId: event.userId,
        kind: event.kind,
        at: this.now(),
        ip: event.client?.ip?.slice(0, 64) ?? null,
        userAgent: event.client?.userAgent?.slice(0, 512) ?? null,
        sessionId: event.sessionId ?? null,
        actorId: event.actorId ?? null,
      },
    });
    await this.publish(tx, recorded);
    return recorded;
  }
}
