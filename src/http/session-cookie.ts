import type { Plugin } from 'graphql-yoga';
import { setCookieHeadersFor } from '../schema/cookie-intent.js';

/** Writes what the resolvers recorded for the session and device cookies (schema/cookie-intent.ts). */
export function useSessionCookie(): Plugin {
  return {
    onResponse({ request, response }) {
      for (const header of setCookieHeadersFor(request))
        response.headers.append('set-cookie', header);
    },
  };
}
