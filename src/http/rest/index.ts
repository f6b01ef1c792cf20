import type { Plugin } from 'graphql-yoga';
import { AppError, badInput } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { createContext } from '../../schema/context.js';
import type { ServerContext } from '../server-context.js';
import { answerForError, type RestAnswer, restShapedRefusal } from './answers.js';
import { type JsonObject, parseJsonObject } from './body.js';
import { forgetPassword, resetPassword } from './password-reset.js';
import { resetRequestIds } from './reset-request-id.js';
import type { RestRoute } from './route.js';
import { authenticateUser } from './user-auth.js';
import { createUser } from './user-create.js';
import { logoutUser } from './user-logout.js';
import { listUsers } from './users.js';

/**
 * The learn-sessions REST routes (API.md, "HTTP beside GraphQL"), thin handlers over the core GraphQL's
 * resolvers call. They run after the host, route, CSRF (JSON only, Origin) and body-size guards, build
 * the same request context as GraphQL (session, sliding expiry, cookie intents written by the same
 * response hook), and answer JSON that is never cached.
 */

export const REST_ROUTES: readonly RestRoute[] = [
  createUser,
  authenticateUser,
  logoutUser,
  listUsers,
  forgetPassword,
  resetPassword,
];

/** Path → methods, for the route guard (http/routes.ts). */
export const restRouteMethods = (): Map<string, Set<string>> => {
  const methods = new Map<string, Set<string>>();
  for (const { path, method } of REST_ROUTES)
    methods.set(path, (methods.get(path) ?? new Set()).add(method));
  return methods;
};

const REST_PATHS = new Set(REST_ROUTES.map((route) => route.path));

export interface RestOptions {
  context: ReturnType<typeof createContext>;
  logger: Logger;
  maxBodyBytes: number;
}

export function useRestRoutes({
  context,
  logger,
  maxBodyBytes,
}: RestOptions): Plugin<Record<string, unknown>, ServerContext> {
  let resetIds: ReturnType<typeof resetRequestIds> | undefined;
  return {
    async onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      const route = REST_ROUTES.find((r) => r.path === url.pathname && r.method === request.method);
      if (!route) return;
      let answer: RestAnswer;
      try {
        const body = route.method === 'POST' ? await readBody(request, maxBodyBytes) : {};
        const built = await context(request, serverContext.req?.socket?.remoteAddress);
        const { config, now } = built.services;
        resetIds ??= resetRequestIds({
          secrets: config.sessionSecrets,
          ttlMs: config.otpTtlMs,
          now,
        });
        answer = await route.handle({ context: built, body, url, resetIds });
      } catch (error) {
        answer = answerForError(error, logger);
      }
      endResponse(
        new fetchAPI.Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
          status: answer.status,
          headers: {
            ...(answer.body === undefined
              ? {}
              : { 'content-type': 'application/json; charset=utf-8' }),
            'cache-control': 'no-store',
            ...answer.headers,
          },
        }),
      );
    },
    async onResponse({ request, response, setResponse, fetchAPI }) {
      // The guards before the routes answer in GraphQL's error shape; a REST client gets REST's.
      if (response.status < 400 || !REST_PATHS.has(new URL(request.url).pathname)) return;
      const rewritten = restShapedRefusal(await response.clone().text());
      if (rewritten === undefined) return;
      const headers = new fetchAPI.Headers(response.headers);
      headers.delete('content-length');
      setResponse(new fetchAPI.Response(rewritten, { status: response.status, headers }));
    },
  };
}

/** The request's JSON object; the body-size guard has run, and this holds for Yoga's limit too. */
async function readBody(request: Request, maxBytes: number): Promise<JsonObject> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > maxBytes) throw new AppError('REQUEST_ENTITY_TOO_LARGE');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badInput('body', 'The body is not valid UTF-8.');
  }
  return parseJsonObject(text);
}
