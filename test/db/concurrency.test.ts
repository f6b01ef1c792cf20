import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, TestClient } from '../support/client.js';
import { newAccount, SIGN_UP, signUp } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

let server: TestServer;
beforeAll(async () => {
  // Racing requests go over real sockets: in process, a loop of cached answers never yields to timers.
  server = await startServer({
    listen: true,
    env: { MAIL_POLL_INTERVAL: '1h', RATE_LIMIT_SIGNUP_IP: '1000' },
  });
  await until(() => server.booted.app.services.sessions.cache.isTrusted);
});
afterAll(() => server.close());

/** One request with a fixed cookie header: no jar, so a cleared cookie cannot hide a success. */
async function meWith(cookie: string): Promise<{ id: string } | null> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `sessionId=${cookie}` },
    body: JSON.stringify({ query: '{ me { id } }' }),
  });
  const body = (await response.json()) as {
    data?: { me: { id: string } | null };
    errors?: unknown[];
  };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data?.me ?? null;
}

describe('concurrency', () => {
  it('revoke while 50 requests use the session: none that starts after the revoke returns succeeds', async () => {
    const victim = new TestClient(server);
    const { session } = await signUp(victim);
    const cookie = victim.sessionValue!;
    const revoker = victim.clone('revoker');
    expect(await meWith(cookie)).not.toBeNull();

    let revokedAt = Number.POSITIVE_INFINITY;
    const lateSuccesses: number[] = [];
    let stop = false;
    let served = 0;
    const worker = async () => {
      while (!stop) {
        const startedAt = performance.now();
        const me = await meWith(cookie);
        if (me) served++;
        if (me && startedAt > revokedAt) lateSuccesses.push(startedAt - revokedAt);
      }
    };
    const workers = Array.from({ length: 50 }, worker);
    await until(() => served >= 100);
    const revoked = await revoker.request('mutation ($id: ID!) { revokeSession(id: $id) }', {
      id: session.id,
    });
    revokedAt = performance.now();
    expect(revoked.data).toEqual({ revokeSession: true });
    // Let every worker complete a few requests after the revoke.
    const servedAtRevoke = served;
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await Promise.all(workers);
    expect(servedAtRevoke).toBeGreaterThanOrEqual(100);
    expect(lateSuccesses).toEqual([]);
    expect(await meWith(cookie)).toBeNull();
  });

  it('logout racing refreshSession never leaves a usable session behind', async () => {
    for (let round = 0; round < 10; round++) {
      const c = new TestClient(server);
      const { user } = await signUp(c);
      const cookie = c.sessionValue!;
      await meWith(cookie); // cached, so the race is against the cache as well as the row
      const send = (query: string) =>
        fetch(server.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: `sessionId=${cookie}` },
          body: JSON.stringify({ query }),
        });
      const [, refreshed] = await Promise.all([
        send('mutation { logout }'),
        send('mutation { refreshSession { id } }'),
      ]);
      const newCookie = refreshed.headers
        .getSetCookie()
        .map((header) => /^sessionId=([^;]*)/.exec(header)?.[1])
        .find((value) => value);
      // The old cookie, and the new one when the refresh answered first.
      for (const held of [cookie, ...(newCookie ? [newCookie] : [])])
        expect(await meWith(held)).toBeNull();
      expect(await server.booted.db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
    }
  });

  it('two sign-ups with one e-mail at once: exactly one wins, the other gets CONFLICT', async () => {
    for (let round = 0; round < 5; round++) {
      const email = newAccount().email;
      const attempts = await Promise.all(
        [0, 1].map(() => new TestClient(server).request(SIGN_UP, { input: newAccount({ email }) })),
      );
      const winners = attempts.filter((response) => response.data?.signUp);
      const losers = attempts.filter((response) => errorCode(response) === 'CONFLICT');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0]?.errors?.[0]?.extensions?.field).toBe('email');
      expect(
        await server.booted.db.prisma.user.count({ where: { emailKey: email.toLowerCase() } }),
      ).toBe(1);
    }
  });
});
