import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type GraphQLResponse, TestClient } from '../support/client.js';
import { newAccount, SIGN_UP, signIn, signUp, UNLIMITED } from '../support/flows.js';
import { ME_ID } from '../support/operations.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  // users open to every signed-in user, so its argument checks are reached (who may read it: roles.test.ts).
  server = await startServer({ env: { ...UNLIMITED, USERS_QUERY_ACCESS: 'signed-in' } });
});
afterAll(() => server.close());

const client = () => new TestClient(server);
const firstError = (res: GraphQLResponse<unknown>) => res.errors?.[0];
const rowCounts = async () => ({
  users: await server.booted.db.prisma.user.count(),
  sessions: await server.booted.db.prisma.session.count(),
});

/** Runs `act`, then checks nothing was written: failed requests leave no partial state. */
async function withoutWrites<T>(act: () => Promise<T>): Promise<T> {
  const before = await rowCounts();
  const result = await act();
  expect(await rowCounts()).toEqual(before);
  return result;
}

const CHANGE_PASSWORD =
  'mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { user { id } } }';

describe('BAD_USER_INPUT names the field, and nothing is written', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['an e-mail without @', { email: 'not-an-email' }, 'email'],
    ['an e-mail over 255 characters', { email: `${'a'.repeat(250)}@example.test` }, 'email'],
    ['an empty name', { name: '   ' }, 'name'],
    ['a name over 100 characters', { name: 'n'.repeat(101) }, 'name'],
    [
      'a name that is 100 characters only before lower-casing',
      { name: '\u0130'.repeat(100) },
      'name',
    ],
    ['a password of 7 characters', { password: 'seven77' }, 'password'],
    ['a password over 256 characters', { password: 'p'.repeat(257) }, 'password'],
    ['a password with an unpaired surrogate', { password: 'k7#Qz!m2\uD800' }, 'password'],
    ['a displayName over 255 characters', { displayName: 'd'.repeat(256) }, 'displayName'],
  ];
  for (const [what, override, field] of cases) {
    it(`signUp with ${what}`, async () => {
      const c = client();
      const res = await withoutWrites(() =>
        c.request(SIGN_UP, { input: { ...newAccount(), ...override } }),
      );
      expect(res.status).toBe(200);
      expect(firstError(res)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(res.data).toBeNull();
      expect(res.setCookies).toEqual([]);
    });
  }

  it('accepts the limits themselves: a 100-character name and passwords of 8 and 256 characters', async () => {
    const name = `n${Date.now()}`.padEnd(100, 'x');
    const a = await client().request(SIGN_UP, {
      input: newAccount({ name, password: 'k7#Qz!m2' }),
    });
    expect(a.errors).toBeUndefined();
    const b = await client().request(SIGN_UP, {
      input: newAccount({ password: randomBytes(128).toString('hex') }),
    });
    expect(b.errors).toBeUndefined();
  });

  it('signIn with both name and e-mail, or neither', async () => {
    const { account } = await signUp(client());
    const both = await withoutWrites(() =>
      signIn(client(), { name: account.name, email: account.email, password: account.password }),
    );
    expect(firstError(both)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(['name', 'email']).toContain(firstError(both)?.extensions?.field);
    const neither = await withoutWrites(() => signIn(client(), { password: account.password }));
    expect(firstError(neither)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(['name', 'email']).toContain(firstError(neither)?.extensions?.field);
  });

  it('changePassword to a password that is too short, leaving the old one in place', async () => {
    const c = client();
    const { account } = await signUp(c);
    const res = await withoutWrites(() =>
      c.request(CHANGE_PASSWORD, {
        input: { currentPassword: account.password, newPassword: 'short' },
      }),
    );
    expect(firstError(res)?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'newPassword',
    });
    const again = await signIn(client(), { name: account.name, password: account.password });
    expect(again.errors).toBeUndefined();
  });

  it('users with first outside 1-100, or a cursor that is not ours', async () => {
    const c = client();
    await signUp(c);
    const users =
      'query ($first: Int, $after: String) { users(first: $first, after: $after) { totalCount } }';
    for (const first of [0, 101, -1]) {
      const res = await c.request(users, { first });
      expect(firstError(res)?.extensions, `first: ${first}`).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'first',
      });
    }
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const after of [
      'garbage',
      '',
      forged(['2026-01-01T00:00:00.000Z', '-'.repeat(36)]),
      forged(['not a date', randomUUID()]),
      forged({ id: randomUUID() }),
    ]) {
      const res = await c.request(users, { first: 5, after });
      expect(firstError(res)?.extensions, `after: ${after}`).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'after',
      });
    }
  });
});

describe('CONFLICT', () => {
  it('signUp with a taken name, in any letter case, names the field and writes nothing', async () => {
    const { account } = await signUp(client());
    const res = await withoutWrites(() =>
      client().request(SIGN_UP, { input: newAccount({ name: account.name.toUpperCase() }) }),
    );
    expect(firstError(res)?.extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    expect(res.setCookies).toEqual([]);
  });

  it('signUp with a taken e-mail, in any letter case, names the field and writes nothing', async () => {
    const { account } = await signUp(client());
    const res = await withoutWrites(() =>
      client().request(SIGN_UP, { input: newAccount({ email: account.email.toUpperCase() }) }),
    );
    expect(firstError(res)?.extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
  });

  it('signUp racing itself: one succeeds, the others get CONFLICT, one user is created', async () => {
    const account = newAccount();
    const before = await rowCounts();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => client().request(SIGN_UP, { input: account })),
    );
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    for (const r of results.filter((r) => r.errors)) expect(errorCode(r)).toBe('CONFLICT');
    expect(await rowCounts()).toEqual({ users: before.users + 1, sessions: before.sessions + 1 });
  });
});

describe('INVALID_CREDENTIALS', () => {
  it('is the same code and message for an unknown name, an unknown e-mail and a wrong password', async () => {
    const { account } = await signUp(client());
    const responses = await withoutWrites(async () => [
      await signIn(client(), { name: 'nobody-by-this-name', password: account.password }),
      await signIn(client(), { email: 'nobody@example.test', password: account.password }),
      await signIn(client(), { name: account.name, password: 'wrong-password' }),
      await signIn(client(), { email: account.email, password: 'wrong-password' }),
      await signIn(client(), { name: `${account.name}\u0000`, password: account.password }),
    ]);
    const errors = responses.map((r) => firstError(r));
    for (const [i, e] of errors.entries()) {
      expect(e?.extensions, `attempt ${i}`).toEqual({ code: 'INVALID_CREDENTIALS' });
      expect(e?.message).toBe(errors[0]?.message);
    }
    for (const r of responses) expect(r.setCookies).toEqual([]);
  });

  it('changePassword with a wrong current password gives the same error and changes nothing', async () => {
    const c = client();
    const { account } = await signUp(c);
    const wrongSignIn = await signIn(client(), { name: account.name, password: 'wrong-password' });
    const valueBefore = c.sessionValue;
    const res = await withoutWrites(() =>
      c.request(CHANGE_PASSWORD, {
        input: { currentPassword: 'wrong-password', newPassword: 'a-new-password' },
      }),
    );
    expect(firstError(res)?.extensions).toEqual({ code: 'INVALID_CREDENTIALS' });
    expect(firstError(res)?.message).toBe(firstError(wrongSignIn)?.message);
    expect(res.setCookies).toEqual([]);
    expect(c.sessionValue).toBe(valueBefore);
    expect(
      (await signIn(client(), { name: account.name, password: account.password })).errors,
    ).toBeUndefined();
    expect(
      errorCode(await signIn(client(), { name: account.name, password: 'a-new-password' })),
    ).toBe('INVALID_CREDENTIALS');
  });
});

describe('UNAUTHENTICATED', () => {
  const signedInOnly: [string, string, Record<string, unknown>][] = [
    ['users', '{ users { totalCount } }', {}],
    ['sessions', '{ sessions { id } }', {}],
    ['logout', 'mutation { logout }', {}],
    ['refreshSession', 'mutation { refreshSession { id } }', {}],
    ['revokeSession', 'mutation ($id: ID!) { revokeSession(id: $id) }', { id: randomUUID() }],
    ['revokeOtherSessions', 'mutation { revokeOtherSessions }', {}],
    [
      'changePassword',
      CHANGE_PASSWORD,
      { input: { currentPassword: 'whatever-password', newPassword: 'another-password' } },
    ],
  ];

  for (const [field, query, variables] of signedInOnly) {
    it(`${field} without a session`, async () => {
      const res = await withoutWrites(() => client().request(query, variables));
      expect(res.status).toBe(200);
      expect(firstError(res)?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
      expect(firstError(res)?.path).toEqual([field]);
    });
  }

  it('every signed-in-only field with a cookie whose session has ended', async () => {
    const c = client();
    await signUp(c);
    const stale = c.clone();
    await c.request('mutation { logout }');
    for (const [field, query, variables] of signedInOnly) {
      const res = await stale.clone().request(query, variables);
      expect(firstError(res)?.extensions?.code, field).toBe('UNAUTHENTICATED');
    }
  });
});

describe('NOT_FOUND', () => {
  it('revokeSession with the id of someone else’s session, which stays alive', async () => {
    const victim = client();
    const { session, user } = await signUp(victim);
    const attacker = client();
    await signUp(attacker);
    const res = await withoutWrites(() =>
      attacker.request('mutation ($id: ID!) { revokeSession(id: $id) }', { id: session.id }),
    );
    expect(firstError(res)?.extensions).toEqual({ code: 'NOT_FOUND' });
    expect((await victim.request(ME_ID)).data?.me?.id).toBe(user.id);
  });

  it('revokeSession with an unknown UUID or a value that is not a UUID', async () => {
    const c = client();
    await signUp(c);
    for (const id of [randomUUID(), 'not-a-uuid', '', "1' OR '1'='1"]) {
      const res = await c.request('mutation ($id: ID!) { revokeSession(id: $id) }', { id });
      expect(firstError(res)?.extensions, id).toEqual({ code: 'NOT_FOUND' });
    }
  });
});

describe('HTTP', () => {
  const post = (body: string, contentType = 'application/json') =>
    server.fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });

  it('malformed JSON gets a 4xx, not a 500', async () => {
    for (const body of ['{"query": ', 'not json at all', '']) {
      const res = await post(body);
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
    }
  });

  it('a JSON body that is not a GraphQL request gets a 4xx', async () => {
    for (const body of [
      '{"foo":1}',
      '{"query":5}',
      '[]',
      '"query"',
      'null',
      '{"query":"{ me { id } ","variables":[]}',
    ]) {
      const res = await post(body);
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
    }
  });

  it('a query that does not parse or validate is a 4xx or a GraphQL error, never a 500', async () => {
    for (const query of ['{ me { id }', '{ nope }', 'mutation { signUp }']) {
      const res = await post(JSON.stringify({ query }));
      expect(res.status, query).toBeLessThan(500);
      const body = (await res.json()) as { errors?: unknown[] };
      expect(body.errors?.length, query).toBeGreaterThan(0);
    }
  });

  it('refuses a mutation over GET and performs nothing', async () => {
    const c = client();
    await signUp(c);
    const url = new URL(server.graphqlUrl);
    url.searchParams.set('query', 'mutation { logout }');
    const res = await server.fetch(url, {
      headers: { accept: 'application/json', cookie: `sessionId=${c.sessionValue!}` },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await c.request(ME_ID)).data?.me).not.toBeNull();
  });

  it('answers a query over GET', async () => {
    const url = new URL(server.graphqlUrl);
    url.searchParams.set('query', '{ me { id } }');
    const res = await server.fetch(url, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { me: null } });
  });

  it('GET /health and GET /ready answer 200', async () => {
    expect((await server.fetch(`${server.origin}/health`)).status).toBe(200);
    expect((await server.fetch(`${server.origin}/ready`)).status).toBe(200);
  });

  it('every /graphql response carries Cache-Control: no-store', async () => {
    const c = client();
    const { response } = await signUp(c);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect((await c.request('{ me { id } }')).headers.get('cache-control')).toBe('no-store');
    expect((await client().request('{ users { totalCount } }')).headers.get('cache-control')).toBe(
      'no-store',
    );
    expect((await post('{"query": ')).headers.get('cache-control')).toBe('no-store');
  });

  it('masks an unexpected failure: no message, stack or SQL from the database reaches the client', async () => {
    const prisma = server.booted.db.prisma;
    await prisma.$executeRawUnsafe('ALTER TABLE users RENAME TO users_elsewhere');
    try {
      const res = await client().request(SIGN_UP, { input: newAccount() });
      const body = JSON.stringify(res.errors);
      expect(res.data).toBeNull();
      expect(firstError(res)?.message).toBe('Unexpected error.');
      expect(firstError(res)?.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      expect(body).not.toMatch(/users|relation|prisma|select|insert|stack|\.ts:/i);
    } finally {
      await prisma.$executeRawUnsafe('ALTER TABLE users_elsewhere RENAME TO users');
    }
    expect((await client().request(SIGN_UP, { input: newAccount() })).errors).toBeUndefined();
  });
});
