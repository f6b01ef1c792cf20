import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The account page is static files the server sends from web/dist (src/http/account-page.ts).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline scripts or data: URLs, so the page runs under a CSP without 'unsafe-inline'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  server: { proxy: { '/graphql': 'http://127.0.0.1:4000' } },
});
