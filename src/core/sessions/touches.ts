import { Prisma, type PrismaClient, type Session } from '../../generated/prisma/client.js';

/**
 * lastSeenAt and sliding expiry, collected in memory and written in one statement per batch, so an
 * authenticated request never waits for a write. A session is due at most once per touch interval
 * (SessionStore decides), and the map keeps one pending row per session whatever arrives meanwhile.
 */

type Touch = Pick<Session, 'id' | 'tokenHash' | 'lastSeenAt' | 'expiresAt'>;

export interface TouchBatchOptions {
  /** How often pending touches are written. */
  flushMs: number;
  /** Sessions whose row was gone or rotated when written: their cached copies must go too. */
  onLost: (sessionIds: string[]) => void;
  onError?: (error: unknown) => void;
}

const ROWS_PER_STATEMENT = 500;

export class TouchBatch {
  private pending = new Map<string, Touch>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: TouchBatchOptions,
  ) {}

  add({ id, tokenHash, lastSeenAt, expiresAt }: Touch): void {
    this.pending.set(id, { id, tokenHash, lastSeenAt, expiresAt });
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushMs);
      this.timer.unref();
    }
  }

  get size(): number {
    return this.pending.size;
  }

  /** Writes everything pending; a failed batch (database away) is kept for the next attempt. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    for (let start = 0; start < batch.length; start += ROWS_PER_STATEMENT) {
      const rows = batch.slice(start, start + ROWS_PER_STATEMENT);
      try {
        const written = await this.writeRows(rows);
        const lost = rows.filter((row) => !written.has(row.id)).map((row) => row.id);
        if (lost.length) this.options.onLost(lost);
      } catch (error) {
        for (const row of batch.slice(start)) if (!this.pending.has(row.id)) this.add(row);
        this.options.onError?.(error);
        return;
      }
    }
  }

  private async writeRows(rows: Touch[]): Promise<Set<string>> {
    const values = Prisma.join(
      rows.map(
        (row) =>
          Prisma.sql`(${row.id}::uuid, ${row.tokenHash}::char(64), ${row.lastSeenAt}::timestamptz, ${row.expiresAt}::timestamptz)`,
      ),
    );
    // Matching the token hash too: a session rotated or ended meanwhile is neither revived nor extended.
    // Alive when it was used (v.seen), not when the batch runs: a use in its last second must still slide it.
    const updated = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE sessions AS s
         SET last_seen_at = GREATEST(s.last_seen_at, v.seen),
             expires_at = LEAST(GREATEST(s.expires_at, v.expires), s.absolute_expires_at)
        FROM (VALUES ${values}) AS v (id, token_hash, seen, expires)
       WHERE s.id = v.id AND s.token_hash = v.token_hash AND s.expires_at > v.seen
   RETURNING s.id::text AS id`;
    return new Set(updated.map((row) => row.id));
  }
}
