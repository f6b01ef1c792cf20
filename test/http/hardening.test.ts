import { request as httpRequest } from 'node:http';
import { getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { newAccount, SIGN_UP, signUp, UNLIMITED } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * API.md, Transport and Abuse limits: CSRF, CORS, GraphQL Armor's operation limits, production mode,
 * the body limit and the response headers, over real HTTP.
 */

const APP_ORIGIN = 'https://app.example.test';

let server: TestServer;
beforeAll(async () => {
  // users open to every signed-in user: the cost test needs a full page to be an ordinary request.
  // A real socket too, for the chunked bodies of the body-limit tests.
  server = await startServer({
    listen: true,
    env: { ...UNLIMITED, ALLOWED_ORIGINS: APP_ORIGIN, USERS_QUERY_ACCESS: 'signed-in' },
  });
});
afterAll(() => server.close());

const users = () => server.booted.db.prisma.user.count();

function signUpBody() {
  return JSON.stringify({ query: SIGN_UP, variables: { input: newAccount() } });
}

async function post(target: TestServer, body: BodyInit, headers: Record<string, string>) {
  const response = await target.fetch(target.graphqlUrl, { method: 'POST', headers, body });
  return { response, text: await response.text() };
}

describe('CSRF: only JSON POSTs run, and only from our own or allowed origins', () => {
  const simple: [string, () => { body: BodyInit; headers: Record<string, string> }][] = [
    ['text/plain', () => ({ body: signUpBody(), headers: { 'content-type': 'text/plain' } })],
    [
      'application/x-www-form-urlencoded',
      () => ({
        body: new URLSearchParams({
          query: SIGN_UP.toString(),
          variables: JSON.stringify({ input: newAccount() }),
        }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    ],
    [
      'multipart/form-data',
      () => {
        const form = new FormData();
        form.set('operations', signUpBody());
        form.set('map', '{}');
        return { body: form, headers: {} };
      },
    ],
  ];
  for (const [type, make] of simple) {
    it(`refuses a ${type} POST with 4xx before any resolver: no user is created`, async () => {
      const before = await users();
      const { body, headers } = make();
      const { response } = await post(server, body, headers);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await users()).toBe(before);
    });
  }

  it('refuses a JSON POST from a foreign Origin with 403 and creates nothing', async () => {
    const before = await users();
    const { response } = await post(server, signUpBody(), {
      'content-type': 'application/json',
      origin: 'https://evil.example',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await users()).toBe(before);
  });

  it('refuses Origin: null (sandboxed frames, opaque redirects) with 403', async () => {
    const { response } = await post(server, signUpBody(), {
      'content-type': 'application/json',
      origin: 'null',
    });
    expect(response.status).toBe(403);
  });

  it('refuses Sec-Fetch-Site: cross-site with 403 and creates nothing', async () => {
    const before = await users();
    const { response } = await post(server, signUpBody(), {
      'content-type': 'application/json',
      'sec-fetch-site': 'cross-site',
    });
    expect(response.status).toBe(403);
    expect(await users()).toBe(before);
  });

  it('runs requests without Origin (non-browser clients) and from the server’s own origin', async () => {
    const before = await users();
    const bare = await post(server, signUpBody(), { 'content-type': 'application/json' });
    expect(bare.response.status).toBe(200);
    const own = await post(server, signUpBody(), {
      'content-type': 'application/json',
      origin: server.origin,
      'sec-fetch-site': 'same-origin',
    });
    expect(own.response.status).toBe(200);
    expect(JSON.parse(own.text).errors).toBeUndefined();
    expect(await users()).toBe(before + 2);
  });

  it('answers an allowed origin with its own name and credentials, never *', async () => {
    const preflight = await server.fetch(server.graphqlUrl, {
      method: 'OPTIONS',
      headers: {
        origin: APP_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');

    const { response, text } = await post(server, signUpBody(), {
      'content-type': 'application/json',
      origin: APP_ORIGIN,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(text).data.signUp.user.id).toBeTruthy();
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('vary')?.toLowerCase()).toContain('origin');

    const foreign = await server.fetch(server.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const anyGet = await server.fetch(
      `${server.graphqlUrl}?query=${encodeURIComponent('{ me { id } }')}`,
      {
        headers: { origin: 'https://evil.example', accept: 'application/json' },
      },
    );
    expect(anyGet.headers.get('access-control-allow-origin')).not.toBe('*');
    expect(anyGet.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never runs a mutation over GET', async () => {
    const before = await users();
    const url = new URL(server.graphqlUrl);
    url.searchParams.set('query', SIGN_UP.toString());
    url.searchParams.set('variables', JSON.stringify({ input: newAccount() }));
    const response = await server.fetch(url, {
      headers: { accept: 'application/graphql-response+json' },
    });
    expect(response.status).toBe(405);
    expect(await users()).toBe(before);
  });

  it('does not execute a batched (array) request', async () => {
    const before = await users();
    const body = JSON.stringify([JSON.parse(signUpBody()), JSON.parse(signUpBody())]);
    const { response } = await post(server, body, { 'content-type': 'application/json' });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await users()).toBe(before);
  });
});

describe('operation limits (GraphQL Armor)', () => {
  const client = () => new TestClient(server);
  /** `{ me { … on User { … on User { id } } } }` with `depth` levels, as GraphQL Armor counts them. */
  const deep = (depth: number) =>
    `{ me { ${'... on User { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;

  it('allows depth 10 and refuses depth 11', async () => {
    const ten = await client().request(deep(10));
    expect(ten.errors).toBeUndefined();
    const eleven = await client().request(deep(11));
    expect(eleven.status).toBe(400);
    expect(eleven.errors?.[0]?.message).toMatch(/depth limit of 10/i);
  });

  it('allows 30 aliases and refuses 31', async () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    expect((await client().request(aliases(30))).errors).toBeUndefined();
    const refused = await client().request(aliases(31));
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.message).toMatch(/aliases limit of 30/i);
    // Aliases of __typename count like any other.
    const typenames = `{ ${Array.from({ length: 31 }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    const alsoRefused = await client().request(typenames);
    expect(alsoRefused.status).toBe(400);
    expect(alsoRefused.errors?.[0]?.message).toMatch(/aliases limit of 30/i);
  });

  it('refuses a document over the token limit', async () => {
    const refused = await client().request(`{ ${'__typename '.repeat(1_001)}}`);
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.message).toMatch(/token limit/i);
  });

  it('refuses an operation over the cost limit that passes depth and aliases', async () => {
    const page =
      'users(first: 100) { edges { cursor node { id name displayName email createdAt activeSessionCount lastSeenAt } } }';
    const { account } = await signUp(client());
    const c = client();
    await c.request('mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }', {
      input: { name: account.name, password: account.password },
    });
    // One full page is an ordinary request...
    expect((await c.request(`{ ${page} }`)).errors).toBeUndefined();
    // ...thirty of them in one operation are not.
    const many = `{ ${Array.from({ length: 30 }, (_, i) => `p${i}: ${page}`).join(' ')} }`;
    const refused = await c.request(many);
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0]?.message).toMatch(/cost limit/i);
  });

  it('costs a list by what it can hold: a variable `first` as the largest page, a missing one as its default, a list without paging as a full page', async () => {
    const { account } = await signUp(client());
    const c = client();
    await c.request('mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }', {
      input: { name: account.name, password: account.password },
    });
    const node = 'node { id name displayName email createdAt activeSessionCount lastSeenAt }';
    const thirty = (field: string, head = '') =>
      `${head}{ ${Array.from({ length: 30 }, (_, i) => `p${i}: ${field}`).join(' ')} }`;
    const cases: [string, string, Record<string, unknown>][] = [
      [
        'first from a variable',
        thirty(`users(first: $n) { edges { ${node} } }`, 'query ($n: Int) '),
        { n: 100 },
      ],
      [
        'first from a variable with a default',
        thirty(`users(first: $n) { edges { ${node} } }`, 'query ($n: Int = 100) '),
        {},
      ],
      ['first left to its default', thirty(`users { edges { ${node} } }`), {}],
      [
        'a list without paging',
        thirty(
          'sessions { id deviceName userAgent ip createdAt expiresAt user { activeSessionCount lastSeenAt } }',
        ),
        {},
      ],
    ];
    for (const [what, document, variables] of cases) {
      // One of each is an ordinary request...
      const one = document.replace(/ p1: .*(?= \})/, '');
      expect((await c.request(one, variables)).errors, what).toBeUndefined();
      // ...thirty in one operation are not, however the length is written.
      const refused = await c.request(document, variables);
      expect(refused.status, what).toBe(400);
      expect(refused.errors?.[0]?.message, what).toMatch(/cost limit/i);
    }
  });

  it('keeps the standard introspection query working outside production (depth leaves __schema aside)', async () => {
    const response = await client().request<IntrospectionQuery>(
      getIntrospectionQuery({ inputValueDeprecation: true }),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.__schema.types.length).toBeGreaterThan(10);
  });

  it('does not exempt what only looks like introspection', async () => {
    // An alias cannot borrow the exemption...
    const aliased = await client().request(
      `{ __schema: me { ${'... on User { '.repeat(9)}id${' }'.repeat(9)} } }`,
    );
    expect(aliased.status).toBe(400);
    expect(aliased.errors?.[0]?.message).toMatch(/depth limit/i);
    // ...__type is counted...
    const ofType = 'ofType { '.repeat(12);
    const typed = await client().request(
      `{ __type(name: "User") { fields { type { ${ofType} name ${'} '.repeat(12)} } } }`,
    );
    expect(typed.status).toBe(400);
    // ...and graphql-js refuses the fan-out shapes that would make __schema explode.
    const fanOut = await client().request(
      '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }',
    );
    expect(fanOut.status).toBe(400);
    expect(fanOut.errors?.[0]?.message).toMatch(/maximum introspection depth/i);
  });

  it('shows field suggestions outside production (they are hidden only with introspection off)', async () => {
    const response = await client().request('{ mee { id } }');
    expect(response.errors?.[0]?.message).toMatch(/Did you mean "me"\?/);
    // Variable coercion makes its own suggestions, at execution: production must scrub those too.
    const coerced = await client().request(
      'mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }',
      {
        input: { nme: 'x', password: 'whatever-password' },
      },
    );
    expect(coerced.errors?.[0]?.message).toMatch(/Did you mean "name"\?/);
  });
});

describe('request body limit (MAX_BODY_BYTES, default 100000)', () => {
  const bigQuery = () => JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(150_000)}` });

  it('answers 413 to a declared Content-Length over the limit', async () => {
    const { response, text } = await post(server, bigQuery(), {
      'content-type': 'application/json',
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(text).errors[0].message).toMatch(/over 100000 bytes/);
  });

  it('answers 413 to a chunked body that grows past the limit, and runs a small chunked one', async () => {
    expect(await chunked(server, bigQuery())).toMatchObject({ status: 413 });
    const small = await chunked(server, JSON.stringify({ query: '{ __typename }' }));
    expect(small.status).toBe(200);
    expect(JSON.parse(small.body)).toEqual({ data: { __typename: 'Query' } });
  });

  it('runs a body just under the limit', async () => {
    const padding = 'x'.repeat(99_000);
    const { response } = await post(
      server,
      JSON.stringify({ query: `{ __typename } # ${padding}` }),
      {
        'content-type': 'application/json',
      },
    );
    expect(response.status).toBe(200);
  });
});

/** POSTs with Transfer-Encoding: chunked (no Content-Length), in 16 KiB pieces. */
function chunked(target: TestServer, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      target.graphqlUrl,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    // The server may answer and close before all of a refused body is written.
    req.on('error', reject);
    const bytes = Buffer.from(body);
    for (let offset = 0; offset < bytes.length; offset += 16_384)
      req.write(bytes.subarray(offset, offset + 16_384));
    req.end();
  });
}

describe('response headers', () => {
  it('GraphQL answers: no-store, nosniff, a Referrer-Policy, no X-Powered-By, no HSTS without COOKIE_SECURE', async () => {
    const response = await new TestClient(server).request('{ me { id } }');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('refusals carry them too', async () => {
    const { response } = await post(server, signUpBody(), { 'content-type': 'text/plain' });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
