import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApolloExample } from '../../examples/apollo.js';
import { runUrqlExample } from '../../examples/urql.js';
import { newAccount } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  // The examples' clients (urql, Apollo) use their own fetch: a real socket.
  server = await startServer({ listen: true });
});
afterAll(() => server.close());

describe.each([
  ['urql', runUrqlExample],
  ['Apollo Client', runApolloExample],
])('the %s example against the real server', (_name, run) => {
  it('signs up, lists and revokes sessions, works with a bearer token, and signs out', async () => {
    const account = newAccount();
    const result = await run(server.graphqlUrl, account);

    expect(result.user).toMatchObject({ name: account.name, email: account.email });
    expect(result.me).toMatchObject({ id: result.user?.id, activeSessionCount: 2 });
    expect(result.sessions).toHaveLength(2);
    expect(result.sessions.filter((s) => s.current)).toHaveLength(1);
    expect(result.revoked).toBe(true);
    expect(result.phoneAfterRevoke).toBeNull();
    expect(result.scriptMe?.id).toBe(result.user?.id);
    expect(result.loggedOut).toBe(true);
    expect(result.laptopAfterLogout).toBeNull();
    expect(result.scriptAfterLogout).toBeNull();
  });
});
