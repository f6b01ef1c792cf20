import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArgon2Hasher, OWASP_ARGON2 } from '../../src/core/auth/passwords/password.js';
import { errorCode, TestClient } from '../support/client.js';
import { signIn, signUp, UNLIMITED } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';

// The hasher as production builds it (normal priority here), one hash at a time with eight waiting,
// and the default share of two hashes per client: a flood of correct sign-ins from one address fills
// the queue unless its share stops it. The wait limit is out of the way, so timing decides nothing.
let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    // Over a real socket: a refused sign-in answered in process would never yield to the event loop.
    listen: true,
    env: { ...UNLIMITED, TRUST_PROXY: 'true' },
    hasher: createArgon2Hasher(OWASP_ARGON2, {
      concurrency: 1,
      queue: 8,
      perClient: 2,
      maxWaitMs: 600_000,
      idleClass: false,
    }),
  });
});
afterAll(() => server.close());

/** One sign-in from `ip` (behind the trusted proxy), by `client` or a fresh browser; its error code. */
async function signInFrom(
  ip: string,
  input: { name?: string; email?: string; password: string },
  client = new TestClient(server.graphqlUrl),
): Promise<unknown> {
  const response = await client.request(
    'mutation ($input: SignInInput!) { signIn(input: $input) { user { id } } }',
    { input },
    { headers: { 'x-forwarded-for': ip } },
  );
  return errorCode(response);
}

describe('the password hasher is shared fairly between client addresses', () => {
  it('one address flooding correct sign-ins cannot queue out another address signing in', async () => {
    const attacker = new TestClient(server.graphqlUrl);
    const { account: own } = await signUp(attacker);
    const victim = new TestClient(server.graphqlUrl);
    const { account } = await signUp(victim);

    let flooding = true;
    const flood = Array.from({ length: 40 }, async () => {
      const codes: unknown[] = [];
      while (flooding) {
        codes.push(await signInFrom('198.51.100.7', { email: own.email, password: own.password }));
      }
      return codes;
    });
    const victimCodes: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      victimCodes.push(
        await signInFrom('203.0.113.9', { email: account.email, password: account.password }),
      );
    }
    flooding = false;
    const floodCodes = (await Promise.all(flood)).flat();

    expect(victimCodes).toEqual([undefined, undefined, undefined, undefined, undefined]);
    // The flood was real: most of its sign-ins were refused for being over the address's share.
    expect(floodCodes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThan(40);
    expect(
      await signIn(victim, { email: account.email, password: account.password }),
    ).toMatchObject({ errors: undefined });
  });

  it("a flood from many addresses fills the queue for strangers, not for the account's own browser", async () => {
    const owner = new TestClient(server.graphqlUrl);
    // The owner's browser gets its device cookie here.
    const { account } = await signUp(owner);

    let flooding = true;
    let next = 0;
    // Forty addresses, two hashes each at most: far more than the queue of eight holds.
    const flood = Array.from({ length: 40 }, async (_, worker) => {
      const codes: unknown[] = [];
      while (flooding) {
        codes.push(
          await signInFrom(`198.18.${worker}.1`, {
            name: account.name,
            password: `wrong-${next++}-a`,
          }),
        );
      }
      return codes;
    });
    const ownerCodes: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      ownerCodes.push(
        await signInFrom('203.0.113.10', { name: account.name, password: account.password }, owner),
      );
    }
    flooding = false;
    const floodCodes = (await Promise.all(flood)).flat();

    expect(ownerCodes).toEqual([undefined, undefined, undefined, undefined, undefined]);
    // The flood was real: the queue was full for it again and again.
    expect(floodCodes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThan(40);
  });
});
