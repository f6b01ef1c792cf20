import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/db.js';
import type { RunStatement } from '../../db/statements.js';
import { isUuid } from '../../db/uuid.js';
import type { WriteBehind } from '../../db/write-behind.js';
import type { Prisma, PrismaClient, Session, User } from '../../generated/prisma/client.js';
import type { AuthMethod } from '../../generated/prisma/enums.js';
import { type CachedSession, SessionCache, type SessionChange } from './cache.js';
import { rotatedAwaySince, sessionWithUser } from './lookup.js';
import { CommittedChanges, type InvalidationBus, inProcessBus } from './sync.js';
import { hashToken, newToken, type VerifiedToken } from './tokens.js';
import { type Touch, touchBatch } from './touches.js';

/**
 * Every session rule in one place: lifetimes, sliding expiry, rotation and revocation. The server's
 * clock decides expiry; the cookie's Max-Age only tells the browser when to forget it.
 */

export interface SessionPolicy {
  idleTtlMs: number;
  rememberTtlMs: number;
  absoluteTtlMs: number;
  /** lastSeenAt and the sliding expiry are written at most this often, so most reads cost no write. */
  touchIntervalMs: number;
  /** Live sessions one user may hold; a new one beyond it ends the least recently seen. 0: no limit. */
  maxPerUser?: number;
}

export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

export interface IssuedSession {
  /** The raw token, for the cookie; it exists nowhere else. */
  token: string;
  session: Session;
}

export interface LiveSession {
  session: Session;
  user: User;
  /** The expiry moved forward on this request (a persistent cookie should be re-sent). */
  extended: boolean;
}

/** The per-process side of sessions; by default a cache that only this process invalidates (PGlite). */
export interface SessionSyncOptions {
  cache?: SessionCache;
  bus?: InvalidationBus;
  /** What the bus tells besides the cache (open streams); give the bus the same one. */
  committed?: CommittedChanges;
  onTouchError?: (error: unknown) => void;
  /**
   * Called in the transaction that ends a session to make room for a new one (`maxPerUser`), so the
   * account's log records it with the change.
   */
  onDisplaced?: (
    tx: Prisma.TransactionClient,
    ended: { userId: string; sessionId: string; client: ClientInfo },
  ) => Promise<void>;
}

/** How long a token rotated away is still recognised as its holder's previous one. */
const ROTATION_GRACE_MS = 60_000;

export class SessionStore {
  readonly cache: SessionCache;
  /** Every committed session change, on this instance and (through the bus) the others. */
  readonly committed: CommittedChanges;
  private readonly bus: InvalidationBus;
  private readonly touches: WriteBehind<Touch>;
  private readonly onDisplaced: NonNullable<SessionSyncOptions['onDisplaced']>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly run: RunStatement,
    private readonly policy: SessionPolicy,
    private readonly now: () => Date = () => new Date(),
    sync: SessionSyncOptions = {},
  ) {
    this.cache = sync.cache ?? new SessionCache();
    this.committed = sync.committed ?? new CommittedChanges();
    this.bus = sync.bus ?? inProcessBus(this.cache, this.committed);
    this.onDisplaced = sync.onDisplaced ?? (async () => {});
    this.touches = touchBatch(prisma, {
      // Well inside the shortest lifetime, so a slid expiry reaches the row before the old one passes.
      flushMs: Math.min(policy.touchIntervalMs, policy.idleTtlMs / 4, 1_000),
      onLost: (sessions) => this.cache.invalidate({ sessions }),
      ...(sync.onTouchError ? { onError: sync.onTouchError } : {}),
    });
  }

  /**
   * Whether this token was rotated away in the last minute, by any instance: a request still in flight
   * with it (another tab, a request sent just before) must not clear the cookie the rotation just set.
   * Asked only for a signed cookie that found no session, which is rare; the row remembers the hash, so
   * the answer does not depend on which instance rotated it.
   */
  wasRotatedAway(tokenHash: string): Promise<boolean> {
    return rotatedAwaySince(
      this.run,
      tokenHash,
      new Date(this.now().getTime() - ROTATION_GRACE_MS),
    );
  }

  /** Writes pending touches; call before closing the database. */
  close(): Promise<void> {
    return this.touches.close();
  }

  /** Writes pending touches now, rather than at the end of the batch interval. */
  flushTouches(): Promise<void> {
    return this.touches.flush();
  }

  ttlMs(keepSignedIn: boolean): number {
    return keepSignedIn ? this.policy.rememberTtlMs : this.policy.idleTtlMs;
  }

  /** Seconds until a persistent cookie should be forgotten; undefined for a browser-session cookie. */
  cookieMaxAge(session: Pick<Session, 'keepSignedIn' | 'expiresAt'>): number | undefined {
    if (!session.keepSignedIn) return undefined;
    // Rounded up: a cookie issued now says the full lifetime (30 days, not 30 days less a second).
    return Math.max(0, Math.ceil((session.expiresAt.getTime() - this.now().getTime()) / 1000));
  }

  private nextExpiry(keepSignedIn: boolean, absoluteExpiresAt: Date, now: Date): Date {
    return new Date(
      Math.min(now.getTime() + this.ttlMs(keepSignedIn), absoluteExpiresAt.getTime()),
    );
  }

  /** A new session for a user who has just proven `methods` (they become its recent authentication). */
  async start(
    userId: string,
    keepSignedIn: boolean,
    client: ClientInfo,
    methods: AuthMethod[],
    db: Db = this.prisma,
  ): Promise<IssuedSession> {
    // The limit is read and enforced under one lock, so it needs a transaction of its own if none is given.
    if (this.limitsSessions && db === this.prisma)
      return this.prisma.$transaction((tx) =>
        this.start(userId, keepSignedIn, client, methods, tx),
      );
    await this.makeRoom(userId, client, db);
    const issued = this.issue(userId, keepSignedIn, client, methods);
    await db.session.create({ data: issued.session });
    return issued;
  }

  /**
   * A new session's token and row, not yet written: `start` writes it, and a sign-in writes it in its
   * own statement (open-session.ts), after `makeRoom` in the same transaction.
   */
  issue(
    userId: string,
    keepSignedIn: boolean,
    client: ClientInfo,
    methods: AuthMethod[],
  ): IssuedSession {
    const now = this.now();
    const absoluteExpiresAt = new Date(now.getTime() + this.policy.absoluteTtlMs);
    const token = newToken();
    const session: Session = {
      id: randomUUID(),
      userId,
      tokenHash: hashToken(token),
      keepSignedIn,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: this.nextExpiry(keepSignedIn, absoluteExpiresAt, now),
      absoluteExpiresAt,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip?.slice(0, 64) ?? null,
      authenticatedAt: now,
      methods,
      previousTokenHash: null,
      rotatedAt: null,
    };
    return { token, session };
  }

  private get limitsSessions(): boolean {
    return (this.policy.maxPerUser ?? 0) > 0;
  }

  /**
   * With `maxPerUser`, ends the user's least recently seen live sessions so that one more fits. The user
   * row is locked first: parallel sign-ins of one user count one after another, so none overshoots.
   * Call it in the transaction that then writes the new session.
   */
  async makeRoom(userId: string, client: ClientInfo, db: Db): Promise<void> {
    const max = this.policy.maxPerUser ?? 0;
    if (max <= 0) return;
    await db.$queryRaw`SELECT id FROM users WHERE id = ${userId}::uuid FOR NO KEY UPDATE`;
    const live = await db.session.findMany({
      where: { userId, expiresAt: { gt: this.now() } },
      orderBy: [{ lastSeenAt: 'asc' }, { createdAt: 'asc' }],
      select: { id: true },
    });
    const ended = live.slice(0, Math.max(0, live.length - max + 1)).map(({ id }) => id);
    if (ended.length === 0) return;
    await this.changing(db, { sessions: ended }, (tx) =>
      tx.session.deleteMany({ where: { id: { in: ended } } }),
    );
    for (const sessionId of ended) await this.onDisplaced(db, { userId, sessionId, client });
  }

  /**
   * The live session behind a token, with its user; slides its expiry when due. Served from the cache
   * when possible, so a plain authenticated request costs no SQL; the touch is written later, batched.
   */
  async validate(
    { hash: tokenHash }: VerifiedToken,
    { activity = true }: { activity?: boolean } = {},
  ): Promise<LiveSession | null> {
    const now = this.now();
    let found = this.cache.get(tokenHash);
    // A cached expiry may be older than the row (another instance slid it): only the row may say "expired".
    if (!found || found.session.expiresAt <= now)
      found = (await this.load(tokenHash, now)) ?? undefined;
    if (!found) return null;
    const { session, user } = found;
    // Opening a stream is not activity: it must not keep a session alive (API.md, Live events).
    if (!activity) return { session, user, extended: false };

    const halfLifeLeft =
      session.expiresAt.getTime() - now.getTime() < this.ttlMs(session.keepSignedIn) / 2;
    const touchDue = now.getTime() - session.lastSeenAt.getTime() >= this.policy.touchIntervalMs;
    if (!halfLifeLeft && !touchDue) return { session, user, extended: false };

    const expiresAt = halfLifeLeft
      ? this.nextExpiry(session.keepSignedIn, session.absoluteExpiresAt, now)
      : session.expiresAt;
    const touched = { ...session, lastSeenAt: now, expiresAt };
    // The batch writes it conditionally on the token hash: a session revoked or rotated meanwhile stays dead.
    this.touches.add(touched);
    this.cache.refresh(touched);
    return {
      session: touched,
      user,
      extended: expiresAt.getTime() !== session.expiresAt.getTime(),
    };
  }

  private async load(tokenHash: string, now: Date): Promise<CachedSession | null> {
    const ticket = this.cache.ticket();
    const entry = await sessionWithUser(this.run, tokenHash);
    if (!entry || entry.session.expiresAt <= now) return null;
    this.cache.set(ticket, entry);
    return entry;
  }

  /** Runs a write and announces it in one transaction, so every instance hears of it exactly when it commits. */
  private changing<T>(db: Db, change: SessionChange, write: (db: Db) => Promise<T>): Promise<T> {
    const run = async (tx: Db) => {
      const result = await write(tx);
      await this.bus.publish(change, tx);
      return result;
    };
    return db === this.prisma ? this.prisma.$transaction((tx) => run(tx)) : run(db);
  }

  /** For code outside this module that alters a user row (profile, password): cached copies must go. */
  userChanged(userId: string, db: Db = this.prisma): Promise<void> {
    return this.changing(db, { users: [userId] }, async () => {});
  }

  /**
   * A new token for the same session (fixation defence); the old token stops working at once. With
   * `proven`, the holder has just proven those credentials again: they become its recent authentication.
   */
  async rotate(
    session: Session,
    db: Db = this.prisma,
    proven?: AuthMethod[],
  ): Promise<IssuedSession | null> {
    const now = this.now();
    const token = newToken();
    const expiresAt = this.nextExpiry(session.keepSignedIn, session.absoluteExpiresAt, now);
    const changes = {
      tokenHash: hashToken(token),
      previousTokenHash: session.tokenHash,
      rotatedAt: now,
      lastSeenAt: now,
      expiresAt,
      ...(proven ? { authenticatedAt: now, methods: proven } : {}),
    };
    const { count } = await this.changing(db, { sessions: [session.id] }, (tx) =>
      tx.session.updateMany({
        where: { id: session.id, tokenHash: session.tokenHash, expiresAt: { gt: now } },
        data: changes,
      }),
    );
    if (count === 0) return null;
    return { token, session: { ...session, ...changes } };
  }

  async end(sessionId: string, db: Db = this.prisma): Promise<boolean> {
    const { count } = await this.changing(db, { sessions: [sessionId] }, (tx) =>
      tx.session.deleteMany({ where: { id: sessionId } }),
    );
    return count > 0;
  }

  /** Ends one of the user's live sessions; false when it is not theirs or not live. */
  async endOwn(userId: string, sessionId: string, db: Db = this.prisma): Promise<boolean> {
    // Not a UUID cannot be a session id; asking the database would only earn a type error.
    if (!isUuid(sessionId)) return false;
    const { count } = await this.changing(db, { sessions: [sessionId] }, (tx) =>
      tx.session.deleteMany({ where: { id: sessionId, userId, expiresAt: { gt: this.now() } } }),
    );
    return count > 0;
  }

  /** Ends the user's other live sessions; the ids of those it ended (one log entry each). */
  endOthers(userId: string, keepSessionId: string, db: Db = this.prisma): Promise<string[]> {
    return this.changing(db, { users: [userId] }, async (tx) => {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        DELETE FROM sessions
         WHERE user_id = ${userId}::uuid AND id <> ${keepSessionId}::uuid AND expires_at > ${this.now()}
     RETURNING id::text AS id`;
      return rows.map((row) => row.id);
    });
  }

  /** Ends every session of the user; the ids of the live ones it ended (expired rows go too, unlisted). */
  endAll(userId: string, db: Db = this.prisma): Promise<string[]> {
    return this.changing(db, { users: [userId] }, async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; live: boolean }[]>`
        DELETE FROM sessions WHERE user_id = ${userId}::uuid
     RETURNING id::text AS id, expires_at > ${this.now()} AS live`;
      return rows.filter((row) => row.live).map((row) => row.id);
    });
  }

  /** `query` lets the GraphQL layer fold the relations it will read into the same statement. */
  listLive(
    userId: string,
    query: Pick<Prisma.SessionFindManyArgs, 'include' | 'select'> = {},
  ): Promise<Session[]> {
    return this.prisma.session.findMany({
      ...query,
      where: { userId, expiresAt: { gt: this.now() } },
      orderBy: [{ lastSeenAt: 'desc' }, { createdAt: 'desc' }],
    });
  }
}
