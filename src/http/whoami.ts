import type { Plugin } from 'graphql-yoga';
import { databaseUnavailableReason } from '../db/unavailable.js';
import type { Logger } from '../logger.js';
import type { createContext } from '../schema/context.js';
import { heldForVerification } from '../schema/email-verification-gate.js';
import { DATABASE_RETRY_AFTER_SECONDS } from './errors.js';
import { refusal } from './refusal.js';
import type { ServerContext } from './server-context.js';

/**
 * GET /whoami, for a proxy's forward-auth (nginx auth_request, Traefik ForwardAuth, Envoy ext_authz):
 * 200 with the user and session, and the same facts in X-User-* / X-Session-* headers for the proxy to
 * hand its upstream; 401 without a live session; 403 for a user EMAIL_VERIFICATION=required holds back. The session is read exactly as a GraphQL request reads
 * it (cookie or Bearer, signature, cache, sliding expiry), so a check is activity like any request and
 * a slid persistent cookie is re-sent by the same response hook. Never cached: a revoke must hold at once.
 */

export const WHOAMI_PATH = '/whoami';

export interface WhoamiOptions {
  context: ReturnType<typeof createContext>;
  logger: Logger;
}

const NO_STORE = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
const BEARER = { 'www-authenticate': 'Bearer realm="sessiongraph"' };
const RETRY_AFTER_DATABASE = { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) };

export function useWhoami({
  context,
  logger,
}: WhoamiOptions): Plugin<Record<string, unknown>, ServerContext> {
  return {
    async onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (url.pathname !== WHOAMI_PATH || (request.method !== 'GET' && request.method !== 'HEAD'))
        return;
      let built: Awaited<ReturnType<typeof context>>;
      try {
        built = await context(request, serverContext.req?.socket?.remoteAddress);
      } catch (error) {
        // No session can be read: the proxy answers its client 500 (auth_request turns any status but
        // 2xx, 401 and 403 into one), and the cause is in our log.
        if (databaseUnavailableReason(error))
          return endResponse(
            refusal(fetchAPI, 503, 'UNAVAILABLE', undefined, {}, RETRY_AFTER_DATABASE),
          );
        logger.error({ err: error }, 'unexpected error');
        return endResponse(refusal(fetchAPI, 500, 'INTERNAL_SERVER_ERROR'));
      }
      const { viewer } = built;
      if (!viewer)
        return endResponse(refusal(fetchAPI, 401, 'UNAUTHENTICATED', undefined, {}, BEARER));
      // EMAIL_VERIFICATION=required: the upstream would serve someone GraphQL refuses (API.md: 403).
      if (heldForVerification(built))
        return endResponse(refusal(fetchAPI, 403, 'EMAIL_NOT_VERIFIED'));
      const { user, session } = viewer;
      const authTime = session.authenticatedAt;
      endResponse(
        new fetchAPI.Response(
          JSON.stringify({
            user: { id: user.id, name: user.name, email: user.email, role: user.role },
            session: { id: session.id, expiresAt: session.expiresAt, authenticatedAt: authTime },
          }),
          {
            status: 200,
            headers: {
              ...NO_STORE,
              'x-user-id': user.id,
              'x-user-role': user.role,
              'x-session-id': session.id,
              // Seconds since the epoch, as OpenID Connect's auth_time.
              'x-user-auth-time': String(Math.floor(authTime.getTime() / 1000)),
            },
          },
        ),
      );
    },
  };
}
