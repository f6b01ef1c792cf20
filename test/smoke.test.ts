import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from './support/client.js';
import { signUp } from './support/flows.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('smoke', () => {
  it('signs up and reads me', async () => {
    const client = new TestClient(server.graphqlUrl);
    const { user } = await signUp(client);
    server.resetQueryLog();
    const me = await client.request<{ me: { id: string } }>('{ me { id } }');
    expect(me.data?.me.id).toBe(user.id);
    expect(server.queries.length).toBeGreaterThan(0);
  });
});
