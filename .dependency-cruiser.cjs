/**
 * The architecture, checked in CI (`npm run arch`): dependencies run one way, http → schema → core → db,
 * with the composition root (server.ts, boot.ts) above them all and the shared leaves (config, errors,
 * logger, generated Prisma client) below. Type-only imports count too: a type drags its module's meaning.
 */
const layer = (name) => `^src/${name}/`;
const forbidden = [
  { name: 'no-cycles', severity: 'error', from: { path: '^src/' }, to: { circular: true } },
  {
    name: 'db-is-the-bottom',
    comment: 'db knows tables and connections, nothing of sessions, accounts, GraphQL or HTTP',
    severity: 'error',
    from: { path: layer('db') },
    to: { path: [layer('core'), layer('schema'), layer('http')] },
  },
  {
    name: 'core-knows-no-graphql-or-http',
    severity: 'error',
    from: { path: layer('core') },
    to: { path: [layer('schema'), layer('http')] },
  },
  {
    name: 'schema-knows-no-http',
    severity: 'error',
    from: { path: layer('schema') },
    to: { path: layer('http') },
  },
  {
    name: 'mail-knows-no-auth',
    comment: 'mail sends what the outbox holds; what a message means belongs to auth',
    severity: 'error',
    from: { path: layer('core/mail') },
    to: { path: [layer('core/auth'), layer('core/sessions')] },
  },
  {
    name: 'sessions-below-accounts',
    comment: 'accounts start and end sessions; session rules know nothing of accounts',
    severity: 'error',
    from: { path: layer('core/sessions') },
    to: { path: layer('core/auth') },
  },
  {
    name: 'shared-leaves',
    comment: 'config, errors and the logger are read by every layer, so they import none',
    severity: 'error',
    from: { path: '^src/(config|errors|logger)\\.ts$' },
    to: { path: ['^src/(db|core|schema|http)/', '^src/(boot|server)\\.ts$'] },
  },
  {
    name: 'nothing-imports-the-root',
    severity: 'error',
    from: { path: '^src/(db|core|schema|http)/' },
    to: { path: '^src/(boot|server)\\.ts$' },
  },
];

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^src/generated/', '\\.test\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
