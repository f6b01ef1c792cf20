import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { createServices, type Services, type ServicesDeps } from '../core/services.js';
import { memoizedVerifier } from '../core/sessions/tokens.js';
import { createReadinessCheck } from '../db/readiness.js';
import { type Context, createContext } from '../schema/context.js';
import { schema } from '../schema/index.js';
import { useAccountPage } from './account-page.js';
import { useArmor } from './armor.js';
import { useBodyLimit } from './body-limit.js';
import { useCsrfGuard, useJsonMediaTypes } from './csrf.js';
import { boundedParserAndValidationCache } from './document-cache.js';
import { maskedErrors } from './errors.js';
import { useGraphqlJsExecutor } from './executor.js';
import { renderGraphiQL, useGraphiQLAssets } from './graphiql.js';
import { useSecurityHeaders } from './headers.js';
import { hostCheck, useHostCheck } from './hosts.js';
import { useQueryStringJson } from './query-string.js';
import { useReadiness } from './readiness.js';
import { useRequestLog, yogaLogger } from './request-log.js';
import { restRouteMethods, useRestRoutes } from './rest/index.js';
import { isServedRoute, useServedRoutes } from './routes.js';
import type { ServerContext } from './server-context.js';
import { useSessionCookie } from './session-cookie.js';
import { opensStream, useStreamLifetime } from './stream-lifetime.js';
import { useVariableErrors } from './variable-errors.js';
import { useWhoami, WHOAMI_PATH } from './whoami.js';

/** The core's dependencies (database, logger, hasher, cache sync, clock); boot.ts supplies them. */
export type AppDeps = ServicesDeps;

export interface App {
  yoga: YogaServerInstance<ServerContext, Context>;
  services: Services;
  /** Stops what the app started itself (open event streams). */
  close(): void;
}

const GRAPHQL_ENDPOINT = '/graphql';

export function createApp(deps: AppDeps): App {
  const { config, db, logger } = deps;
  const core = createServices(deps);
  const { services } = core;
  const context = createContext({
    services,
    prisma: db.prisma,
    verifyToken: memoizedVerifier(
      config.sessionSecrets,
      config.internal.verifyMemo ? config.sessions.cacheSize : 0,
    ),
    trustProxy: config.http.trustProxy,
  });
  const hostAllowed = hostCheck(config.http);
  const routes = {
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    more: new Map([...restRouteMethods(), [WHOAMI_PATH, new Set(['GET', 'HEAD'])]]),
  };

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
    // useBodyLimit below enforces MAX_BODY_BYTES (413) for declared and chunked bodies alike.
    maxRequestBodySize: config.internal.bodyLimit === 'yoga' ? config.http.maxBodyBytes : false,
    parserAndValidationCache: boundedParserAndValidationCache(),
    cors: (request) => {
      const origin = request.headers.get('origin');
      if (!origin || !config.http.allowedOrigins.includes(origin)) return false;
      return {
        origin: [origin],
        credentials: true,
        methods: ['GET', 'POST', 'DELETE'],
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
      ...(config.internal.bodyLimit === 'plugin'
        ? [useBodyLimit({ maxBytes: config.http.maxBodyBytes })]
        : []),
      // After the guards above, whose rules hold for these routes as for GraphQL.
      useWhoami({ context, logger }),
      useRestRoutes({ context, logger, maxBodyBytes: config.http.maxBodyBytes }),
      ...useArmor(config.graphql, config.http.introspection),
      useVariableErrors(),
      useStreamLifetime(services.streams),
      useSessionCookie(),
      useSecurityHeaders({ hsts: config.http.cookieSecure, graphqlEndpoint: GRAPHQL_ENDPOINT }),
      useReadiness({ endpoint: '/ready', check: createReadinessCheck(db) }),
      useGraphqlJsExecutor(),
    ],
    context: ({ request, req }) =>
      context(request, req?.socket?.remoteAddress, { activity: !opensStream(request) }),
  });

  return { yoga, services, close: core.close };
}
