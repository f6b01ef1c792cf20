import { LRUCache } from 'lru-cache';
import type { Session, User } from '../../generated/prisma/client.js';

/**
 * Live sessions and their users, keyed by token hash, so an authenticated request costs no SQL.
 *
 * Correctness rules, in the order they matter:
 * - Every change to a session or user announces the user ids / session ids it touches; those entries
 *   are dropped at once here and, through the bus (sync.ts), on every other instance.
 * - A database read may only be cached if no invalidation happened since it began (`ticket`), so a
 *   read that raced a revoke cannot put the dead row back.
 * - While one of our own changes is in flight (written but not yet committed), reads of the rows it
 *   touches bypass the cache: PostgreSQL readers still see the old row until commit.
 * - While the bus is disconnected nothing is trusted: invalidations from other instances may be lost.
 */

export interface CachedSession {
  session: Session;
  user: User;
}

/** What a change touched. Any entry of one of these users or sessions is stale afterwards. */
export interface SessionChange {
  users?: string[];
  sessions?: string[];
}

export interface SessionCacheOptions {
  /** 0 turns the cache off. @default 10_000 */
  max?: number;
  /** Belt and braces: even a notification lost without the connection dropping heals this soon. @default 5m */
  ttlMs?: number;
  /** A held change that never commits (rolled back) stops blocking after this long. @default 10s */
  holdTimeoutMs?: number;
}

export class SessionCache {
  private readonly entries: LRUCache<string, CachedSession>;
  private readonly byUser = new Map<string, Set<string>>();
  // A set, not one hash: after a rotation the old and new token may both be cached for a moment.
  private readonly bySession = new Map<string, Set<string>>();
  private readonly holds = new Map<string, { change: SessionChange; until: number }>();
  private readonly holdTimeoutMs: number;
  private readonly enabled: boolean;
  private generation = 0;
  private trusted: boolean;

  constructor(options: SessionCacheOptions & { trusted?: boolean } = {}) {
    this.trusted = options.trusted ?? true;
    this.holdTimeoutMs = options.holdTimeoutMs ?? 10_000;
    this.enabled = options.max !== 0;
    this.entries = new LRUCache<string, CachedSession>({
      max: options.max || 10_000,
      ttl: options.ttlMs ?? 5 * 60_000,
      // A 'set' replaces an entry under the same token hash, hence the same session: its indexes stay.
      dispose: (entry, tokenHash, reason) => {
        if (reason !== 'set') this.unindex(tokenHash, entry);
      },
    });
  }

  get size(): number {
    return this.entries.size;
  }

  get isTrusted(): boolean {
    return this.trusted;
  }

  get(tokenHash: string): CachedSession | undefined {
    if (!this.trusted) return undefined;
    return this.entries.get(tokenHash);
  }

  /** Taken before a database read; `set` refuses the result if anything was invalidated meanwhile. */
  ticket(): number {
    return this.generation;
  }

  set(ticket: number, entry: CachedSession): void {
    if (!this.enabled || !this.trusted || ticket !== this.generation || this.isHeld(entry)) return;
    const { tokenHash, id, userId } = entry.session;
    this.entries.set(tokenHash, entry);
    addTo(this.bySession, id, tokenHash);
    addTo(this.byUser, userId, tokenHash);
  }

  /** Keeps a cached entry in step with a write this instance made to it (lastSeenAt, expiry). */
  refresh(session: Session): void {
    const entry = this.entries.get(session.tokenHash, { updateAgeOnGet: false });
    if (entry && entry.session.id === session.id) entry.session = session;
  }

  invalidate(change: SessionChange): void {
    this.generation++;
    for (const userId of change.users ?? []) {
      for (const tokenHash of [...(this.byUser.get(userId) ?? [])]) this.entries.delete(tokenHash);
    }
    for (const sessionId of change.sessions ?? []) {
      for (const tokenHash of [...(this.bySession.get(sessionId) ?? [])])
        this.entries.delete(tokenHash);
    }
  }

  /** Drops the entries now and keeps them out until `release` (the change's own notification). */
  hold(id: string, change: SessionChange): void {
    this.holds.set(id, { change, until: Date.now() + this.holdTimeoutMs });
    this.invalidate(change);
  }

  release(id: string): void {
    this.holds.delete(id);
  }

  /** The bus lost its connection: whatever it would have told us is unknown from now on. */
  distrust(): void {
    this.trusted = false;
    this.clear();
  }

  /** The bus is listening again; entries from before are dropped, since notifications may have been missed. */
  trust(): void {
    this.clear();
    this.trusted = true;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.byUser.clear();
    this.bySession.clear();
  }

  private isHeld({ session }: CachedSession): boolean {
    if (this.holds.size === 0) return false;
    const now = Date.now();
    for (const [id, { change, until }] of this.holds) {
      if (until < now) {
        this.holds.delete(id);
        continue;
      }
      if (change.users?.includes(session.userId) || change.sessions?.includes(session.id))
        return true;
    }
    return false;
  }

  private unindex(tokenHash: string, { session }: CachedSession): void {
    removeFrom(this.bySession, session.id, tokenHash);
    removeFrom(this.byUser, session.userId, tokenHash);
  }
}

function addTo(index: Map<string, Set<string>>, key: string, tokenHash: string): void {
  const tokens = index.get(key);
  if (tokens) tokens.add(tokenHash);
  else index.set(key, new Set([tokenHash]));
}

function removeFrom(index: Map<string, Set<string>>, key: string, tokenHash: string): void {
  const tokens = index.get(key);
  tokens?.delete(tokenHash);
  if (tokens?.size === 0) index.delete(key);
}
