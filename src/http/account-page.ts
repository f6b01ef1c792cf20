import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

/**
 * Serves the account page built by Vite (web/dist): index.html at `/`, hashed files under /assets/.
 * Only a flat file name made of safe characters is ever joined to the assets folder, so no request
 * can reach outside it.
 */

const DEFAULT_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));
const ASSET = /^\/assets\/([\w-]+(?:\.[\w-]+)*\.(?:js|css|svg|png|ico|woff2|map))$/;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

// The page's own files and /graphql, nothing else: no inline script or style, no framing.
export const ACCOUNT_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function useAccountPage({ dir = DEFAULT_DIR }: { dir?: string } = {}): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const asset = ASSET.exec(url.pathname)?.[1];
      if (url.pathname !== '/' && url.pathname !== '/index.html' && !asset) return;

      const file = asset ? join(dir, 'assets', asset) : join(dir, 'index.html');
      const body = await readFile(file).catch(() => null);
      if (!body) {
        const message = asset
          ? 'Not found.'
          : 'The account page is not built: run `npm run build:web`.';
        return endResponse(
          new fetchAPI.Response(message, {
            status: 404,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
          }),
        );
      }
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
          status: 200,
          headers: {
            'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
            'content-length': String(body.byteLength),
            // Asset names carry a content hash: they never change. index.html names the current ones.
            'cache-control': asset ? 'public, max-age=31536000, immutable' : 'no-cache',
            'content-security-policy': ACCOUNT_PAGE_CSP,
            'x-frame-options': 'DENY',
            'cross-origin-opener-policy': 'same-origin',
          },
        }),
      );
    },
  };
}
