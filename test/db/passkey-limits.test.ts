import { afterEach, describe, expect, it } from 'vitest';
import { errorCode, TestClient } from '../support/client.js';
import { MINUTE, TestClock } from '../support/clock.js';
import { BEGIN_PASSKEY_ASSERTION, BEGIN_PASSKEY_SIGN_IN } from '../support/factors.js';
import { startServer, type TestServer } from '../support/server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('passkey challenges are bounded', () => {
  it('past the per-IP limit, beginPasskeySignIn and beginPasskeyAssertion get RATE_LIMITED', async () => {
    server = await startServer({ env: { RATE_LIMIT_PASSKEY_CHALLENGES_IP: '3' } });
    const c = new TestClient(server);
    for (let i = 0; i < 2; i++)
      expect((await c.request(BEGIN_PASSKEY_SIGN_IN)).errors).toBeUndefined();
    expect(
      (await c.request(BEGIN_PASSKEY_ASSERTION, { purpose: 'SIGN_IN' })).errors,
    ).toBeUndefined();
    const refused = await c.request(BEGIN_PASSKEY_SIGN_IN);
    expect(errorCode(refused)).toBe('RATE_LIMITED');
    expect(refused.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    const assertion = await c.request(BEGIN_PASSKEY_ASSERTION, { purpose: 'SIGN_IN' });
    expect(errorCode(assertion)).toBe('RATE_LIMITED');
  });

  it('keeps at most PASSKEY_MAX_LIVE_CHALLENGES unanswered; expired ones make room', async () => {
    const clock = new TestClock();
    server = await startServer({ env: { PASSKEY_MAX_LIVE_CHALLENGES: '2' }, now: clock.now });
    const c = new TestClient(server);
    for (let i = 0; i < 2; i++)
      expect((await c.request(BEGIN_PASSKEY_SIGN_IN)).errors).toBeUndefined();
    expect(errorCode(await c.request(BEGIN_PASSKEY_SIGN_IN))).toBe('RATE_LIMITED');
    expect(await server.booted.db.prisma.webAuthnChallenge.count()).toBe(2);
    clock.advance(5 * MINUTE);
    expect((await c.request(BEGIN_PASSKEY_SIGN_IN)).errors).toBeUndefined();
    expect(await server.booted.db.prisma.webAuthnChallenge.count()).toBe(1);
  });

  it('a SECOND_FACTOR challenge needs a live SECOND_FACTOR_REQUIRED challenge, REAUTHENTICATE a session', async () => {
    server = await startServer();
    const c = new TestClient(server);
    const unbound = await c.request(BEGIN_PASSKEY_ASSERTION, { purpose: 'SECOND_FACTOR' });
    expect(errorCode(unbound)).toBe('BAD_USER_INPUT');
    const madeUp = await c.request(BEGIN_PASSKEY_ASSERTION, {
      purpose: 'SECOND_FACTOR',
      challenge: 'not-a-challenge',
    });
    expect(errorCode(madeUp)).toBe('INVALID_OTP');
    const signedOut = await c.request(BEGIN_PASSKEY_ASSERTION, { purpose: 'REAUTHENTICATE' });
    expect(errorCode(signedOut)).toBe('UNAUTHENTICATED');
  });
});
