import type { Prisma, PrismaClient, Session, User } from '../generated/prisma/client.js';
import { hashToken, newToken } from './tokens.js';

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

type Db = PrismaClient | Prisma.TransactionClient;

export class SessionStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly policy: SessionPolicy,
    private readonly now: () => Date = () => new Date(),
  ) {}

  ttlMs(keepSignedIn: boolean): number {
    return keepSignedIn ? this.policy.rememberTtlMs : this.policy.idleTtlMs;
  }

  /** Seconds until a persistent cookie should be forgotten; undefined for a browser-session cookie. */
  cookieMaxAge(session: Pick<Session, 'keepSignedIn' | 'expiresAt'>): number | undefined {
    if (!session.keepSignedIn) return undefined;
    return Math.max(0, Math.floor((session.expiresAt.getTime() - this.now().getTime()) / 1000));
  }

  private nextExpiry(keepSignedIn: boolean, absoluteExpiresAt: Date, now: Date): Date {
    return new Date(Math.min(now.getTime() + this.ttlMs(keepSignedIn), absoluteExpiresAt.getTime()));
  }

  async start(userId: string, keepSignedIn: boolean, client: ClientInfo, db: Db = this.prisma): Promise<IssuedSession> {
    const now = this.now();
    const absoluteExpiresAt = new Date(now.getTime() + this.policy.absoluteTtlMs);
    const token = newToken();
    const session = await db.session.create({
      data: {
        userId,
        tokenHash: hashToken(token),
        keepSignedIn,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: this.nextExpiry(keepSignedIn, absoluteExpiresAt, now),
        absoluteExpiresAt,
        userAgent: client.userAgent?.slice(0, 512) ?? null,
        ip: client.ip?.slice(0, 64) ?? null,
      },
    });
    return { token, session };
  }

  /** The live session behind a token, with its user; slides its expiry when due. */
  async validate(token: string): Promise<LiveSession | null> {
    const now = this.now();
    const found = await this.prisma.session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
    if (!found) return null;
    const { user, ...session } = found;
    if (session.expiresAt <= now) return null;

    const halfLifeLeft = session.expiresAt.getTime() - now.getTime() < this.ttlMs(session.keepSignedIn) / 2;
    const touchDue = now.getTime() - session.lastSeenAt.getTime() >= this.policy.touchIntervalMs;
    if (!halfLifeLeft && !touchDue) return { session, user, extended: false };

    const expiresAt = halfLifeLeft ? this.nextExpiry(session.keepSignedIn, session.absoluteExpiresAt, now) : session.expiresAt;
    // Conditional on the token hash: a session revoked or rotated meanwhile is not brought back.
    const { count } = await this.prisma.session.updateMany({
      where: { id: session.id, tokenHash: session.tokenHash, expiresAt: { gt: now } },
      data: { lastSeenAt: now, expiresAt },
    });
    if (count === 0) return null;
    return {
      session: { ...session, lastSeenAt: now, expiresAt },
      user,
      extended: expiresAt.getTime() !== session.expiresAt.getTime(),
    };
  }

  /** A new token for the same session (fixation defence); the old token stops working at once. */
  async rotate(session: Session, db: Db = this.prisma): Promise<IssuedSession | null> {
    const now = this.now();
    const token = newToken();
    const expiresAt = this.nextExpiry(session.keepSignedIn, session.absoluteExpiresAt, now);
    const { count } = await db.session.updateMany({
      where: { id: session.id, tokenHash: session.tokenHash, expiresAt: { gt: now } },
      data: { tokenHash: hashToken(token), lastSeenAt: now, expiresAt },
    });
    if (count === 0) return null;
    return { token, session: { ...session, tokenHash: hashToken(token), lastSeenAt: now, expiresAt } };
  }

  async end(sessionId: string, db: Db = this.prisma): Promise<boolean> {
    const { count } = await db.session.deleteMany({ where: { id: sessionId } });
    return count > 0;
  }

  /** Ends one of the user's live sessions; false when it is not theirs or not live. */
  async endOwn(userId: string, sessionId: string): Promise<boolean> {
    const { count } = await this.prisma.session.deleteMany({
      where: { id: sessionId, userId, expiresAt: { gt: this.now() } },
    });
    return count > 0;
  }

  async endOthers(userId: string, keepSessionId: string, db: Db = this.prisma): Promise<number> {
    const { count } = await db.session.deleteMany({
      where: { userId, id: { not: keepSessionId }, expiresAt: { gt: this.now() } },
    });
    return count;
  }

  async endAll(userId: string, db: Db = this.prisma): Promise<number> {
    const { count } = await db.session.deleteMany({ where: { userId } });
    return count;
  }

  /** `query` lets the GraphQL layer fold the relations it will read into the same statement. */
  listLive(userId: string, query: Pick<Prisma.SessionFindManyArgs, 'include' | 'select'> = {}): Promise<Session[]> {
    return this.prisma.session.findMany({
      ...query,
      where: { userId, expiresAt: { gt: this.now() } },
      orderBy: [{ lastSeenAt: 'desc' }, { createdAt: 'desc' }],
    });
  }
}
