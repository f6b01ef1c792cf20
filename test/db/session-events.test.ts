import { createClient } from 'graphql-sse';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_CHANNEL } from '../../src/core/auth/events/event-feed.js';
import { LISTENER_APPLICATION_NAME } from '../../src/db/listener.js';
import { runAdmin } from '../support/admin-script.js';
import { TestClient } from '../support/client.js';
import { DAY, HOUR, TestClock } from '../support/clock.js';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../support/database.js';
import { signIn, signUp, UNLIMITED } from '../support/flows.js';
import { LOGOUT, REVOKE_OTHER_SESSIONS, REVOKE_SESSION } from '../support/operations.js';
import { type StartOptions, startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

/**
 * `subscription { sessionEvents }` over real HTTP, read by graphql-sse's client (distinct connections,
 * `POST` with `Accept: text/event-stream`, as Yoga serves it).
 */

const SESSION_EVENTS = 'subscription { sessionEvents { id kind sessionId deviceName } }';
const QUIET = { MAIL_POLL_INTERVAL: '1h', ...UNLIMITED };

interface SecurityEventSeen {
  id: string;
  kind: string;
  sessionId: string | null;
}

/** One open stream as a page would hold it. */
interface Stream {
  events: SecurityEventSeen[];
  /** `extensions.streamEnd` of the last result, when the server said why it ended the stream. */
  endReason: () => string | undefined;
  /** performance.now() when the server completed the stream. */
  completed: Promise<number>;
  error: Promise<unknown>;
  /** `extensions.code` of each GraphQL error the stream carried. */
  errorCodes: unknown[];
  close(): void;
}

const opened: Stream[] = [];
afterEach(() => {
  for (const stream of opened.splice(0)) stream.close();
});

function openStream(server: TestServer, client: TestClient, headers: Record<string, string> = {}) {
  const sse = createClient({
    url: server.graphqlUrl,
    retryAttempts: 0,
    headers: () => ({
      cookie: [...client.jar].map(([name, value]) => `${name}=${value}`).join('; '),
      'user-agent': client.userAgent,
      ...headers,
    }),
  });
  const events: SecurityEventSeen[] = [];
  const errorCodes: unknown[] = [];
  let endReason: string | undefined;
  let complete: (at: number) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const completed = new Promise<number>((resolve) => {
    complete = resolve;
  });
  const error = new Promise<unknown>((resolve) => {
    fail = resolve;
  });
  const dispose = sse.subscribe<{ sessionEvents: SecurityEventSeen }, { streamEnd?: string }>(
    { query: SESSION_EVENTS },
    {
      next: (result) => {
        if (result.data?.sessionEvents) events.push(result.data.sessionEvents);
        for (const e of result.errors ?? []) errorCodes.push(e.extensions?.code);
        if (result.extensions?.streamEnd) endReason = result.extensions.streamEnd;
      },
      complete: () => complete(performance.now()),
      error: (e) => fail(e),
    },
  );
  const stream: Stream = {
    events,
    endReason: () => endReason,
    completed,
    error,
    errorCodes,
    close: () => {
      dispose();
      sse.dispose();
    },
  };
  opened.push(stream);
  return stream;
}

const openStreams = (server: TestServer) => server.booted.app.services.streams.size;

/** Opens a stream and waits until the server holds it. */
async function subscribed(server: TestServer, client: TestClient) {
  const before = openStreams(server);
  const stream = openStream(server, client);
  await until(() => openStreams(server) > before);
  return stream;
}

const kinds = (stream: Stream) => stream.events.map((event) => event.kind);

describe('sessionEvents on one instance', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      listen: true,
      env: { ...QUIET, STREAMS_PER_SESSION: '2', STREAMS_PER_USER: '3' },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("delivers the viewer's own events as they commit, and never another user's", async () => {
    const ada = new TestClient(server);
    const { account } = await signUp(ada);
    const bob = new TestClient(server);
    const bobSignUp = await signUp(bob);
    const adaStream = await subscribed(server, ada);
    const bobStream = await subscribed(server, bob);

    const adaElsewhere = new TestClient(
      server,
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    );
    const signedIn = await signIn(adaElsewhere, { name: account.name, password: account.password });
    const adaSessionId = signedIn.data?.signIn.session.id;
    await until(() => adaStream.events.length === 1);
    expect(adaStream.events[0]).toMatchObject({
      kind: 'SIGN_IN',
      sessionId: adaSessionId,
      deviceName: 'Chrome 131 on macOS',
    });

    await signIn(new TestClient(server), {
      name: bobSignUp.account.name,
      password: bobSignUp.account.password,
    });
    await until(() => bobStream.events.length === 1);
    expect(kinds(bobStream)).toEqual(['SIGN_IN']);
    expect(kinds(adaStream)).toEqual(['SIGN_IN']);
  });

  it('a signed-out request gets UNAUTHENTICATED and no stream', async () => {
    const stream = openStream(server, new TestClient(server));
    await stream.completed;
    expect(stream.errorCodes).toEqual(['UNAUTHENTICATED']);
    expect(stream.events).toEqual([]);
    expect(openStreams(server)).toBe(0);
  });

  it('logout elsewhere with the same session completes the stream, saying the session ended', async () => {
    const ada = new TestClient(server);
    await signUp(ada);
    const stream = await subscribed(server, ada);
    await ada.clone().request(LOGOUT);
    const loggedOutAt = performance.now();
    expect((await stream.completed) - loggedOutAt).toBeLessThan(100);
    expect(stream.endReason()).toBe('SESSION_ENDED');
  });

  it('revoking the session from another device completes its stream within 100 ms', async () => {
    const ada = new TestClient(server);
    const { account, session } = await signUp(ada);
    const stream = await subscribed(server, ada);
    const other = new TestClient(server);
    await signIn(other, { name: account.name, password: account.password });
    const revoked = await other.request(REVOKE_SESSION, { id: session.id });
    const respondedAt = performance.now();
    expect(revoked.data).toEqual({ revokeSession: true });
    expect((await stream.completed) - respondedAt).toBeLessThan(100);
    expect(stream.endReason()).toBe('SESSION_ENDED');
  });

  it('a subscription over GET answers 405 and opens nothing', async () => {
    const ada = new TestClient(server);
    await signUp(ada);
    const url = new URL(server.graphqlUrl);
    url.searchParams.set('query', SESSION_EVENTS);
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', cookie: `sessionId=${ada.sessionValue}` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    await response.body?.cancel();
    expect(openStreams(server)).toBe(0);
  });

  it.each([['*/*'], ['application/json'], ['application/graphql-response+json, application/json']])(
    'a subscription asked for as %s answers 406 at once and opens nothing',
    async (accept) => {
      const ada = new TestClient(server);
      await signUp(ada);
      const response = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: {
          accept,
          'content-type': 'application/json',
          cookie: `sessionId=${ada.sessionValue}`,
        },
        body: JSON.stringify({ query: SESSION_EVENTS }),
        signal: AbortSignal.timeout(5_000),
      });
      expect(response.status).toBe(406);
      await response.body?.cancel();
      expect(openStreams(server)).toBe(0);
    },
  );

  it('a subscription from a foreign Origin is refused with 403', async () => {
    const ada = new TestClient(server);
    await signUp(ada);
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        origin: 'https://evil.example',
        cookie: `sessionId=${ada.sessionValue}`,
      },
      body: JSON.stringify({ query: SESSION_EVENTS }),
    });
    expect(response.status).toBe(403);
    await response.body?.cancel();
    expect(openStreams(server)).toBe(0);
  });

  it('past the per-session cap the oldest stream of the session ends', async () => {
    const ada = new TestClient(server);
    await signUp(ada);
    const first = await subscribed(server, ada);
    const second = await subscribed(server, ada);
    // The third pushes the first out as it registers: the count never rises above two.
    openStream(server, ada);
    await first.completed;
    expect(first.endReason()).toBe('DISPLACED');
    expect(openStreams(server)).toBe(2);
    second.close();
  });

  it("past the per-user cap the oldest of the user's streams ends, whatever its session", async () => {
    const ada = new TestClient(server);
    const { account } = await signUp(ada);
    const other = new TestClient(server);
    await signIn(other, { name: account.name, password: account.password });
    const first = await subscribed(server, ada);
    await subscribed(server, other);
    await subscribed(server, ada);
    openStream(server, other);
    await first.completed;
    expect(first.endReason()).toBe('DISPLACED');
    expect(openStreams(server)).toBe(3);
  });
});

describe('streams and the clock', () => {
  const clock = new TestClock();
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      listen: true,
      now: clock.now,
      schedule: clock.schedule,
      env: { ...QUIET, SESSION_IDLE_TTL: '1d', SESSION_TOUCH_INTERVAL: '1m' },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('an open stream never slides its session; the stream ends at the expiry, by a timer at expiresAt', async () => {
    const ada = new TestClient(server);
    const { session } = await signUp(ada);
    // Past half the lifetime: any ordinary request would slide the expiry now.
    clock.advance(13 * HOUR);
    const stream = await subscribed(server, ada);
    await server.flushTouches();
    const row = await server.booted.db.prisma.session.findUniqueOrThrow({
      where: { id: session.id },
    });
    expect(row.expiresAt.toISOString()).toBe(session.expiresAt);
    expect(row.lastSeenAt.toISOString()).toBe(session.lastSeenAt);

    clock.advance(11 * HOUR + 1);
    const expiredAt = performance.now();
    expect((await stream.completed) - expiredAt).toBeLessThan(100);
    expect(stream.endReason()).toBe('SESSION_ENDED');
  });

  it('a session slid by use keeps its stream open past the old expiry', async () => {
    const ada = new TestClient(server);
    const { session } = await signUp(ada);
    const stream = await subscribed(server, ada);
    clock.advance(13 * HOUR);
    // Activity elsewhere with the same cookie slides the expiry a day from now.
    await ada.request('{ me { id } }');
    await server.flushTouches();
    clock.advance(11 * HOUR + 1);
    const row = await server.booted.db.prisma.session.findUniqueOrThrow({
      where: { id: session.id },
    });
    expect(row.expiresAt.getTime()).toBeGreaterThan(clock.now().getTime());
    // The old expiry's timer found the session slid and armed one at the new expiry, leaving the stream open.
    await until(() => clock.pendingTimers().includes(row.expiresAt.getTime()));
    expect(openStreams(server)).toBe(1);
    clock.advance(DAY);
    await stream.completed;
    expect(stream.endReason()).toBe('SESSION_ENDED');
  });
});

describe('MAX_SESSIONS_PER_USER', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ listen: true, env: { ...QUIET, MAX_SESSIONS_PER_USER: '2' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('parallel sign-ins leave exactly the limit, ending the least recently seen with an event each, and their streams', async () => {
    const ada = new TestClient(server);
    const { account, user, session: first } = await signUp(ada);
    const stream = await subscribed(server, ada);
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        signIn(new TestClient(server), { name: account.name, password: account.password }),
      ),
    );
    expect(results.map((r) => r.errors)).toEqual(Array(6).fill(undefined));
    const prisma = server.booted.db.prisma;
    const live = await prisma.session.findMany({ where: { userId: user.id } });
    expect(live).toHaveLength(2);
    expect(live.map((s) => s.id)).not.toContain(first.id);
    const revoked = await prisma.securityEvent.count({
      where: { userId: user.id, kind: 'SESSION_REVOKED' },
    });
    expect(revoked).toBe(5);
    await stream.completed;
    expect(stream.endReason()).toBe('SESSION_ENDED');
    expect(kinds(stream)[0]).toBe('SIGN_IN');
  });
});

describe.runIf(testDatabaseKind === 'postgres')('sessionEvents across two instances', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  const trusted = (server: TestServer) => server.booted.app.services.sessions.cache.isTrusted;
  const on = (server: TestServer, client: TestClient) => {
    const copy = new TestClient(server, client.userAgent);
    for (const [k, v] of client.jar) copy.jar.set(k, v);
    return copy;
  };
  const startOn = (options: StartOptions) =>
    startServer({ database, listen: true, env: QUIET, ...options });

  beforeAll(async () => {
    database = await createTestDatabase();
    // A reconnects its LISTEN connection only after 2 s, so a test can commit while it is down.
    a = await startOn({ listenerRetryMs: 2_000 });
    b = await startOn({});
    await until(() => trusted(a) && trusted(b));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('an event committed on B reaches the stream on A', async () => {
    const onA = new TestClient(a);
    const { account } = await signUp(onA);
    const stream = await subscribed(a, onA);
    const signedIn = await signIn(new TestClient(b), {
      name: account.name,
      password: account.password,
    });
    await until(() => stream.events.length === 1);
    expect(stream.events[0]).toMatchObject({
      kind: 'SIGN_IN',
      sessionId: signedIn.data?.signIn.session.id,
    });
  });

  it('a role changed by `npm run admin` beside the servers reaches the stream on A', async () => {
    const onA = new TestClient(a);
    const { account } = await signUp(onA);
    const stream = await subscribed(a, onA);
    const run = await runAdmin({ DATABASE_URL: database.url }, 'grant', account.email);
    expect(run.code, run.stderr).toBe(0);
    await until(() => stream.events.length === 1, 10_000);
    expect(kinds(stream)).toEqual(['ROLE_CHANGED']);
  });

  it('events recorded together on B (one per session revokeOtherSessions ends) all reach the stream on A', async () => {
    const onA = new TestClient(a);
    const { account } = await signUp(onA);
    const others = [];
    for (let i = 0; i < 3; i++) {
      const signedIn = await signIn(new TestClient(b), {
        name: account.name,
        password: account.password,
      });
      others.push(signedIn.data?.signIn.session.id);
    }
    const stream = await subscribed(a, onA);
    const revoked = await on(b, onA).request(REVOKE_OTHER_SESSIONS);
    expect(revoked.data).toEqual({ revokeOtherSessions: 3 });
    await until(() => stream.events.length === 3);
    expect(kinds(stream)).toEqual(['SESSION_REVOKED', 'SESSION_REVOKED', 'SESSION_REVOKED']);
    expect(new Set(stream.events.map((event) => event.sessionId))).toEqual(new Set(others));
  });

  it('revoking on B completes the stream on A within 100 ms of the mutation’s response', async () => {
    const onA = new TestClient(a);
    const { account, session } = await signUp(onA);
    const stream = await subscribed(a, onA);
    const onB = new TestClient(b);
    await signIn(onB, { name: account.name, password: account.password });
    const revoked = await onB.request(REVOKE_SESSION, { id: session.id });
    const respondedAt = performance.now();
    expect(revoked.data).toEqual({ revokeSession: true });
    expect((await stream.completed) - respondedAt).toBeLessThan(100);
    expect(stream.endReason()).toBe('SESSION_ENDED');
  });

  it('a logout on B of the same session completes the stream on A', async () => {
    const onA = new TestClient(a);
    await signUp(onA);
    const stream = await subscribed(a, onA);
    await on(b, onA).request(LOGOUT);
    const respondedAt = performance.now();
    expect((await stream.completed) - respondedAt).toBeLessThan(100);
  });

  it('an announcement heard late, of an event recorded before the stream opened, is not delivered', async () => {
    const onA = new TestClient(a);
    const { account } = await signUp(onA);
    const stream = await subscribed(a, onA);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ id: string; userId: string }>(
        `SELECT e.id::text AS id, e.user_id::text AS "userId" FROM security_events e
           JOIN users u ON u.id = e.user_id WHERE u.name = $1`,
        [account.name],
      );
      expect(rows).toHaveLength(1);
      const [signedUp] = rows;
      // The arrangement: the sign-up's announcement once more, now that the stream is open, as a listener
      // busy under load hears one late.
      await admin.query('SELECT pg_notify($1, $2)', [
        EVENTS_CHANNEL,
        JSON.stringify({ i: signedUp?.id, u: signedUp?.userId }),
      ]);
    } finally {
      await admin.end();
    }
    // A sign-in after the stream opened: announced after the late one, so heard after it.
    const { data } = await signIn(new TestClient(b), {
      name: account.name,
      password: account.password,
    });
    const sessionId = data?.signIn.session.id;
    await until(() => stream.events.some((event) => event.sessionId === sessionId));
    expect(stream.events.map((event) => event.sessionId)).toEqual([sessionId]);
  });

  it('a stream on A survives a LISTEN reconnect and gets the event committed while A was not listening', async () => {
    const onA = new TestClient(a);
    const { account } = await signUp(onA);
    const keep = new TestClient(b);
    await signIn(keep, { name: account.name, password: account.password });
    const doomed = new TestClient(b);
    const { data } = await signIn(doomed, { name: account.name, password: account.password });
    const stream = await subscribed(a, onA);

    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [LISTENER_APPLICATION_NAME],
      );
    } finally {
      await admin.end();
    }
    await until(() => !trusted(a));
    await until(() => trusted(b));
    const revoked = await keep.request(REVOKE_SESSION, { id: data?.signIn.session.id ?? '' });
    expect(revoked.data).toEqual({ revokeSession: true });
    // The arrangement: the event committed while A was deaf.
    expect(trusted(a)).toBe(false);

    await until(() => stream.events.length === 1, 10_000);
    expect(kinds(stream)).toEqual(['SESSION_REVOKED']);
    expect(openStreams(a)).toBe(1);
  });
});
