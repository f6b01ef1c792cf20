import { WriteBehind } from '../../db/write-behind.js';
import { Prisma, type PrismaClient, type Session } from '../../generated/prisma/client.js';

/**
 * lastSeenAt and sliding expiry, collected in memory and written in one statement per batch, so an
 * authenticated request never waits for a write. A session is due at most once per touch interval
 * (SessionStore decides), and the queue keeps one pending row per session whatever arrives meanwhile.
 */

export type Touch = Pick<Session, 'id' | 'tokenHash' | 'lastSeenAt' | 'expiresAt'>;

export interface TouchBatchOptions {
  /** How often pending touches are written. */
  flushMs: number;
  /** Sessions whose row was gone or rotated when written: their cached copies must go too. */
  onLost: (sessionIds: string[]) => void;
  onError?: (error: unknown) => void;
}

const ROWS_PER_STATEMENT = 500;

/** The session's pending touches: one per session, written ROWS_PER_STATEMENT to a statement. */
export function touchBatch(prisma: PrismaClient, options: TouchBatchOptions): WriteBehind<Touch> {
  return new WriteBehind<Touch>({
    flushMs: options.flushMs,
    key: (touch) => touch.id,
    chunkSize: ROWS_PER_STATEMENT,
    write: async (rows) => {
      const written = await writeTouches(prisma, rows);
      const lost = rows.filter((row) => !written.has(row.id)).map((row) => row.id);
      if (lost.length) options.onLost(lost);
    },
    ...(options.onError ? { onError: options.onError } : {}),
  });
}

async function writeTouches(prisma: PrismaClient, rows: Touch[]): Promise<Set<string>> {
  const values = Prisma.join(
    rows.map(
      (row) =>
        Prisma.sql`(${row.id}::uuid, ${row.tokenHash}::char(64), ${row.lastSeenAt}::timestamptz, ${row.expiresAt}::timestamptz)`,
    ),
  );
  // Matching the token hash too: a session rotated or ended meanwhile is neither revived nor extended.
  // Alive when it was used (v.seen), not when the batch runs: a use in its last second must still slide it.
  const updated = await prisma.$queryRaw<{ id: string }[]>`
    UPDATE sessions AS s
       SET last_seen_at = GREATEST(s.last_seen_at, v.seen),
           expires_at = LEAST(GREATEST(s.expires_at, v.expires), s.absolute_expires_at)
      FROM (VALUES ${values}) AS v (id, token_hash, seen, expires)
     WHERE s.id = v.id AND s.token_hash = v.token_hash AND s.expires_at > v.seen
 RETURNING s.id::text AS id`;
  return new Set(updated.map((row) => row.id));
}
