import { randomUUID } from 'node:crypto';
import { WriteBehind } from '../../../db/write-behind.js';
import type { Prisma, PrismaClient, SecurityEvent } from '../../../generated/prisma/client.js';
import type { SecurityEventKind } from '../../../generated/prisma/enums.js';
import type { ClientInfo } from '../../sessions/store.js';

/**
 * The account's security log. Every event is written by `record`, inside the transaction of the change
 * it records: a change that rolls back leaves no event, and an event never describes a change that
 * did not happen. Live streams (issue 16) hang off this one place too. The one exception to "in the
 * change's transaction" is a failed sign-in, which changes nothing: see `FailedSignIns`.
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
  /** The admin's reason (disableUser), kept for audit. */
  reason?: string | null;
}

/** A page of one user's log, newest first, after the keyset position (at, id) when there is one. */
export interface EventPageQuery {
  userId: string;
  first: number;
  after?: { at: Date; id: string } | undefined;
}

/** Announces recorded events to live streams, inside the same transaction (event-feed.ts). */
export type PublishEvents = (
  tx: Prisma.TransactionClient,
  events: readonly SecurityEvent[],
) => Promise<void>;

export class SecurityEvents {
  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly publish: PublishEvents = async () => {},
  ) {}

  async record(tx: Prisma.TransactionClient, event: SecurityEventInput): Promise<SecurityEvent> {
    const recorded = await tx.securityEvent.create({ data: this.draft(event) });
    await this.publish(tx, [recorded]);
    return recorded;
  }

  /**
   * An event's row, not yet written: a sign-in writes it in its own statement (open-session.ts) and
   * then hands it to `announce`.
   */
  draft(event: SecurityEventInput): SecurityEvent {
    return { id: randomUUID(), ...this.row(event, this.now()) };
  }

  /** Announces events written elsewhere in this transaction to live streams, as `record` does. */
  announce(tx: Prisma.TransactionClient, events: readonly SecurityEvent[]): Promise<void> {
    return this.publish(tx, events);
  }

  /** Several events in one statement (one per session a revocation ended); each at now unless it says. */
  async recordMany(
    tx: Prisma.TransactionClient,
    events: readonly (SecurityEventInput & { at?: Date })[],
  ): Promise<void> {
    if (events.length === 0) return;
    const now = this.now();
    const recorded = await tx.securityEvent.createManyAndReturn({
      data: events.map((event) => this.row(event, event.at ?? now)),
    });
    // One announcement statement for the lot: a flood of failed sign-ins is written thousands at a time.
    await this.publish(tx, recorded);
  }

  /** One page and whether more follow; `first + 1` rows are read to know. */
  async page(
    prisma: PrismaClient,
    { userId, first, after }: EventPageQuery,
  ): Promise<{ rows: SecurityEvent[]; hasMore: boolean }> {
    const rows = await prisma.securityEvent.findMany({
      where: {
        userId,
        ...(after && {
          OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }],
        }),
      },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: first + 1,
    });
    return { rows: rows.slice(0, first), hasMore: rows.length > first };
  }

  private row(event: SecurityEventInput, at: Date): Omit<SecurityEvent, 'id'> {
    return {
      userId: event.userId,
      kind: event.kind,
      at,
      ip: event.client?.ip?.slice(0, 64) ?? null,
      userAgent: event.client?.userAgent?.slice(0, 512) ?? null,
      sessionId: event.sessionId ?? null,
      actorId: event.actorId ?? null,
      reason: event.reason?.slice(0, 500) ?? null,
    };
  }
}

export interface FailedSignInsOptions {
  /** How long a failure may wait before it is written. @default 1s */
  flushMs?: number;
  /** Failures kept waiting at most; beyond it the oldest are dropped (a flood must not grow the heap). */
  maxPending?: number;
  onError?: (error: unknown) => void;
}

/**
 * SIGN_IN_FAILED events, written off the request's path. A wrong password for an existing account
 * must cost the request exactly what one for an unknown account costs, or the log's own write would
 * tell a guesser which accounts exist: the request only appends to memory, and a timer writes the
 * batch later (like session touches). A failure changes nothing, so there is no transaction to join.
 */
export class FailedSignIns {
  private readonly queue: WriteBehind<{ userId: string; client: ClientInfo; at: Date }>;

  constructor(
    prisma: PrismaClient,
    events: SecurityEvents,
    private readonly now: () => Date = () => new Date(),
    options: FailedSignInsOptions = {},
  ) {
    this.queue = new WriteBehind({
      flushMs: options.flushMs ?? 1_000,
      maxPending: options.maxPending ?? 10_000,
      // Each at the moment it failed. An account deleted meanwhile has no log left to write to.
      write: (batch) =>
        prisma.$transaction(async (tx) => {
          const ids = [...new Set(batch.map((failure) => failure.userId))];
          const existing = new Set(
            (await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true } })).map(
              (user) => user.id,
            ),
          );
          await events.recordMany(
            tx,
            batch
              .filter((failure) => existing.has(failure.userId))
              .map(({ userId, client, at }) => ({ userId, kind: 'SIGN_IN_FAILED', client, at })),
          );
        }),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  add(userId: string, client: ClientInfo): void {
    this.queue.add({ userId, client, at: this.now() });
  }

  /** Writes what is waiting now. */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
