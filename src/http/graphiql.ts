import { createRequire } from 'node:module';
import escapeHtml from 'escape-html';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

/**
 * GraphiQL from the files of the installed @graphql-yoga/render-graphiql (GraphiQL, its styles and
 * Monaco's editor workers, bundled), served by this server. Yoga's own page loads unpinned scripts from
 * unpkg.com: it fails offline and runs whatever that CDN serves with the page's cookie. This one loads
 * nothing from elsewhere and runs under GRAPHIQL_CSP (no inline script, no eval, no framing).
 */

const { version } = createRequire(import.meta.url)(
  '@graphql-yoga/render-graphiql/package.json',
) as {
  version: string;
};

type AssetName =
  | 'js'
  | 'css'
  | 'favicon'
  | 'editorWorkerService'
  | 'jsonWorker'
  | 'graphqlWorker'
  | 'start';

/** The files under /assets/ (beside the account page's hashed ones), versioned so they can be cached for good. */
const ASSETS: Record<AssetName, { path: string; type: string }> = {
  js: { path: `/assets/graphiql-${version}.js`, type: 'text/javascript; charset=utf-8' },
  css: { path: `/assets/graphiql-${version}.css`, type: 'text/css; charset=utf-8' },
  favicon: { path: `/assets/graphiql-${version}.ico`, type: 'image/x-icon' },
  editorWorkerService: {
    path: `/assets/graphiql-${version}-editor.worker.js`,
    type: 'text/javascript; charset=utf-8',
  },
  jsonWorker: {
    path: `/assets/graphiql-${version}-json.worker.js`,
    type: 'text/javascript; charset=utf-8',
  },
  graphqlWorker: {
    path: `/assets/graphiql-${version}-graphql.worker.js`,
    type: 'text/javascript; charset=utf-8',
  },
  start: { path: `/assets/graphiql-${version}-start.js`, type: 'text/javascript; charset=utf-8' },
};

// The page and its files only. Styles may be inline: GraphiQL and Monaco insert <style> elements.
export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Yoga's `renderGraphiQL`: the page, its options in a data attribute for the start script to read. */
export function renderGraphiQL(options: GraphiQLOptions): string {
  const title = escapeHtml(options.title ?? 'GraphiQL');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    <link rel="icon" href="${ASSETS.favicon.path}" />
    <link rel="stylesheet" href="${ASSETS.css.path}" />
    <script defer src="${ASSETS.js.path}"></script>
    <script defer src="${ASSETS.start.path}"></script>
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root" data-options="${escapeHtml(JSON.stringify(options))}"></div>
  </body>
</html>
`;
}

/** What Yoga's page does inline, as a file: Monaco's workers by URL, then GraphiQL on #root. */
const START = `{
  const workers = ${JSON.stringify({
    editorWorkerService: ASSETS.editorWorkerService.path,
    json: ASSETS.jsonWorker.path,
    graphql: ASSETS.graphqlWorker.path,
  })};
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_module, label) => workers[label] };
  const root = document.getElementById('root');
  YogaGraphiQL.renderYogaGraphiQL(root, JSON.parse(root.dataset.options));
}
`;

const BY_PATH = new Map(
  Object.entries(ASSETS).map(([name, asset]) => [
    asset.path,
    { name: name as AssetName, ...asset },
  ]),
);

/** Serves GraphiQL's files; the bundle (9 MB of strings) is loaded on the first request for one. */
export function useGraphiQLAssets(): Plugin {
  let bundle: Promise<Record<Exclude<AssetName, 'start'>, string>> | undefined;
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const asset = BY_PATH.get(url.pathname);
      if (!asset || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      bundle ??= import('@graphql-yoga/render-graphiql/graphiql');
      const body = asset.name === 'start' ? START : fileBody(asset.name, await bundle);
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : body, {
          status: 200,
          headers: {
            'content-type': asset.type,
            // The version is in the name: a new one is a new URL.
            'cache-control': 'public, max-age=31536000, immutable',
          },
        }),
      );
    },
  };
}

function fileBody(name: Exclude<AssetName, 'start'>, files: Record<typeof name, string>): BodyInit {
  if (name !== 'favicon') return files[name];
  // The package has the icon as a base64 data: URL.
  return new Uint8Array(Buffer.from(files.favicon.slice(files.favicon.indexOf(',') + 1), 'base64'));
}
