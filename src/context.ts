import { RequestCache } from '@pothos/plugin-scope-auth';
import type { Accounts } from './auth/accounts.js';
import type { Recovery } from './auth/recovery.js';
import type { ClientInfo, SessionStore } from './auth/sessions.js';
import type { Config } from './config.js';
import type { PrismaClient, Session, User } from './generated/prisma/client.js';
import type { SessionCookieIntent } from './http/session-cookie.js';
import type { Limits } from './limits/limits.js';
import type { Loaders } from './loaders.js';
import type { MailOutbox } from './mail/outbox.js';

/** Who is making the request, when a live session was presented. */
export interface Viewer {
  user: User;
  session: Session;
}

/** What the request-scoped code may use; the database client is deliberately not in this type. */
export interface Services {
  config: Config;
  accounts: Accounts;
  sessions: SessionStore;
  /** Abuse limits (API.md): counters shared by every instance on PostgreSQL. */
  limits: Limits;
  recovery: Recovery;
  /** Mail written in a request's transaction; the worker (boot.ts) sends it. */
  outbox: MailOutbox;
}

export interface Context {
  request: Request;
  client: ClientInfo;
  viewer: Viewer | null;
  services: Services;
  loaders: Loaders;
  /** Resolvers record the cookie to send here; one response hook writes Set-Cookie. */
  cookie: SessionCookieIntent;
}

export type SignedInContext = Context & { viewer: Viewer };

/**
 * Changes who the rest of this request acts for (sign-in, logout, rotation). Scope results are cached per
 * request, so they are dropped too: a later field of the same document must not be authorised as the old viewer.
 */
export function setViewer(context: Context, viewer: Viewer | null): void {
  context.viewer = viewer;
  RequestCache.clearForContext(context);
}

// Keyed by the Request: Yoga hands resolvers a context object of its own making around ours.
const clients = new WeakMap<Request, PrismaClient>();

export function bindPrisma(context: Context, prisma: PrismaClient): void {
  clients.set(context.request, prisma);
}

export function prismaFor(context: Context): PrismaClient {
  const prisma = clients.get(context.request);
  if (!prisma) throw new Error('context has no database client bound');
  return prisma;
}
