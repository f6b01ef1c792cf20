import { RequestCache } from '@pothos/plugin-scope-auth';
import { isDisabled } from '../core/auth/account-state.js';
import type { SignInClient } from '../core/auth/accounts.js';
import type { Services } from '../core/services.js';
import type { CookieSettings } from '../core/sessions/cookies.js';
import { sessionOfRequest } from '../core/sessions/request.js';
import type { ClientInfo } from '../core/sessions/store.js';
import type { VerifiedToken } from '../core/sessions/tokens.js';
import type { PrismaClient, Session, User } from '../generated/prisma/client.js';
import { cookieIntentFor, type SessionCookieIntent } from './cookie-intent.js';
import { createLoaders, type Loaders } from './loaders.js';
import { requestSlot } from './request-slot.js';

/** Who is making the request, when a live session was presented. */
export interface Viewer {
  user: User;
  session: Session;
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

export interface ContextDeps {
  services: Services;
  prisma: PrismaClient;
  verifyToken: (value: string) => VerifiedToken | undefined;
  /** Whether X-Forwarded-For names the client (TRUST_PROXY). */
  trustProxy: boolean;
}

/** Builds each request's context: the viewer behind the presented session, and what its cookie becomes. */
export function createContext({ services, prisma, verifyToken, trustProxy }: ContextDeps) {
  const cookies: CookieSettings = { secure: services.config.http.cookieSecure };
  return async (
    request: Request,
    socketAddress: string | undefined,
    { activity = true }: { activity?: boolean } = {},
  ): Promise<Context> => {
    const cookie = cookieIntentFor(request, cookies, services.config.sessionSecrets);
    const found = await sessionOfRequest(request.headers, {
      cookies,
      verify: verifyToken,
      sessions: services.sessions,
      activity,
    });
    // Disabling ends every session, but a session some other path left alive must still not act for a
    // disabled account: the request is signed out, and its cookie cleared.
    const disabled = found.live !== null && isDisabled(found.live.user, services.now());
    if (found.cookie?.kind === 'clear' || disabled) cookie.clear();
    else if (found.cookie?.kind === 'resend')
      cookie.set(found.cookie.token, found.cookie.maxAgeSeconds);
    const context: Context = {
      request,
      client: clientInfo(request, socketAddress, trustProxy),
      viewer:
        found.live && !disabled ? { user: found.live.user, session: found.live.session } : null,
      services,
      loaders: createLoaders(prisma, services.now),
      cookie,
    };
    clients.set(request, prisma);
    return context;
  };
}

function clientInfo(
  request: Request,
  socketAddress: string | undefined,
  trustProxy: boolean,
): ClientInfo {
  // Behind a proxy, the right-most X-Forwarded-For entry is the one our proxy appended; the ones
  // before it are whatever the client chose to send.
  const forwarded = trustProxy
    ? request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim()
    : undefined;
  return {
    ip: forwarded || socketAddress?.replace(/^::ffff:/, '') || null,
    userAgent: request.headers.get('user-agent'),
  };
}

/** Who is proving a credential: the client, and the account's device cookie if this browser holds one. */
export function signInClient(context: Pick<Context, 'client' | 'cookie'>): SignInClient {
  return { ...context.client, device: context.cookie.presentedDevice() };
}

/**
 * Changes who the rest of this request acts for (sign-in, logout, rotation). Scope results are cached per
 * request, so they are dropped too: a later field of the same document must not be authorised as the old viewer.
 */
export function setViewer(context: Context, viewer: Viewer | null): void {
  context.viewer = viewer;
  RequestCache.clearForContext(context);
}

// Keyed by the Request: Yoga hands resolvers a context object of its own making around ours, and the
// client stays out of the Context type (it slows type-checking).
const clients = requestSlot<PrismaClient>('database client');

export function prismaFor(context: Context): PrismaClient {
  const prisma = clients.get(context.request);
  if (!prisma) throw new Error('context has no database client bound');
  return prisma;
}
