import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { errorCode, TestClient } from '../support/client.js';
import { MINUTE, TestClock } from '../support/clock.js';
import { signUp, UNLIMITED } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';

const REAUTHENTICATE = graphql(`
  mutation Reauthenticate($input: ReauthenticateInput!) {
    reauthenticate(input: $input) { id authenticatedAt methods }
  }
`);

const RECENCY = graphql(`
  query Recency {
    session { id authenticatedAt methods deviceName lastSeenAt }
    me { id emailVerified disabled disabledUntil }
  }
`);

const CHROME_ON_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('recent authentication', () => {
  const clock = new TestClock();
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: UNLIMITED, now: clock.now });
  });
  afterAll(() => server.close());

  it('a new session records when and how it was authenticated, and a readable device name', async () => {
    const c = new TestClient(server, CHROME_ON_MAC);
    await signUp(c);
    const { data } = await c.request(RECENCY);
    expect(data?.session).toMatchObject({
      authenticatedAt: clock.now().toISOString(),
      methods: ['PASSWORD'],
      deviceName: 'Chrome 131 on macOS',
    });
    expect(data?.me).toMatchObject({ emailVerified: false, disabled: false, disabledUntil: null });
  });

  it('an unrecognised user agent has no device name', async () => {
    const c = new TestClient(server, 'curl/8.5.0 <script>');
    await signUp(c);
    const { data } = await c.request(RECENCY);
    expect(data?.session?.deviceName).toBeNull();
  });

  it('activity moves lastSeenAt but not authenticatedAt', async () => {
    const c = new TestClient(server);
    await signUp(c);
    const before = (await c.request(RECENCY)).data!.session!;
    clock.advance(5 * MINUTE);
    await server.flushTouches();
    const after = (await c.request(RECENCY)).data!.session!;
    expect(after.authenticatedAt).toBe(before.authenticatedAt);
    expect(Date.parse(after.lastSeenAt)).toBeGreaterThan(Date.parse(before.lastSeenAt));
  });

  it('reauthenticate with the right password moves authenticatedAt to now and issues a new token', async () => {
    const c = new TestClient(server);
    const { account } = await signUp(c);
    const oldCookie = c.sessionValue;
    clock.advance(30 * MINUTE);
    const res = await c.request(REAUTHENTICATE, { input: { password: account.password } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.reauthenticate).toMatchObject({
      authenticatedAt: clock.now().toISOString(),
      methods: ['PASSWORD'],
    });
    expect(c.sessionValue).not.toBe(oldCookie);
    // The copy taken before the proof is dead; the new cookie carries the session.
    const thief = new TestClient(server);
    thief.jar.set('sessionId', oldCookie ?? '');
    expect((await thief.request(RECENCY)).data?.session).toBeNull();
    expect((await c.request(RECENCY)).data?.session?.authenticatedAt).toBe(
      clock.now().toISOString(),
    );
  });

  it('reauthenticate with a wrong or missing password changes nothing', async () => {
    const c = new TestClient(server);
    await signUp(c);
    const before = (await c.request(RECENCY)).data!.session!;
    const cookie = c.sessionValue;
    clock.advance(MINUTE);
    const wrong = await c.request(REAUTHENTICATE, { input: { password: 'not-the-password-1' } });
    expect(errorCode(wrong)).toBe('INVALID_CREDENTIALS');
    const missing = await c.request(REAUTHENTICATE, { input: {} });
    expect(errorCode(missing)).toBe('BAD_USER_INPUT');
    expect(c.sessionValue).toBe(cookie);
    expect((await c.request(RECENCY)).data?.session?.authenticatedAt).toBe(before.authenticatedAt);
  });

  it('reauthenticate signed out answers UNAUTHENTICATED', async () => {
    const res = await new TestClient(server).request(REAUTHENTICATE, {
      input: { password: 'whatever-password-1' },
    });
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
  });
});
