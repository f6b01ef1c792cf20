import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { SessionCache, SessionChange } from '../auth/session-cache.js';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { failureDetails } from './unavailable.js';

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

/**
 * Embedded PGlite is one process and one connection: no other instance exists, and a read cannot run
 * between our write and its commit (PGlite runs statements after an open transaction, never beside it),
 * so dropping the entries now is enough.
 */
export function inProcessBus(cache: SessionCache): InvalidationBus {
  return {
    publish: async (change) => cache.invalidate(change),
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

export interface PgBusOptions {
  url: string;
  cache: SessionCache;
  logger: Logger;
  /** First reconnect delay; doubles up to 5 s. @default 250 */
  retryMs?: number;
}

/**
 * LISTEN/NOTIFY over one dedicated connection (a pooled one could be handed back and lose the LISTEN).
 * NOTIFY is transactional: sent inside the change's transaction, it is delivered only if that commits.
 * Until the LISTEN is (re)established the cache is distrusted, so a missed notification can never
 * leave a revoked session usable here.
 */
export function startPgBus({
  url,
  cache,
  logger,
  retryMs = 250,
}: PgBusOptions): InvalidationBus & { ready: Promise<void> } {
  const instance = randomUUID();
  let client: pg.Client | undefined;
  let closed = false;
  let delay = retryMs;
  let retry: NodeJS.Timeout | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  cache.distrust();

  const onMessage = (message: pg.Notification) => {
    if (message.channel !== INVALIDATION_CHANNEL || !message.payload) return;
    let parsed: Message;
    try {
      parsed = JSON.parse(message.payload) as Message;
    } catch {
      // Not ours to understand: the only safe reading of an unknown change is "anything changed".
      cache.clear();
      return;
    }
    cache.invalidate({ users: parsed.u ?? [], sessions: parsed.s ?? [] });
    if (parsed.o === instance) cache.release(parsed.c);
  };

  const lost = (current: pg.Client, reason: unknown) => {
    if (client !== current) return;
    client = undefined;
    cache.distrust();
    current.removeAllListeners('notification');
    current.end().catch(() => {});
    if (closed) return;
    logger.warn(
      failureDetails(reason),
      `session invalidation channel lost; cache bypassed, reconnecting in ${delay} ms`,
    );
    schedule();
  };

  const schedule = () => {
    retry = setTimeout(connect, delay);
    retry.unref();
    delay = Math.min(delay * 2, 5_000);
  };

  const connect = async () => {
    retry = undefined;
    if (closed) return;
    const next = new pg.Client({
      connectionString: url,
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
    });
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, new Error('connection ended')));
    next.on('notification', onMessage);
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${INVALIDATION_CHANNEL}`);
    } catch (error) {
      if (client === next) lost(next, error);
      return;
    }
    if (client !== next || closed) return;
    // Whatever was cached before may have missed notifications: start empty, then trust.
    cache.trust();
    delay = retryMs;
    logger.debug('session invalidation channel listening');
    markReady();
  };
  void connect();

  return {
    ready,
    async publish(change, db) {
      const id = randomUUID();
      cache.hold(id, change);
      await notifyChange(db, change, instance, id);
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = undefined;
      cache.distrust();
      await current?.end().catch(() => {});
    },
  };
}
