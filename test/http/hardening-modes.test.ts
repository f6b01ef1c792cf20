import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { errorCode, TestClient } from '../support/client.js';
import { newAccount, SIGN_UP, UNLIMITED } from '../support/flows.js';
import { startServer, TEST_SECRET, type TestServer } from '../support/server.js';

/**
 * The hardening that depends on the mode the server runs in: NODE_ENV=production (introspection,
 * GraphiQL and field suggestions off, HSTS), COOKIE_SECURE, and error masking with NODE_ENV=development.
 */

describe('NODE_ENV=production', () => {
  let production: TestServer;
  beforeAll(async () => {
    // PUBLIC_URL is required in production; its host is then the only one served (ALLOWED_HOSTS).
    production = await startServer({
      env: { ...UNLIMITED, NODE_ENV: 'production', PUBLIC_URL: 'https://127.0.0.1' },
    });
  });
  afterAll(() => production.close());
  const client = () => new TestClient(production);

  it('refuses introspection (__schema and __type) but answers __typename', async () => {
    const schema = await client().request('{ __schema { queryType { name } } }');
    expect(schema.status).toBe(400);
    expect(schema.errors?.[0]?.message).toMatch(/introspection/i);
    const type = await client().request('{ __type(name: "User") { name } }');
    expect(type.status).toBe(400);
    expect((await client().request('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('serves no GraphiQL page', async () => {
    const response = await production.fetch(production.graphqlUrl, {
      headers: { accept: 'text/html' },
    });
    expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await response.text()).not.toMatch(/graphiql/i);
  });

  it('leaks no "Did you mean" in validation or variable errors', async () => {
    const responses = [
      await client().request('{ mee { id } }'),
      await client().request('{ me { nme } }'),
      await client().request(
        'mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }',
        {
          input: { nme: 'x', password: 'whatever-password' },
        },
      ),
      await client().request(
        'mutation { signIn(input: { nme: "x", password: "whatever-password" }) { user { id } } }',
      ),
      await client().request('query ($f: Itn) { users(first: $f) { totalCount } }'),
    ];
    for (const response of responses) {
      expect(response.errors?.length).toBeGreaterThan(0);
      expect(JSON.stringify(response.errors)).not.toMatch(/did you mean/i);
    }
  });

  it('still enforces the depth limit', async () => {
    const response = await client().request(
      `{ me { ${'... on User { '.repeat(9)}id${' }'.repeat(9)} } }`,
    );
    expect(response.status).toBe(400);
  });

  it('sends HSTS (COOKIE_SECURE defaults to true) with the other security headers', async () => {
    const response = await production.fetch(production.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});

describe('COOKIE_SECURE=true outside production', () => {
  it('HSTS when COOKIE_SECURE=true outside production', async () => {
    const secure = await startServer({ env: { COOKIE_SECURE: 'true' } });
    try {
      const response = await secure.fetch(`${secure.origin}/health`);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await secure.close();
    }
  });
});

describe('errors are masked in development too', () => {
  it('an unexpected failure shows no message, stack or SQL with NODE_ENV=development', async () => {
    const dev = await startServer({ env: { ...UNLIMITED, NODE_ENV: 'development' } });
    const prisma = dev.booted.db.prisma;
    try {
      await prisma.$executeRawUnsafe('ALTER TABLE users RENAME TO users_gone');
      const response = await new TestClient(dev).request(SIGN_UP, {
        input: newAccount(),
      });
      expect(response.status).toBeLessThan(500);
      expect(errorCode(response)).toBe('INTERNAL_SERVER_ERROR');
      expect(response.errors?.[0]?.message).toBe('Unexpected error.');
      expect(JSON.stringify(response.errors)).not.toMatch(
        /users_gone|relation|prisma|stack|originalError|\.ts:\d/i,
      );
    } finally {
      await prisma.$executeRawUnsafe('ALTER TABLE users_gone RENAME TO users').catch(() => {});
      await dev.close();
    }
  });
});

describe('each of these is overridable by environment', () => {
  const production = {
    NODE_ENV: 'production',
    SESSION_SECRET: TEST_SECRET,
    PUBLIC_URL: 'https://app.example.com',
  };

  it('production defaults: introspection, GraphiQL and suggestions off; Armor limits 10/30', () => {
    const config = loadConfig(production);
    expect(config.http).toMatchObject({
      introspection: false,
      graphiql: false,
      cookieSecure: true,
    });
    expect(config.graphql).toMatchObject({ maxDepth: 10, maxAliases: 30, fieldSuggestions: false });
  });

  it('INTROSPECTION, GRAPHIQL, GRAPHQL_FIELD_SUGGESTIONS and the GRAPHQL_MAX_* limits', () => {
    const config = loadConfig({
      ...production,
      INTROSPECTION: 'true',
      GRAPHIQL: 'true',
      GRAPHQL_MAX_DEPTH: '12',
      GRAPHQL_MAX_ALIASES: '5',
      GRAPHQL_MAX_TOKENS: '400',
      GRAPHQL_MAX_COST: '900',
    });
    expect(config.http).toMatchObject({ introspection: true, graphiql: true });
    // Suggestions follow introspection unless set on their own.
    expect(config.graphql).toMatchObject({
      maxDepth: 12,
      maxAliases: 5,
      maxTokens: 400,
      maxCost: 900,
      fieldSuggestions: true,
    });
    expect(
      loadConfig({ GRAPHQL_FIELD_SUGGESTIONS: 'false', SESSION_SECRET: TEST_SECRET }).graphql
        .fieldSuggestions,
    ).toBe(false);
    expect(() => loadConfig({ GRAPHQL_MAX_DEPTH: '0', SESSION_SECRET: TEST_SECRET })).toThrow(
      /GRAPHQL_MAX_DEPTH/,
    );
  });
});
