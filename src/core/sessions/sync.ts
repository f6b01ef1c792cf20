import { randomUUID } from 'node:crypto';
import type { Listener } from '../../db/listener.js';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { SessionCache, SessionChange } from './cache.js';

/** How session changes reach every instance's cache. */
export interface InvalidationBus {
  /**
   * Called inside the transaction that made the change, after the write. Every instance drops the
   * change's cache entries once the transaction commits, this one included.
   */
  publish(change: SessionChange, db: PrismaClient | Prisma.TransactionClient): Promise<void>;
  close(): Promise<void>;
}

export const INVALIDATION_CHANNEL = 'sessiongraph_sessions';

/** A committed change, or `'all'`: changes may have been missed (the bus was down), assume anything changed. */
export type CommittedChange = SessionChange | 'all';

/**
 * Who else hears of committed session changes besides the cache: open streams (streams.ts), which end
 * when their session does. Told once per change on every instance, after it committed.
 */
export class CommittedChanges {
  private readonly observers = new Set<(change: CommittedChange) => void>();

  observe(observer: (change: CommittedChange) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  emit(change: CommittedChange): void {
    for (const observer of this.observers) observer(change);
  }
}

/**
 * Embedded PGlite is one process and one connection: no other instance exists, and a read cannot run
 * between our write and its commit (PGlite runs statements after an open transaction, never beside it),
 * so dropping the entries now is enough.
 */
export function inProcessBus(
  cache: SessionCache,
  committed: CommittedChanges = new CommittedChanges(),
): InvalidationBus {
  return {
    publish: async (change) => {
      cache.invalidate(change);
      // Observers read the database to act on it, and those reads wait for this transaction to end.
      committed.emit(change);
    },
    close: async () => {},
  };
}

/**
 * Sends one change on the channel, inside the caller's transaction. Also for processes that run no
 * bus of their own (`npm run admin`): every listening instance drops the entries when it commits.
 */
export async function notifyChange(
  db: PrismaClient | Prisma.TransactionClient,
  change: SessionChange,
  origin: string = randomUUID(),
  changeId: string = randomUUID(),
): Promise<void> {
  const message: Message = {
    o: origin,
    c: changeId,
    u: change.users ?? [],
    s: change.sessions ?? [],
  };
  await db.$executeRaw`SELECT pg_notify(${INVALIDATION_CHANNEL}, ${JSON.stringify(message)})`;
}

interface Message {
  /** The instance that made the change. */
  o: string;
  /** The change, so its maker can lift the hold it placed. */
  c: string;
  u?: string[];
  s?: string[];
}

/**
 * Other instances' changes arrive on the shared LISTEN connection (db/listener.ts). Until it listens
 * (again) the cache is distrusted, so a missed notification can never leave a revoked session usable here.
 */
export function pgBus(
  listener: Listener,
  cache: SessionCache,
  committed: CommittedChanges = new CommittedChanges(),
): InvalidationBus {
  const instance = randomUUID();
  cache.distrust();
  listener.listen(INVALIDATION_CHANNEL, {
    message(payload) {
      let parsed: Message;
      try {
        parsed = JSON.parse(payload) as Message;
      } catch {
        // Not ours to understand: the only safe reading of an unknown change is "anything changed".
        cache.clear();
        committed.emit('all');
        return;
      }
      const change = { users: parsed.u ?? [], sessions: parsed.s ?? [] };
      cache.invalidate(change);
      if (parsed.o === instance) cache.release(parsed.c);
      committed.emit(change);
    },
    // Whatever was cached before may have missed notifications: start empty, then trust.
    up: () => {
      cache.trust();
      committed.emit('all');
    },
    down: () => cache.distrust(),
  });
  return {
    async publish(change, db) {
      const id = randomUUID();
      cache.hold(id, change);
      await notifyChange(db, change, instance, id);
    },
    async close() {
      cache.distrust();
    },
  };
}
