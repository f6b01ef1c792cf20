import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';
import { refusal } from './refusal.js';

/**
 * Cross-site request forgery defence (API.md, Transport). A browser can send a form-encoded,
 * multipart or text/plain POST to any site without a preflight, carrying our SameSite=Lax cookie on
 * top-level navigations; so only JSON content types are executed, and a browser request whose
 * Origin is foreign (or that says Sec-Fetch-Site: cross-site) is refused before any resolver runs.
 * Clients that send neither header (curl, servers, mobile apps) carry no ambient cookie risk.
 */

const EXECUTABLE_TYPES = new Set(['application/json', 'application/graphql-response+json']);
// Methods that change nothing here (mutations never run over GET; OPTIONS is the CORS preflight).
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The request's media type, as HTTP compares it: without parameters, case-insensitive. */
export function mediaType(request: Request): string {
  return request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * Yoga's JSON parser only matches `application/json` spelled exactly so; the contract also executes
 * `application/graphql-response+json` and any spelling of either (media types are case-insensitive).
 * Those are parsed here as the JSON they are, with Yoga's answers for a body that is not an object;
 * Yoga still validates the parameters it gets.
 */
export function useJsonMediaTypes(): Plugin {
  return {
    onRequestParse({ request, setRequestParser }) {
      if (request.method !== 'POST' || !EXECUTABLE_TYPES.has(mediaType(request))) return;
      const declared = request.headers.get('content-type')?.split(',')[0] ?? '';
      if (declared === 'application/json' || declared.startsWith('application/json;')) return;
      setRequestParser(async (incoming) => {
        const body: unknown = await incoming.json().catch(() => {
          throw badRequest('POST body sent invalid JSON.');
        });
        if (body === null || typeof body !== 'object') {
          throw badRequest(
            `POST body is expected to be object but received ${body === null ? 'null' : typeof body}`,
          );
        }
        return body as GraphQLParams | GraphQLParams[];
      });
    },
  };
}

const badRequest = (message: string) =>
  createGraphQLError(message, { extensions: { http: { status: 400 } } });

/**
 * The seed's REST logout is a DELETE with no body and no Content-Type. Exempt from the media-type rule:
 * a browser cannot send a cross-site DELETE without a CORS preflight (which we answer only for allowed
 * origins), and the Origin check below still applies.
 */
function isBodilessDelete(request: Request): boolean {
  if (request.method !== 'DELETE' || request.headers.has('transfer-encoding')) return false;
  const length = request.headers.get('content-length');
  return length === null || length.trim() === '0';
}

export interface CsrfOptions {
  allowedOrigins: readonly string[];
  trustProxy: boolean;
  /** PUBLIC_URL's origin: always our own. */
  publicOrigin: string;
  /** In production PUBLIC_URL's origin is the only own origin: Host and X-Forwarded-* are the client's to say. */
  production: boolean;
}

export function useCsrfGuard({
  allowedOrigins,
  trustProxy,
  publicOrigin,
  production,
}: CsrfOptions): Plugin {
  const allowed = new Set(allowedOrigins);
  const isOwn = (origin: string, request: Request, url: URL) =>
    origin === publicOrigin || (!production && origin === derivedOrigin(request, url, trustProxy));
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      // Every path, not only the endpoint: a guard keyed to one path is walked around by any other path
      // that reaches the same handler (http/routes.ts refuses those too).
      if (SAFE_METHODS.has(request.method)) return;

      if (!EXECUTABLE_TYPES.has(mediaType(request)) && !isBodilessDelete(request)) {
        return endResponse(
          refusal(fetchAPI, 415, 'FORBIDDEN', 'Only application/json requests are accepted.'),
        );
      }
      const origin = request.headers.get('origin');
      if (origin !== null) {
        if (!isOwn(origin, request, url) && !allowed.has(origin)) {
          return endResponse(refusal(fetchAPI, 403, 'FORBIDDEN', 'Cross-origin request refused.'));
        }
      } else if (request.headers.get('sec-fetch-site') === 'cross-site') {
        return endResponse(refusal(fetchAPI, 403, 'FORBIDDEN', 'Cross-site request refused.'));
      }
    },
  };
}

/** Outside production: the origin this request was addressed to (behind a trusted proxy, the forwarded one). */
function derivedOrigin(request: Request, url: URL, trustProxy: boolean): string {
  if (!trustProxy) return url.origin;
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  return `${proto ?? url.protocol.replace(':', '')}://${host ?? url.host}`;
}
