import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphQLResponse, TestClient } from '../support/client.js';
import { SESSION_FIELDS, signUp, UNLIMITED, USER_FIELDS } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * The same query with its arguments written in the document or passed as variables answers alike: the
 * same data, the same errors with the same codes and paths, the same HTTP status. (Queries without
 * variables once ran on a second executor, graphql-jit; these tests held it to graphql-js.)
 */

let server: TestServer;
beforeAll(async () => {
  // users open to every signed-in user, so its pages and argument errors are reached (roles: roles.test.ts).
  server = await startServer({ env: { ...UNLIMITED, USERS_QUERY_ACCESS: 'signed-in' } });
});
afterAll(() => server.close());

const USERS_PAGE = `totalCount edges { cursor node { ${USER_FIELDS} } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;
const VIEWER = `me { ${USER_FIELDS} } session { ${SESSION_FIELDS} user { id name } } sessions { ${SESSION_FIELDS} }`;

/** The query once with literal arguments and once with the same values as variables. */
async function bothWays(
  client: TestClient,
  args: Record<string, unknown>,
  select: (a: string) => string,
) {
  const literal = Object.entries(args)
    .map(([name, value]) => `${name}: ${JSON.stringify(value)}`)
    .join(', ');
  const declared = Object.keys(args)
    .map((name) => `, $${name}: ${typeof args[name] === 'number' ? 'Int' : 'String'}`)
    .join('');
  const passed = Object.keys(args)
    .map((name) => `${name}: $${name}`)
    .join(', ');
  const compiled = await client.request(`{ ${select(literal)} }`);
  // A variable the query really uses, even where the selection takes no arguments.
  const interpreted = await client.request(
    `query ($always: Boolean! ${declared}) { ... @include(if: $always) { ${select(passed)} } }`,
    { always: true, ...args },
  );
  return { compiled: comparable(compiled), interpreted: comparable(interpreted) };
}

// Locations differ only because the two query texts do.
const comparable = ({ status, data, errors }: GraphQLResponse) => ({
  status,
  data,
  errors: errors?.map((error) => {
    const { locations: _differentText, ...rest } = error as typeof error & { locations?: unknown };
    return rest;
  }),
});

describe('literal arguments and variables answer exactly alike', () => {
  it('the viewer, the current session and the session list, signed in', async () => {
    const client = new TestClient(server);
    await signUp(client);
    const { compiled, interpreted } = await bothWays(client, {}, () => VIEWER);
    expect(compiled.errors).toBeUndefined();
    expect((compiled.data?.me as { id?: string } | null)?.id).toBeTruthy();
    expect(compiled).toEqual(interpreted);
  });

  it('the same, signed out: nulls and UNAUTHENTICATED where the contract says so', async () => {
    const client = new TestClient(server);
    const { compiled, interpreted } = await bothWays(
      client,
      { first: 2 },
      (a) => `me { id } users(${a}) { totalCount }`,
    );
    expect(compiled.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(compiled).toEqual(interpreted);
  });

  it('a page of users and the next one by cursor', async () => {
    const client = new TestClient(server);
    await signUp(client);
    await signUp(new TestClient(server));
    await signUp(new TestClient(server));
    const first = await bothWays(client, { first: 2 }, (a) => `users(${a}) { ${USERS_PAGE} }`);
    expect(first.compiled.errors).toBeUndefined();
    expect(first.compiled).toEqual(first.interpreted);
    const after = (first.compiled.data as { users: { pageInfo: { endCursor: string } } }).users
      .pageInfo.endCursor;
    const next = await bothWays(
      client,
      { first: 2, after },
      (a) => `users(${a}) { ${USERS_PAGE} }`,
    );
    expect(next.compiled.errors).toBeUndefined();
    expect(next.compiled).toEqual(next.interpreted);
  });

  it('bad arguments: the documented error, its field and its path, and no partial data', async () => {
    const client = new TestClient(server);
    await signUp(client);
    for (const args of [
      { first: 0 },
      { first: 101 },
      { first: -1 },
      { first: 1, after: 'not-a-cursor' },
    ]) {
      const { compiled, interpreted } = await bothWays(
        client,
        args,
        (a) => `me { id } users(${a}) { totalCount }`,
      );
      expect(compiled.errors?.[0]?.extensions?.code, JSON.stringify(args)).toBe('BAD_USER_INPUT');
      expect(compiled.errors?.[0]?.path).toEqual(['users']);
      expect(compiled, JSON.stringify(args)).toEqual(interpreted);
    }
  });
});
