import { LRUCache } from 'lru-cache';
import type { Listener } from '../../../db/listener.js';
import type { Prisma, PrismaClient, SecurityEvent } from '../../../generated/prisma/client.js';

/**
 * Security events as they commit, fanned out to the viewer's open streams on every instance.
 *
 * On PostgreSQL each event is announced by a NOTIFY sent in the transaction that records it (so only a
 * committed event is announced, and at once), carrying its id and user id; the one LISTEN connection of
 * each instance hears it, and an instance with streams of that user reads the event once and hands it to
 * each. Embedded (one process), the read is simply issued at once: PGlite runs it after the open
 * transaction ends, and an event rolled back is not found.
 *
 * While the LISTEN connection is down nothing is heard. When it is back, the events of every user with
 * open streams recorded since shortly before the drop are read from the table and the ones not yet
 * delivered are delivered: a reconnect loses nothing. If that read fails, those users' streams are
 * told to resynchronise (`onResync`): the page refetches and subscribes again.
 */

export const EVENTS_CHANNEL = 'sessiongraph_events';

/** Events recorded this long before the connection dropped are read again, for clock skew and slow commits. */
const CATCH_UP_MARGIN_MS = 60_000;

export interface EventSubscriber {
  onEvent(event: SecurityEvent): void;
  /** Events may have been missed and could not be read back. */
  onResync(): void;
}

interface Subscription {
  subscriber: EventSubscriber;
  /** Read back after a reconnect, only events recorded after this are the subscriber's. */
  since: Date;
}

interface Announcement {
  i: string;
  u: string;
}

export class EventFeed {
  private readonly subscribers = new Map<string, Set<Subscription>>();
  // Ids already handed out, so an event heard twice (announced, and read back after a reconnect) is delivered once.
  private readonly delivered = new LRUCache<string, true>({ max: 20_000 });
  // Per user, so one user's events reach their streams in the order they were announced.
  private readonly pending = new Map<string, Promise<void>>();
  private downSince: Date | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly now: () => Date,
    private readonly listener?: Listener,
  ) {
    listener?.listen(EVENTS_CHANNEL, {
      message: (payload) => {
        let parsed: Announcement;
        try {
          parsed = JSON.parse(payload) as Announcement;
        } catch {
          return;
        }
        if (typeof parsed.i === 'string' && typeof parsed.u === 'string')
          this.announced(parsed.u, parsed.i);
      },
      down: () => {
        this.downSince ??= this.now();
      },
      up: () => {
        const since = this.downSince;
        this.downSince = undefined;
        if (since) void this.catchUp(since);
      },
    });
  }

  /** Announces events inside the transaction that records them, in one statement. */
  async publish(tx: Prisma.TransactionClient, events: readonly SecurityEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (this.listener) return announceEvents(tx, events);
    for (const event of events) this.announced(event.userId, event.id);
  }

  subscribe(userId: string, subscriber: EventSubscriber): () => void {
    const set = this.subscribers.get(userId) ?? new Set();
    const subscription = { subscriber, since: this.now() };
    set.add(subscription);
    this.subscribers.set(userId, set);
    return () => {
      set.delete(subscription);
      if (set.size === 0 && this.subscribers.get(userId) === set) this.subscribers.delete(userId);
    };
  }

  private announced(userId: string, id: string): void {
    // Nobody here is watching this user: no read at all.
    if (!this.subscribers.has(userId)) return;
    this.inOrder(userId, async () => {
      try {
        const event = await this.prisma.securityEvent.findUnique({ where: { id } });
        if (event) this.deliver(event);
      } catch {
        this.resync([userId]);
      }
    });
  }

  private async catchUp(since: Date): Promise<void> {
    const users = [...this.subscribers.keys()];
    if (users.length === 0) return;
    try {
      const events = await this.prisma.securityEvent.findMany({
        where: {
          userId: { in: users },
          at: { gte: new Date(since.getTime() - CATCH_UP_MARGIN_MS) },
        },
        orderBy: { at: 'asc' },
      });
      for (const event of events) this.deliver(event);
    } catch {
      this.resync(users);
    }
  }

  private resync(users: string[]): void {
    for (const userId of users)
      for (const { subscriber } of [...(this.subscribers.get(userId) ?? [])]) subscriber.onResync();
  }

  private deliver(event: SecurityEvent): void {
    if (this.delivered.has(event.id)) return;
    this.delivered.set(event.id, true);
    for (const { subscriber, since } of [...(this.subscribers.get(event.userId) ?? [])]) {
      // A stream yields what was recorded after it opened. An announcement can arrive late (a busy
      // listener, a reconnect's read-back), so its arrival says nothing: the event's own time decides.
      if (event.at <= since) continue;
      subscriber.onEvent(event);
    }
  }

  private inOrder(userId: string, task: () => Promise<void>): void {
    const next = (this.pending.get(userId) ?? Promise.resolve()).then(task);
    this.pending.set(userId, next);
    void next.then(() => {
      if (this.pending.get(userId) === next) this.pending.delete(userId);
    });
  }
}

/**
 * Announces recorded events to every instance's feed over NOTIFY, in the transaction that records them
 * and in one statement: the servers' own writes, and the admin script's beside running servers.
 */
export async function announceEvents(
  tx: Prisma.TransactionClient,
  events: readonly SecurityEvent[],
): Promise<void> {
  const announcements = events.map((event) => {
    const announcement: Announcement = { i: event.id, u: event.userId };
    return JSON.stringify(announcement);
  });
  await tx.$executeRaw`
    SELECT pg_notify(${EVENTS_CHANNEL}, payload) FROM unnest(${announcements}::text[]) AS payload`;
}
