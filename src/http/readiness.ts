import type { Plugin } from 'graphql-yoga';

/**
 * `/ready`: 200 when `check` passes, 503 otherwise (see db/readiness.ts). Yoga's useReadinessCheck does
 * the same but tests a URLPattern on every request that is not for it, a visible share of a signed-in
 * request's CPU (bench: auth tax); an exact path comparison is all this needs.
 */
export function useReadiness({
  endpoint,
  check,
}: {
  endpoint: string;
  check: () => Promise<boolean>;
}): Plugin {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint) return;
      endResponse(new fetchAPI.Response(null, { status: (await check()) ? 200 : 503 }));
    },
  };
}
