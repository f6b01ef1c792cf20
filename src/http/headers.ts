import type { Plugin } from 'graphql-yoga';
import { GRAPHIQL_CSP } from './graphiql.js';

/** Response headers every answer carries; GraphQL answers are never cached by browsers or proxies. */
export function useSecurityHeaders({
  hsts,
  graphqlEndpoint,
}: {
  hsts: boolean;
  graphqlEndpoint: string;
}): Plugin {
  return {
    onResponse({ request, response }) {
      const headers = response.headers;
      headers.set('x-content-type-options', 'nosniff');
      headers.set('referrer-policy', 'no-referrer');
      headers.delete('x-powered-by');
      if (hsts) headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
      if (new URL(request.url).pathname === graphqlEndpoint) {
        headers.set('cache-control', 'no-store');
        // The CORS answer depends on Origin: a shared cache must not hand one origin's answer to another.
        if (!/\borigin\b/i.test(headers.get('vary') ?? '')) headers.append('vary', 'Origin');
        // The GraphiQL page runs queries with the visitor's cookie: no other site may frame it (clickjacking).
        if (headers.get('content-type')?.startsWith('text/html')) {
          headers.set('content-security-policy', GRAPHIQL_CSP);
          headers.set('x-frame-options', 'DENY');
        }
      }
    },
  };
}
