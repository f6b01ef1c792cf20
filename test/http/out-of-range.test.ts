import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { signUp, UNLIMITED } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * Input out of range is the client's mistake, answered BAD_USER_INPUT with the field at fault, and
 * never an unexpected error in the log: a cursor whose date JavaScript accepts but no createdAt can
 * have, and an `Int` variable beyond 32 bits.
 */

const logLines: { level: number; msg: string }[] = [];
const errorLines = () => logLines.filter((line) => line.level >= 50);

let server: TestServer;
let client: TestClient;
beforeAll(async () => {
  server = await startServer({
    // users open to every signed-in user, so its arguments are reached whatever the role.
    env: { ...UNLIMITED, USERS_QUERY_ACCESS: 'signed-in', LOG_LEVEL: 'warn' },
    logStream: { write: (line: string) => void logLines.push(JSON.parse(line)) },
  });
  client = new TestClient(server);
  await signUp(client);
});
afterAll(() => server.close());

const cursorAt = (date: string) =>
  Buffer.from(JSON.stringify([date, '00000000-0000-4000-8000-000000000000'])).toString('base64url');

describe('out-of-range input', () => {
  for (const date of [
    '+275760-09-13T00:00:00.000Z',
    '+099999-01-01T00:00:00.000Z',
    '99999-01-01',
    '0000-01-01T00:00:00.000Z',
    '-000001-01-01T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
  ]) {
    it(`a cursor dated ${date} answers BAD_USER_INPUT on after, and nothing is logged as an error`, async () => {
      logLines.length = 0;
      const response = await client.request(
        'query ($after: String) { users(first: 1, after: $after) { totalCount } }',
        {
          after: cursorAt(date),
        },
      );
      expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
      expect(response.errors?.[0]?.path).toEqual(['users']);
      expect(errorLines()).toEqual([]);
    });
  }

  for (const n of [2 ** 31, -(2 ** 31) - 1, 1e300, 1.5, '5']) {
    it(`an Int variable given ${JSON.stringify(n)} answers BAD_USER_INPUT naming the variable, and nothing is logged as an error`, async () => {
      logLines.length = 0;
      const response = await client.request('query ($n: Int) { users(first: $n) { totalCount } }', {
        n,
      });
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'n' });
      expect(response.errors?.[0]?.message).toContain('Int cannot represent');
      expect(response.data).toBeUndefined();
      expect(errorLines()).toEqual([]);
    });
  }

  it('a missing non-null variable answers BAD_USER_INPUT naming it', async () => {
    logLines.length = 0;
    const response = await client.request(
      'query ($n: Int!) { users(first: $n) { totalCount } }',
      {},
    );
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'n' });
    expect(errorLines()).toEqual([]);
  });
});

describe('a GET whose query string carries broken JSON', () => {
  for (const name of ['variables', 'extensions']) {
    it(`answers 400 BAD_USER_INPUT naming ${name}, and nothing is logged as an error`, async () => {
      logLines.length = 0;
      const url = new URL(server.graphqlUrl);
      url.searchParams.set('query', '{ me { id } }');
      url.searchParams.set(name, '{');
      const response = await server.fetch(url, { headers: { accept: 'application/json' } });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { extensions: unknown }[] };
      expect(body.errors[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: name });
      expect(errorLines()).toEqual([]);
    });
  }
});
