import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignInInput } from '../generated/graphql.js';
import { errorCode, type GraphQLResponse, TestClient } from '../support/client.js';
import { createTestDatabase, testDatabaseKind } from '../support/database.js';
import { type Account, AUTH_PAYLOAD, SIGN_IN, signUp } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * API.md, Abuse limits: sign-in failures per account and per client IP, sign-up per IP, over real HTTP.
 * The main server keeps the default limits (10 per account, 50 per IP per 15 minutes) and trusts
 * X-Forwarded-For, so each test can act from an address of its own.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { TRUST_PROXY: 'true' } });
});
afterAll(() => server.close());

let lastOctet = 0;
/** A client address no other test uses. */
const freshIp = () => `198.51.100.${++lastOctet}`;

type By = SignInInput;

function signInFrom(target: TestServer, by: By, headers: Record<string, string> = {}) {
  return new TestClient(target).request(SIGN_IN, { input: by }, { headers });
}

const codes = (responses: GraphQLResponse<unknown>[]) => responses.map((r) => errorCode(r) ?? 'OK');
const count = (list: unknown[], value: unknown) => list.filter((v) => v === value).length;

async function registered(target: TestServer): Promise<Account> {
  const { account } = await signUp(new TestClient(target), {
    name: `lim_${randomInt(1e9)}`,
  });
  return account;
}

describe('sign-in failures per account (default 10 per 15 minutes)', () => {
  it('lets exactly 10 of 50 parallel wrong passwords be checked; the rest are RATE_LIMITED', async () => {
    const account = await registered(server);
    const ip = { 'x-forwarded-for': freshIp() };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        signInFrom(server, { name: account.name, password: 'wrong-password-1' }, ip),
      ),
    );
    const outcome = codes(responses);
    expect(count(outcome, 'INVALID_CREDENTIALS')).toBe(10);
    expect(count(outcome, 'RATE_LIMITED')).toBe(40);
    for (const response of responses.filter((r) => errorCode(r) === 'RATE_LIMITED')) {
      const retryAfter = response.errors?.[0]?.extensions?.retryAfter;
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(response.status).toBe(200);
    }

    // Even the right password is refused now by name. (The e-mail counts on its own, as an unknown
    // address would: a limit reached by name must not link the name to its e-mail; see lockout.test.ts.)
    const right = await signInFrom(server, { name: account.name, password: account.password }, ip);
    expect(errorCode(right)).toBe('RATE_LIMITED');
    expect(right.setCookies).toHaveLength(0);
    // ...from any address: the account counter is not per IP.
    const elsewhere = await signInFrom(
      server,
      { name: account.name, password: account.password },
      { 'x-forwarded-for': freshIp() },
    );
    expect(errorCode(elsewhere)).toBe('RATE_LIMITED');

    // The refused attempts checked no password, so they did not eat this IP's budget: another account signs in.
    const other = await registered(server);
    const fine = await signInFrom(server, { name: other.name, password: other.password }, ip);
    expect(fine.data?.signIn.user.id).toBeTruthy();
  });

  it('starts the account afresh after a successful sign-in', async () => {
    const account = await registered(server);
    const ip = { 'x-forwarded-for': freshIp() };
    const wrong = () =>
      signInFrom(server, { email: account.email, password: 'not-the-password' }, ip);
    for (let i = 0; i < 9; i++) expect(errorCode(await wrong())).toBe('INVALID_CREDENTIALS');
    const ok = await signInFrom(server, { email: account.email, password: account.password }, ip);
    expect(ok.data?.signIn.user.id).toBeTruthy();
    for (let i = 0; i < 10; i++) expect(errorCode(await wrong())).toBe('INVALID_CREDENTIALS');
    expect(errorCode(await wrong())).toBe('RATE_LIMITED');
  });

  it('limits unknown accounts the same way, so the limit does not tell which exist', async () => {
    const ip = { 'x-forwarded-for': freshIp() };
    const ghost = { name: `ghost_${randomInt(1e9)}`, password: 'whatever-password' };
    const outcome = codes(
      await Promise.all(Array.from({ length: 12 }, () => signInFrom(server, ghost, ip))),
    );
    expect(count(outcome, 'INVALID_CREDENTIALS')).toBe(10);
    expect(count(outcome, 'RATE_LIMITED')).toBe(2);
  });

  it('counts each executed signIn field of an aliased request; a failure stops the rest', async () => {
    const account = await registered(server);
    const ip = { 'x-forwarded-for': freshIp() };
    const fields = Array.from(
      { length: 12 },
      (_, i) =>
        `a${i}: signIn(input: { name: $name, password: "wrong-password-${i}" }) { ${AUTH_PAYLOAD} }`,
    );
    const many = `mutation Many($name: String!) { ${fields.join('\n')} }`;
    // Mutation fields run one after another and AuthPayload is non-null: the first failure ends the
    // request, so 12 aliases buy one guess, and that one is counted.
    for (let i = 0; i < 10; i++) {
      const response = await new TestClient(server).request(
        many,
        { name: account.name },
        { headers: ip },
      );
      expect((response.errors ?? []).map((e) => e.extensions?.code)).toEqual([
        'INVALID_CREDENTIALS',
      ]);
    }
    const last = await new TestClient(server).request(
      many,
      { name: account.name },
      { headers: ip },
    );
    expect((last.errors ?? []).map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
  });

  it('counts wrong current passwords at changePassword against the account too', async () => {
    const client = new TestClient(server);
    const { account } = await signUp(client);
    const ip = { 'x-forwarded-for': freshIp() };
    const change = (currentPassword: string) =>
      client.request(
        `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { session { id } } }`,
        { input: { currentPassword, newPassword: 'a-brand-new-passphrase' } },
        { headers: ip },
      );
    for (let i = 0; i < 10; i++)
      expect(errorCode(await change('wrong-current-password'))).toBe('INVALID_CREDENTIALS');
    expect(errorCode(await change(account.password))).toBe('RATE_LIMITED');
  });

  it('counts wrong passwords at reauthenticate against the same budget as signing in by name', async () => {
    const client = new TestClient(server);
    const { account } = await signUp(client);
    const ip = { 'x-forwarded-for': freshIp() };
    for (let i = 0; i < 10; i++)
      expect(
        errorCode(
          await client.request(
            `mutation ($input: ReauthenticateInput!) { reauthenticate(input: $input) { id } }`,
            { input: { password: 'wrong-current-password' } },
            { headers: ip },
          ),
        ),
      ).toBe('INVALID_CREDENTIALS');
    // Another browser and address, the right password: the account's budget is spent all the same.
    const elsewhere = await signInFrom(
      server,
      { name: account.name, password: account.password },
      { 'x-forwarded-for': freshIp() },
    );
    expect(codes([elsewhere])).toEqual(['RATE_LIMITED']);
  });
});

describe('sign-in failures per client IP (default 50 per 15 minutes)', () => {
  it('refuses the 51st failure from one address, even with a right password, and no other address', async () => {
    const ip = { 'x-forwarded-for': freshIp() };
    const account = await registered(server);
    // 50 failures spread over accounts that stay under their own limit of 10.
    const outcome = codes(
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          signInFrom(
            server,
            { name: `spray_${i % 10}_${randomInt(1e9)}`, password: 'x-wrong-password' },
            ip,
          ),
        ),
      ),
    );
    expect(count(outcome, 'INVALID_CREDENTIALS')).toBe(50);
    const right = await signInFrom(server, { name: account.name, password: account.password }, ip);
    expect(errorCode(right)).toBe('RATE_LIMITED');
    expect(right.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    // With TRUST_PROXY on, the forwarded address is the client: another one is not limited.
    const other = await signInFrom(
      server,
      { name: account.name, password: account.password },
      { 'x-forwarded-for': freshIp() },
    );
    expect(other.data?.signIn.user.id).toBeTruthy();
  });
});

describe('client address without TRUST_PROXY', () => {
  let direct: TestServer;
  beforeAll(async () => {
    direct = await startServer({ env: { RATE_LIMIT_SIGNIN_IP: '5', RATE_LIMIT_SIGNUP_IP: '3' } });
  });
  afterAll(() => direct.close());

  it('ignores X-Forwarded-For: a client cannot reset its IP counter by sending one', async () => {
    const account = await registered(direct);
    const outcome: unknown[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await signInFrom(
        direct,
        { name: `nobody_${i}_${randomInt(1e9)}`, password: 'wrong-password-x' },
        { 'x-forwarded-for': `203.0.113.${i + 1}` },
      );
      outcome.push(errorCode(response));
    }
    expect(outcome).toEqual([...Array(5).fill('INVALID_CREDENTIALS'), 'RATE_LIMITED']);
    const right = await signInFrom(
      direct,
      { name: account.name, password: account.password },
      { 'x-forwarded-for': '192.0.2.77' },
    );
    expect(errorCode(right)).toBe('RATE_LIMITED');
  });

  it('limits sign-ups per IP (here 3 per hour), counting aliased fields one by one, whatever X-Forwarded-For says', async () => {
    // One sign-up already happened from this address in the test above; this request asks for four more.
    const fields = Array.from({ length: 4 }, (_, i) => {
      const tag = `${i}_${randomInt(1e9)}`;
      return `s${i}: signUp(input: { name: "alias_${tag}", email: "alias_${tag}@example.test", password: "long-enough-passphrase" }) { user { id } }`;
    });
    const response = await new TestClient(direct).request(
      `mutation { ${fields.join('\n')} }`,
      {},
      { headers: { 'x-forwarded-for': '192.0.2.99' } },
    );
    expect((response.errors ?? []).map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);
    expect(response.errors?.[0]?.path).toEqual(['s2']);
    expect(response.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(3500);
    expect(await direct.booted.db.prisma.user.count()).toBe(3);
  });
});

describe('counters shared by every instance', () => {
  it.runIf(testDatabaseKind === 'postgres')(
    'two servers on one PostgreSQL count failures together (skipped on PGlite: its counters are per process by design)',
    async () => {
      const database = await createTestDatabase();
      const env = { RATE_LIMIT_SIGNIN_ACCOUNT: '4' };
      const a = await startServer({ env, database });
      const b = await startServer({ env, database });
      try {
        const account = await registered(a);
        const wrong = (target: TestServer) =>
          signInFrom(target, { name: account.name, password: 'wrong-password-z' });
        // Parallel across both instances: still exactly 4 checks in all.
        const outcome = codes(
          await Promise.all(Array.from({ length: 10 }, (_, i) => wrong(i % 2 ? a : b))),
        );
        expect(count(outcome, 'INVALID_CREDENTIALS')).toBe(4);
        expect(count(outcome, 'RATE_LIMITED')).toBe(6);
        for (const target of [a, b]) {
          expect(
            errorCode(await signInFrom(target, { name: account.name, password: account.password })),
          ).toBe('RATE_LIMITED');
        }
        // A success on one instance starts the account afresh on the other.
        const other = await registered(b);
        const wrongOther = (target: TestServer) =>
          signInFrom(target, { name: other.name, password: 'wrong-password-y' });
        for (let i = 0; i < 3; i++)
          expect(errorCode(await wrongOther(a))).toBe('INVALID_CREDENTIALS');
        expect(
          (await signInFrom(b, { name: other.name, password: other.password })).errors,
        ).toBeUndefined();
        for (let i = 0; i < 4; i++)
          expect(errorCode(await wrongOther(a))).toBe('INVALID_CREDENTIALS');
        expect(errorCode(await wrongOther(b))).toBe('RATE_LIMITED');

        const rows = await a.booted.db.prisma.rateLimit.count();
        expect(rows).toBeGreaterThan(0);
      } finally {
        await a.close();
        await b.close();
        await database.drop();
      }
    },
  );
});
