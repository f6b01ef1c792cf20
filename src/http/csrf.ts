import type { Plugin } from 'graphql-yoga';

/**
 * Cross-site request forgery defence (API.md, Transport). A browser can send a form-encoded,
 * multipart or text/plain POST to any site without a preflight, carrying our SameSite=Lax cookie on
 * top-level navigations; so only JSON content types are executed, and a browser request whose
 * Origin is foreign (or that says Sec-Fetch-Site: cross-site) is refused before any resolver runs.
 * Clients that send neither header (curl, servers, mobile apps) carry no ambient cookie risk.
 */

const EXECUTABLE_TYPES = new Set(['application/json', 'application/graphql-response+json']);

export interface CsrfOptions {
  allowedOrigins: readonly string[];
  trustProxy: boolean;
  graphqlEndpoint: string;
}

export function useCsrfGuard({ allowedOrigins, trustProxy, graphqlEndpoint }: CsrfOptions): Plugin {
  const allowed = new Set(allowedOrigins);
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlEndpoint || request.method === 'OPTIONS' || request.method === 'GET') return;
      const refuse = (status: number, message: string) =>
        endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code: 'FORBIDDEN' } }] }), {
            status,
            headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
          }),
        );

      const contentType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (!EXECUTABLE_TYPES.has(contentType)) {
        return refuse(415, 'Only application/json requests are accepted.');
      }
      const origin = request.headers.get('origin');
      if (origin !== null) {
        if (origin !== ownOrigin(request, url, trustProxy) && !allowed.has(origin)) {
          return refuse(403, 'Cross-origin request refused.');
        }
      } else if (request.headers.get('sec-fetch-site') === 'cross-site') {
        return refuse(403, 'Cross-site request refused.');
      }
    },
  };
}

function ownOrigin(request: Request, url: URL, trustProxy: boolean): string {
  if (!trustProxy) return url.origin;
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  return `${proto ?? url.protocol.replace(':', '')}://${host ?? url.host}`;
}
