import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { Accounts } from './auth/accounts.js';
import { presentedSessionValue } from './auth/cookies.js';
import { createArgon2Hasher, OWASP_ARGON2, type PasswordHasher } from './auth/password.js';
import { Recovery } from './auth/recovery.js';
import { type ClientInfo, SessionStore, type SessionSyncOptions } from './auth/sessions.js';
import { memoizedVerifier } from './auth/tokens.js';
import type { Config } from './config.js';
import { bindPrisma, type Context, type Services, type Viewer } from './context.js';
import type { Database } from './db/client.js';
import { createReadinessCheck } from './db/readiness.js';
import { failureDetails } from './db/unavailable.js';
import { useAccountPage } from './http/account-page.js';
import { useArmor } from './http/armor.js';
import { useBodyLimit } from './http/body-limit.js';
import { useCsrfGuard, useJsonMediaTypes } from './http/csrf.js';
import { boundedParserAndValidationCache } from './http/document-cache.js';
import { maskedErrors } from './http/errors.js';
import { renderGraphiQL, useGraphiQLAssets } from './http/graphiql.js';
import { useSecurityHeaders } from './http/headers.js';
import { hostCheck, useHostCheck } from './http/hosts.js';
import { useQueryStringJson } from './http/query-string.js';
import { useReadiness } from './http/readiness.js';
import { useRequestLog, yogaLogger } from './http/request-log.js';
import { isServedRoute, useServedRoutes } from './http/routes.js';
import { cookieIntentFor, useSessionCookie } from './http/session-cookie.js';
import { useVariableErrors } from './http/variable-errors.js';
import { createLimits } from './limits/limits.js';
import { createLoaders } from './loaders.js';
import type { Logger } from './logger.js';
import { SecurityNotices } from './mail/notices.js';
import { MailOutbox } from './mail/outbox.js';
import { schema } from './schema/index.js';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  /** Tests may inject a cheaper hasher; production uses argon2id at OWASP's parameters. */
  hasher?: PasswordHasher;
  /** The session cache and how its invalidations travel (LISTEN/NOTIFY on PostgreSQL; boot.ts builds it). */
  sessionSync?: SessionSyncOptions;
}

/** What the Node HTTP adapter passes along with each request. */
export interface ServerContext {
  req?: { url?: string | undefined; socket?: { remoteAddress?: string | undefined } };
}

export interface App {
  yoga: YogaServerInstance<ServerContext, Context>;
  services: Services;
  /** Stops what the app started itself (the hash process). */
  close(): void;
}

const GRAPHQL_ENDPOINT = '/graphql';

export function createApp({ config, db, logger, hasher, sessionSync }: AppDeps): App {
  const sessions = new SessionStore(db.prisma, config.sessions, undefined, {
    onTouchError: (error) =>
      logger.warn(failureDetails(error), 'session touches not written; retrying'),
    ...sessionSync,
  });
  const passwordHasher =
    hasher ??
    createArgon2Hasher(OWASP_ARGON2, {
      concurrency: config.limits.passwordHashConcurrency,
      queue: config.limits.passwordHashQueue,
      maxWaitMs: config.limits.passwordHashMaxWaitMs,
      nice: config.limits.passwordHashNice,
      idleClass: config.limits.passwordHashIdleClass,
    });
  const limits = createLimits(
    config.limits,
    db.pool ? { kind: 'postgres', pool: db.pool } : { kind: 'memory' },
  );
  const outbox = new MailOutbox(config.sessionSecrets);
  const notices = new SecurityNotices(outbox, config.mail, limits);
  const services: Services = {
    config,
    sessions,
    limits,
    accounts: new Accounts({
      prisma: db.prisma,
      hasher: passwordHasher,
      sessions,
      limits,
      notices,
    }),
    recovery: new Recovery({
      prisma: db.prisma,
      hasher: passwordHasher,
      sessions,
      outbox,
      notices,
      limits,
      secrets: config.sessionSecrets,
      otpTtlMs: config.otpTtlMs,
      publicUrl: config.publicUrl,
    }),
    outbox,
  };
  const cookieSettings = { secure: config.http.cookieSecure };
  const verifyCookie = memoizedVerifier(config.sessionSecrets, config.sessions.cacheSize);
  const hostAllowed = hostCheck(config.http);
  const routes = { graphqlEndpoint: GRAPHQL_ENDPOINT };

  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    // Yoga renders GraphiQL before any plugin of ours runs, at every URL ending in /graphql: only where
    // the host and route checks below would let the request through.
    graphiql: config.http.graphiql
      ? (request, serverContext) =>
          hostAllowed(request) &&
          isServedRoute(request.method, new URL(request.url), serverContext ?? {}, routes) && {
            title: 'sessiongraph',
            credentials: 'same-origin',
          }
      : false,
    // From the package's own files, served below: no CDN (http/graphiql.ts).
    renderGraphiQL,
    landingPage: false,
    logging: yogaLogger(logger),
    maskedErrors: maskedErrors(logger),
    // useBodyLimit below enforces MAX_BODY_BYTES (413) for declared and chunked bodies alike. Yoga's own
    // limit would pipe every body through a TransformStream, even one whose length is declared: about
    // 8% of the CPU of a cached `me` request, for nothing (bench: auth tax).
    maxRequestBodySize: false,
    parserAndValidationCache: boundedParserAndValidationCache(),
    cors: (request) => {
      const origin = request.headers.get('origin');
      if (!origin || !config.http.allowedOrigins.includes(origin)) return false;
      return {
        origin: [origin],
        credentials: true,
        methods: ['GET', 'POST'],
        allowedHeaders: ['content-type', 'authorization'],
      };
    },
    plugins: [
      // First, so that requests other plugins refuse early are logged too.
      useRequestLog(logger),
      useHostCheck(hostAllowed),
      useServedRoutes(routes),
      useCsrfGuard({
        ...config.http,
        publicOrigin: config.publicUrl.origin,
        production: config.production,
      }),
      useJsonMediaTypes(),
      useQueryStringJson(),
      ...(config.http.graphiql ? [useGraphiQLAssets()] : []),
      useAccountPage(),
      useBodyLimit({ maxBytes: config.http.maxBodyBytes }),
      ...useArmor(config.graphql, config.http.introspection),
      useVariableErrors(),
      useSessionCookie(),
      useSecurityHeaders({ hsts: config.http.cookieSecure, graphqlEndpoint: GRAPHQL_ENDPOINT }),
      useReadiness({ endpoint: '/ready', check: createReadinessCheck(db) }),
    ],
    context: async ({ request, req }): Promise<Omit<Context, 'request'> & { request: Request }> => {
      const cookie = cookieIntentFor(request, cookieSettings, config.sessionSecrets);
      const context: Context = {
        request,
        client: clientInfo(request, req?.socket?.remoteAddress, config.http.trustProxy),
        viewer: await resolveViewer(request),
        services,
        loaders: createLoaders(db.prisma),
        cookie,
      };
      bindPrisma(context, db.prisma);
      return context;

      async function resolveViewer(request: Request): Promise<Viewer | null> {
        const presented = presentedSessionValue(request.headers, cookieSettings);
        if (!presented) return null;
        const token = verifyCookie(presented.value);
        const live = token ? await sessions.validate(token) : null;
        if (!live || !token) {
          // A dead or forged cookie is cleared so the browser stops sending it; a bad Bearer beside a good
          // cookie says nothing about the cookie, which stays.
          if (presented.via === 'cookie') cookie.clear();
          return null;
        }
        if (live.extended && live.session.keepSignedIn)
          cookie.set(token.token, sessions.cookieMaxAge(live.session));
        return { user: live.user, session: live.session };
      }
    },
  });

  return { yoga, services, close: () => passwordHasher.close() };
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
