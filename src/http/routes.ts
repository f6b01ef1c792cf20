import type { Plugin } from 'graphql-yoga';
import { refusal } from './refusal.js';

/**
 * Only the routes we serve reach Yoga. Yoga executes GraphQL at any URL that merely ends in the
 * endpoint (`request.url.endsWith('/graphql')` or `'/graphql/'`, so also `//graphql`, `/x/graphql`,
 * `/graphql/.` and `/?a=/graphql`), and renders GraphiQL there too; a guard keyed to the exact path
 * is walked around by the others. So every request whose method and path are not one of ours is
 * answered 404 here, before any parser or resolver runs.
 */

const READ = new Set(['GET', 'HEAD']);

/** The methods a path we serve answers (`any` at the endpoint: Yoga answers 405 to the ones it does not take). */
function routeMethods(
  pathname: string,
  { graphqlEndpoint, more }: RouteOptions,
): ReadonlySet<string> | 'any' | undefined {
  if (pathname === graphqlEndpoint) return 'any';
  const handled = more?.get(pathname);
  if (handled) return handled;
  // Liveness, readiness, and the account page with its hashed assets (http/account-page.ts checks the names).
  if (pathname === '/health' || pathname === '/ready') return READ;
  if (pathname === '/' || pathname === '/index.html' || /^\/assets\/[^/]+$/.test(pathname))
    return READ;
  return undefined;
}

/** What Node's server passes along: the request target exactly as the client sent it. */
export interface RawRequestContext {
  req?: { url?: string | undefined };
}

export interface RouteOptions {
  graphqlEndpoint: string;
  /** The routes answered beside GraphQL (/whoami, the REST routes), path → methods. */
  more?: ReadonlyMap<string, ReadonlySet<string>>;
}

/** True when the request is for a route we serve, in canonical form. */
export function isServedRoute(
  method: string,
  { pathname }: URL,
  context: RawRequestContext,
  options: RouteOptions,
): boolean {
  // Yoga sees the URL after dot segments are resolved (`/./graphql`, `/a/../graphql` are `/graphql`): a
  // target sent in any other form than the one we check is refused rather than reinterpreted.
  const raw = context.req?.url;
  if (raw !== undefined && raw.split('?', 1)[0] !== pathname) return false;
  const methods = routeMethods(pathname, options);
  return methods === 'any' || methods?.has(method) === true;
}

export function useServedRoutes(
  options: RouteOptions,
): Plugin<Record<string, unknown>, RawRequestContext> {
  return {
    onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (isServedRoute(request.method, url, serverContext, options)) return;
      endResponse(refusal(fetchAPI, 404, 'NOT_FOUND', 'Not found.'));
    },
  };
}
