import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { runAdmin } from '../support/admin-script.js';
import { errorCode, TestClient } from '../support/client.js';
import { HOUR, MINUTE, SECOND, TestClock } from '../support/clock.js';
import { createTestDatabase, testDatabaseKind } from '../support/database.js';
import { type Account, signIn, signUp, UNLIMITED } from '../support/flows.js';
import { GatedHasher } from '../support/gated-hasher.js';
import { mailEnv, RESET_PASSWORD, requestCode } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { TestSmtp } from '../support/smtp.js';
import { until } from '../support/wait.js';

/**
 * Admins (API.md part two, "Roles"): user(id), userSessions, disableUser, enableUser,
 * revokeUserSessions, each admin mutation behind recent authentication, and every admin action a
 * security event of the affected user.
 */

const USER = graphql(`
  query AdminUser($id: ID!) {
    user(id: $id) { id name role emailVerified disabled disabledUntil }
  }
`);
const USER_SESSIONS = graphql(`
  query AdminUserSessions($userId: ID!) {
    userSessions(userId: $userId) { id current user { id } }
  }
`);
const DISABLE = graphql(`
  mutation AdminDisableUser($input: DisableUserInput!) {
    disableUser(input: $input) { id disabled disabledUntil }
  }
`);
const ENABLE = graphql(`
  mutation AdminEnableUser($userId: ID!) {
    enableUser(userId: $userId) { id disabled disabledUntil }
  }
`);
const REVOKE_ALL = graphql(`
  mutation AdminRevokeUserSessions($userId: ID!) { revokeUserSessions(userId: $userId) }
`);
const REAUTHENTICATE = graphql(`
  mutation AdminReauthenticate($input: ReauthenticateInput!) {
    reauthenticate(input: $input) { id authenticatedAt }
  }
`);
const WHO = graphql(`
  query AdminWho { me { id role } }
`);
const LOG = graphql(`
  query AdminAffectedLog {
    securityEvents(first: 100) { edges { node { kind ip userAgent sessionId } } }
  }
`);

const meOf = async (client: TestClient) => (await client.request(WHO)).data?.me ?? null;

/** A fresh account made admin in the database, signed in afresh so its session reads the role. */
async function signedInAdmin(server: TestServer) {
  const { account, user } = await signUp(new TestClient(server));
  await server.booted.db.prisma.user.update({ where: { id: user.id }, data: { role: 'ADMIN' } });
  const admin = new TestClient(server, 'admin-browser');
  expect((await signInAs(admin, account)).errors).toBeUndefined();
  return { admin, user, account };
}

/** The same cookie presented to another instance (what a load balancer does between requests). */
const on = (server: TestServer, client: TestClient) => {
  const copy = new TestClient(server, client.userAgent);
  for (const [name, value] of client.jar) copy.jar.set(name, value);
  return copy;
};

const signInAs = (client: TestClient, account: Account) =>
  signIn(client, { email: account.email, password: account.password });

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await TestSmtp.start();
});
afterAll(() => smtp?.stop());

describe('admin queries', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: UNLIMITED });
  });
  afterAll(() => server.close());

  it("user(id) answers any user to an admin, the viewer's own to anyone, and FORBIDDEN for someone else's", async () => {
    const { admin } = await signedInAdmin(server);
    const someone = new TestClient(server);
    const { user } = await signUp(someone);
    const { user: other } = await signUp(new TestClient(server));

    const byAdmin = await admin.request(USER, { id: user.id });
    expect(byAdmin.errors).toBeUndefined();
    expect(byAdmin.data?.user).toMatchObject({ id: user.id, role: 'USER', disabled: false });
    expect((await someone.request(USER, { id: user.id })).data?.user?.id).toBe(user.id);
    const refused = await someone.request(USER, { id: other.id });
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.data).toEqual({ user: null });
    expect(errorCode(await new TestClient(server).request(USER, { id: user.id }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('user(id) of an unknown or malformed id is null for an admin', async () => {
    const { admin } = await signedInAdmin(server);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const response = await admin.request(USER, { id });
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ user: null });
    }
  });

  it("userSessions lists a user's live sessions to an admin, FORBIDDEN to anyone else", async () => {
    const { admin } = await signedInAdmin(server);
    const someone = new TestClient(server);
    const { account, user, session } = await signUp(someone);
    const second = (await signInAs(new TestClient(server), account)).data?.signIn.session;
    const listed = await admin.request(USER_SESSIONS, { userId: user.id });
    expect(listed.errors).toBeUndefined();
    expect(listed.data?.userSessions.map((s) => s.id).sort()).toEqual(
      [session.id, second?.id].sort(),
    );
    expect(listed.data?.userSessions.every((s) => !s.current && s.user.id === user.id)).toBe(true);
    expect(errorCode(await someone.request(USER_SESSIONS, { userId: user.id }))).toBe('FORBIDDEN');
    expect(errorCode(await admin.request(USER_SESSIONS, { userId: 'nope' }))).toBe(
      'BAD_USER_INPUT',
    );
  });
});

describe("another user's private fields", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { ...UNLIMITED, USERS_QUERY_ACCESS: 'signed-in' } });
  });
  afterAll(() => server.close());

  for (const field of ['role', 'emailVerified', 'disabled', 'disabledUntil']) {
    it(`${field} of another user answers FORBIDDEN to a non-admin, and its value to an admin`, async () => {
      const { user: other } = await signUp(new TestClient(server));
      const reader = new TestClient(server);
      const { user: self } = await signUp(reader);
      const document = `{ users(first: 100) { edges { node { id ${field} } } } }`;
      const refused = await reader.request(document);
      expect(errorCode(refused)).toBe('FORBIDDEN');
      expect(refused.errors?.[0]?.path?.at(-1)).toBe(field);
      // Their own is theirs to read.
      const own = await reader.request(`{ me { id ${field} } }`);
      expect(own.errors).toBeUndefined();
      const { admin } = await signedInAdmin(server);
      const allowed = await admin.request<{
        users: { edges: { node: Record<string, unknown> }[] };
      }>(document);
      expect(allowed.errors).toBeUndefined();
      const ids = allowed.data?.users.edges.map((edge) => edge.node.id);
      expect(ids).toEqual(expect.arrayContaining([other.id, self.id]));
    });
  }
});

describe('disableUser, enableUser and revokeUserSessions', () => {
  const clock = new TestClock();
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      env: { ...UNLIMITED, ...mailEnv(smtp) },
      now: clock.now,
    });
  });
  afterAll(() => server.close());
  const prisma = () => server.booted.db.prisma;

  it("disableUser ends the user's sessions; sign-in then answers ACCOUNT_DISABLED only to the right password", async () => {
    const { admin, user: adminUser } = await signedInAdmin(server);
    const target = new TestClient(server);
    const { account, user } = await signUp(target);
    expect(await meOf(target)).not.toBeNull();

    const disabled = await admin.request(DISABLE, {
      input: { userId: user.id, reason: 'spam from this account' },
    });
    expect(disabled.errors).toBeUndefined();
    expect(disabled.data?.disableUser).toEqual({
      id: user.id,
      disabled: true,
      disabledUntil: null,
    });
    expect(await meOf(target)).toBeNull();
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(0);

    const right = await signInAs(new TestClient(server), account);
    expect(errorCode(right)).toBe('ACCOUNT_DISABLED');
    expect(right.errors?.[0]?.extensions).not.toHaveProperty('until');
    expect(right.setCookies.find((c) => c.name === 'sessionId')).toBeUndefined();
    const wrong = await signIn(new TestClient(server), {
      email: account.email,
      password: 'not-the-password',
    });
    expect(errorCode(wrong)).toBe('INVALID_CREDENTIALS');

    const [event] = await prisma().securityEvent.findMany({
      where: { userId: user.id, kind: 'ACCOUNT_DISABLED' },
    });
    expect(event).toMatchObject({
      actorId: adminUser.id,
      ip: null,
      userAgent: null,
      reason: 'spam from this account',
    });
  });

  it('a disabling with an end answers extensions.until, and lifts itself when that time passes', async () => {
    const { admin } = await signedInAdmin(server);
    const { account, user } = await signUp(new TestClient(server));
    const end = new Date(clock.now().getTime() + HOUR);
    const disabled = await admin.request(DISABLE, {
      input: { userId: user.id, until: end.toISOString() },
    });
    expect(disabled.data?.disableUser).toEqual({
      id: user.id,
      disabled: true,
      disabledUntil: end.toISOString(),
    });
    const refused = await signInAs(new TestClient(server), account);
    expect(errorCode(refused)).toBe('ACCOUNT_DISABLED');
    expect(refused.errors?.[0]?.extensions?.until).toBe(end.toISOString());

    clock.advance(HOUR + SECOND);
    const client = new TestClient(server);
    expect((await signInAs(client, account)).errors).toBeUndefined();
    expect((await client.request(USER, { id: user.id })).data?.user).toMatchObject({
      disabled: false,
      disabledUntil: null,
    });
  });

  it('enableUser lets the user sign in again and is logged as ACCOUNT_ENABLED with the admin as actor', async () => {
    const { admin, user: adminUser } = await signedInAdmin(server);
    const target = new TestClient(server);
    const { account, user } = await signUp(target);
    clock.advance(SECOND);
    await admin.request(DISABLE, { input: { userId: user.id } });
    clock.advance(SECOND);
    const enabled = await admin.request(ENABLE, { userId: user.id });
    expect(enabled.data?.enableUser).toEqual({ id: user.id, disabled: false, disabledUntil: null });
    clock.advance(SECOND);
    expect((await signInAs(target, account)).errors).toBeUndefined();
    const kinds = (await target.request(LOG)).data?.securityEvents.edges.map((e) => e.node);
    expect(kinds?.slice(0, 3)).toEqual([
      expect.objectContaining({ kind: 'SIGN_IN' }),
      { kind: 'ACCOUNT_ENABLED', ip: null, userAgent: null, sessionId: null },
      { kind: 'ACCOUNT_DISABLED', ip: null, userAgent: null, sessionId: null },
    ]);
    const actors = await prisma().securityEvent.findMany({
      where: { userId: user.id, kind: { in: ['ACCOUNT_ENABLED', 'ACCOUNT_DISABLED'] } },
      select: { actorId: true },
    });
    expect(actors).toEqual([{ actorId: adminUser.id }, { actorId: adminUser.id }]);
  });

  it('a session the disabling left alive is treated as signed out, and its cookie cleared', async () => {
    const target = new TestClient(server);
    const { user } = await signUp(target);
    // As if some other path had left a session behind: the row says disabled, the session still exists.
    await prisma().user.update({ where: { id: user.id }, data: { disabledAt: clock.now() } });
    await server.booted.app.services.sessions.userChanged(user.id);
    const response = await target.request(WHO);
    expect(response.data?.me).toBeNull();
    expect(response.setCookies.find((c) => c.name === 'sessionId')?.maxAge).toBe(0);
  });

  it('a password reset of a disabled account answers ACCOUNT_DISABLED and changes nothing; the code stays usable', async () => {
    const { admin } = await signedInAdmin(server);
    const { account, user } = await signUp(new TestClient(server));
    await admin.request(DISABLE, { input: { userId: user.id } });
    const code = await requestCode(new TestClient(server), smtp, account.email);
    const before = await prisma().user.findUniqueOrThrow({ where: { id: user.id } });
    const reset = await new TestClient(server).request(RESET_PASSWORD, {
      input: { email: account.email, otp: code, newPassword: 'another horse battery' },
    });
    expect(errorCode(reset)).toBe('ACCOUNT_DISABLED');
    expect(await prisma().user.findUniqueOrThrow({ where: { id: user.id } })).toEqual(before);
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(0);
    await admin.request(ENABLE, { userId: user.id });
    const again = await new TestClient(server).request(RESET_PASSWORD, {
      input: { email: account.email, otp: code, newPassword: 'another horse battery' },
    });
    expect(again.errors).toBeUndefined();
  });

  it('no admin can disable themself or another admin (FORBIDDEN), and a non-admin cannot disable anyone', async () => {
    const { admin, user: self } = await signedInAdmin(server);
    const { user: otherAdmin } = await signedInAdmin(server);
    const someone = new TestClient(server);
    const { user } = await signUp(someone);
    const { user: victim } = await signUp(new TestClient(server));
    const events = () => prisma().securityEvent.count({ where: { kind: 'ACCOUNT_DISABLED' } });
    const before = await events();
    for (const userId of [self.id, otherAdmin.id]) {
      const response = await admin.request(DISABLE, { input: { userId } });
      expect(errorCode(response), userId).toBe('FORBIDDEN');
    }
    expect(errorCode(await someone.request(DISABLE, { input: { userId: victim.id } }))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await someone.request(ENABLE, { userId: user.id }))).toBe('FORBIDDEN');
    expect(errorCode(await someone.request(REVOKE_ALL, { userId: victim.id }))).toBe('FORBIDDEN');
    expect(
      errorCode(await new TestClient(server).request(DISABLE, { input: { userId: user.id } })),
    ).toBe('UNAUTHENTICATED');
    expect(await events()).toBe(before);
    const rows = await prisma().user.findMany({
      where: { id: { in: [self.id, otherAdmin.id, victim.id] } },
      select: { disabledAt: true },
    });
    expect(rows.every((row) => row.disabledAt === null)).toBe(true);
  });

  it('bad input gets BAD_USER_INPUT or NOT_FOUND and writes nothing', async () => {
    const { admin } = await signedInAdmin(server);
    const { user } = await signUp(new TestClient(server));
    const cases = [
      [{ userId: 'not-a-uuid' }, 'BAD_USER_INPUT', 'userId'],
      [
        { userId: user.id, until: new Date(clock.now().getTime() - MINUTE).toISOString() },
        'BAD_USER_INPUT',
        'until',
      ],
      [{ userId: user.id, reason: 'x'.repeat(501) }, 'BAD_USER_INPUT', 'reason'],
      [{ userId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', undefined],
    ] as const;
    for (const [input, code, field] of cases) {
      const response = await admin.request(DISABLE, { input });
      expect(errorCode(response), JSON.stringify(input)).toBe(code);
      expect(response.errors?.[0]?.extensions?.field).toBe(field);
    }
    expect(errorCode(await admin.request(ENABLE, { userId: 'nope' }))).toBe('BAD_USER_INPUT');
    expect(
      errorCode(
        await admin.request(REVOKE_ALL, { userId: '00000000-0000-4000-8000-000000000000' }),
      ),
    ).toBe('NOT_FOUND');
    const row = await prisma().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.disabledAt).toBeNull();
    expect(await prisma().securityEvent.count({ where: { userId: user.id } })).toBe(1);
  });

  it('every admin mutation answers REAUTHENTICATION_REQUIRED with extensions.methods outside the window, and works again after reauthenticate', async () => {
    const { admin, account } = await signedInAdmin(server);
    const { user } = await signUp(new TestClient(server));
    clock.advance(10 * MINUTE + SECOND);
    const attempts = [
      () => admin.request(DISABLE, { input: { userId: user.id } }),
      () => admin.request(ENABLE, { userId: user.id }),
      () => admin.request(REVOKE_ALL, { userId: user.id }),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      expect(errorCode(response)).toBe('REAUTHENTICATION_REQUIRED');
      expect(response.errors?.[0]?.extensions?.methods).toEqual(['PASSWORD']);
    }
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(1);
    expect(
      (await prisma().user.findUniqueOrThrow({ where: { id: user.id } })).disabledAt,
    ).toBeNull();

    expect(
      (await admin.request(REAUTHENTICATE, { input: { password: account.password } })).errors,
    ).toBeUndefined();
    expect((await admin.request(DISABLE, { input: { userId: user.id } })).errors).toBeUndefined();
  });

  it("revokeUserSessions ends every session of the user and logs one SESSION_REVOKED each, without the admin's address", async () => {
    const { admin, user: adminUser } = await signedInAdmin(server);
    const target = new TestClient(server);
    const { account, user, session } = await signUp(target);
    const other = new TestClient(server);
    const second = (await signInAs(other, account)).data?.signIn.session;
    clock.advance(SECOND);
    const response = await admin.request(REVOKE_ALL, { userId: user.id });
    expect(response.data).toEqual({ revokeUserSessions: 2 });
    expect(await meOf(target)).toBeNull();
    expect(await meOf(other)).toBeNull();
    const events = await prisma().securityEvent.findMany({
      where: { userId: user.id, kind: 'SESSION_REVOKED' },
      select: { sessionId: true, actorId: true, ip: true, userAgent: true },
    });
    expect(events.map((e) => e.sessionId).sort()).toEqual([session.id, second?.id].sort());
    expect(
      events.every((e) => e.actorId === adminUser.id && e.ip === null && e.userAgent === null),
    ).toBe(true);
    // The user may sign in again: revoking is not disabling.
    expect((await signInAs(target, account)).errors).toBeUndefined();
  });

  it('an admin revoking their own sessions is signed out, and their cookie cleared', async () => {
    // Two sessions: the sign-up's and the admin's own sign-in.
    const { admin, user } = await signedInAdmin(server);
    const response = await admin.request(REVOKE_ALL, { userId: user.id });
    expect(response.data).toEqual({ revokeUserSessions: 2 });
    expect(response.setCookies.find((c) => c.name === 'sessionId')?.maxAge).toBe(0);
    expect(await meOf(admin)).toBeNull();
  });
});

describe('npm run admin records ROLE_CHANGED', () => {
  it.skipIf(testDatabaseKind !== 'postgres')(
    "grant and revoke each log ROLE_CHANGED in the user's log; a grant that changes nothing logs nothing (PostgreSQL: the script runs beside the server)",
    async () => {
      const database = await createTestDatabase();
      const server = await startServer({ database, env: UNLIMITED });
      try {
        const client = new TestClient(server);
        const { account, user } = await signUp(client);
        const roleEvents = () =>
          server.booted.db.prisma.securityEvent.findMany({
            where: { userId: user.id, kind: 'ROLE_CHANGED' },
            select: { ip: true, actorId: true },
          });
        expect((await runAdmin({ DATABASE_URL: database.url }, 'grant', account.email)).code).toBe(
          0,
        );
        expect((await runAdmin({ DATABASE_URL: database.url }, 'grant', account.email)).code).toBe(
          0,
        );
        expect(await roleEvents()).toEqual([{ ip: null, actorId: null }]);
        expect((await runAdmin({ DATABASE_URL: database.url }, 'revoke', account.email)).code).toBe(
          0,
        );
        expect(await roleEvents()).toHaveLength(2);
        const kinds = (await client.request(LOG)).data?.securityEvents.edges.map(
          (e) => e.node.kind,
        );
        expect(kinds?.slice(0, 2)).toEqual(['ROLE_CHANGED', 'ROLE_CHANGED']);
      } finally {
        await server.close();
        await database.drop();
      }
    },
  );
});

describe.runIf(testDatabaseKind === 'postgres')('two instances on one PostgreSQL', () => {
  const cleanup: (() => Promise<void>)[] = [];
  let a: TestServer;
  let b: TestServer;
  let databaseUrl: string;
  beforeAll(async () => {
    const database = await createTestDatabase();
    databaseUrl = database.url;
    cleanup.push(() => database.drop());
    const env = { ...UNLIMITED, MAIL_POLL_INTERVAL: '1h' };
    a = await startServer({ database, env });
    cleanup.push(() => a.close());
    b = await startServer({ database, env });
    cleanup.push(() => b.close());
    const trusted = (server: TestServer) => server.booted.app.services.sessions.cache.isTrusted;
    await until(() => trusted(a) && trusted(b));
  });
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  /** Polls both copies until both are signed out; the time from `since` to the first good poll's send. */
  async function spread(clients: TestClient[], done: (me: unknown[]) => boolean, since: number) {
    let sentAt = since;
    await until(
      async () => {
        sentAt = performance.now();
        return done(await Promise.all(clients.map(meOf)));
      },
      2_000,
      5,
    );
    return sentAt - since;
  }

  it("disableUser on A ends the user's session cached on both instances within 100 ms of its answer", async () => {
    const { admin } = await signedInAdmin(a);
    const target = new TestClient(a);
    const { user } = await signUp(target);
    const onA = on(a, target);
    const onB = on(b, target);
    expect(await meOf(onA)).not.toBeNull();
    expect(await meOf(onB)).not.toBeNull();
    // Cached on both: the next requests cost no SQL.
    a.resetQueryLog();
    b.resetQueryLog();
    expect(await meOf(onA)).not.toBeNull();
    expect(await meOf(onB)).not.toBeNull();
    expect([...a.queries, ...b.queries]).toEqual([]);

    const response = await admin.request(DISABLE, { input: { userId: user.id } });
    const answered = performance.now();
    expect(response.errors).toBeUndefined();
    expect(await spread([onA, onB], (me) => me.every((m) => m === null), answered)).toBeLessThan(
      100,
    );
  });

  it('revokeUserSessions on B ends the session cached on A within 100 ms of its answer', async () => {
    const { admin } = await signedInAdmin(b);
    const target = new TestClient(a);
    const { user } = await signUp(target);
    expect(await meOf(target)).not.toBeNull();
    const response = await admin.request(REVOKE_ALL, { userId: user.id });
    const answered = performance.now();
    expect(response.data).toEqual({ revokeUserSessions: 1 });
    expect(await spread([target], (me) => me[0] === null, answered)).toBeLessThan(100);
  });

  it('npm run admin revoke reaches the admin session cached on both instances within 100 ms', async () => {
    const { admin, account } = await signedInAdmin(a);
    const onA = on(a, admin);
    const onB = on(b, admin);
    expect((await meOf(onA))?.role).toBe('ADMIN');
    expect((await meOf(onB))?.role).toBe('ADMIN');
    const run = await runAdmin({ DATABASE_URL: databaseUrl }, 'revoke', account.email);
    const committed = performance.now();
    expect(run.code).toBe(0);
    const elapsed = await spread(
      [onA, onB],
      (me) => me.every((m) => (m as { role?: string } | null)?.role === 'USER'),
      committed,
    );
    expect(elapsed).toBeLessThan(100);
    // A USER now: the admin fields refuse it on both instances.
    expect(errorCode(await onB.request(USER_SESSIONS, { userId: account.email }))).toBe(
      'FORBIDDEN',
    );
  });
});

describe('a sign-in racing disableUser', () => {
  const gate = new GatedHasher();
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ hasher: gate, env: UNLIMITED });
  });
  afterAll(async () => {
    gate.release();
    await server.close();
  });

  it('sign-ins whose password check began before disableUser answered all fail with ACCOUNT_DISABLED and leave no session', async () => {
    const { admin } = await signedInAdmin(server);
    const { account, user } = await signUp(new TestClient(server));
    const allHeld = gate.hold(3);
    const signIns = Array.from({ length: 3 }, () => signInAs(new TestClient(server), account));
    await allHeld;
    const disabled = await admin.request(DISABLE, { input: { userId: user.id } });
    expect(disabled.errors).toBeUndefined();
    gate.release();
    const answers = await Promise.all(signIns);
    expect(answers.map(errorCode)).toEqual([
      'ACCOUNT_DISABLED',
      'ACCOUNT_DISABLED',
      'ACCOUNT_DISABLED',
    ]);
    expect(await server.booted.db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });
});
