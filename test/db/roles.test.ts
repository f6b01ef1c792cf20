import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { runAdmin, type ScriptRun } from '../support/admin-script.js';
import { errorCode, TestClient } from '../support/client.js';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../support/database.js';
import { newAccount, signIn, signUp, UNLIMITED } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

/**
 * Roles (API.md part two, "Roles" and "Changes to part one"): `users` is for admins unless
 * USERS_QUERY_ACCESS=signed-in, another user's `role` is for admins only, and `npm run admin` grants
 * and revokes the role on the configured database, reaching sessions cached on every instance.
 */

const USERS = graphql(`
  query UsersDirectory {
    users {
      totalCount
      edges {
        node {
          ...UserFields
        }
      }
    }
  }
`);
const USERS_WITH_ROLES = graphql(`
  query UsersWithRoles {
    users {
      edges {
        node {
          id
          role
        }
      }
    }
  }
`);
const ME_ROLE = graphql(`
  query MeRole {
    me {
      id
      role
    }
  }
`);

const roleOf = async (client: TestClient) => (await client.request(ME_ROLE)).data?.me?.role;

/** The same cookie presented to another server (another instance, or the same one restarted). */
const on = (server: TestServer, client: TestClient) => {
  const copy = new TestClient(server);
  for (const [name, value] of client.jar) copy.jar.set(name, value);
  return copy;
};

/** Makes the account an admin in the database and signs it in afresh (a new session reads the row). */
async function signedInAdmin(server: TestServer) {
  const { account, user } = await signUp(new TestClient(server));
  await server.booted.db.prisma.user.update({ where: { id: user.id }, data: { role: 'ADMIN' } });
  const admin = new TestClient(server);
  expect(
    (await signIn(admin, { name: account.name, password: account.password })).errors,
  ).toBeUndefined();
  return { admin, user };
}

describe('users is for admins by default', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: UNLIMITED });
  });
  afterAll(() => server.close());

  it('after logout earlier in the same document, a later signed-in-only field answers UNAUTHENTICATED', async () => {
    const client = new TestClient(server);
    await signUp(client);
    // Scope results are cached per request: logout must drop them, or the later field would run as
    // the signed-out viewer (a masked error today, stale authorisation for admin fields tomorrow).
    const response = await client.request(
      graphql(`
        mutation LogoutThenRevokeOthers {
          logout
          revokeOtherSessions
        }
      `),
    );
    expect(response.data).toBeNull();
    expect(errorCode(response)).toBe('UNAUTHENTICATED');
  });

  it('a signed-in user without the ADMIN role gets FORBIDDEN from users, and no data', async () => {
    const client = new TestClient(server);
    await signUp(client);
    const response = await client.request(USERS);
    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(response.data).toBeNull();
  });

  it('signed out, users still answers UNAUTHENTICATED', async () => {
    expect(errorCode(await new TestClient(server).request(USERS))).toBe('UNAUTHENTICATED');
  });

  it("an admin gets the list, every user's role included", async () => {
    const { user: someone } = await signUp(new TestClient(server));
    const { admin, user } = await signedInAdmin(server);
    const response = await admin.request(USERS_WITH_ROLES);
    expect(response.errors).toBeUndefined();
    const nodes = response.data?.users.edges.map((edge) => edge.node) ?? [];
    expect(nodes).toContainEqual({ id: someone.id, role: 'USER' });
    expect(nodes).toContainEqual({ id: user.id, role: 'ADMIN' });
  });

  it("me { role } answers the viewer's own role: USER after sign-up, ADMIN for an admin", async () => {
    const client = new TestClient(server);
    const signedUp = await client.request(
      'mutation ($input: SignUpInput!) { signUp(input: $input) { user { role } } }',
      {
        input: newAccount(),
      },
    );
    expect(signedUp.data).toEqual({ signUp: { user: { role: 'USER' } } });
    expect(await roleOf(client)).toBe('USER');
    const { admin } = await signedInAdmin(server);
    expect(await roleOf(admin)).toBe('ADMIN');
  });
});

describe('USERS_QUERY_ACCESS=signed-in opens the directory of part one fields', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { ...UNLIMITED, USERS_QUERY_ACCESS: 'signed-in' } });
  });
  afterAll(() => server.close());

  it('every signed-in user gets users with part one fields', async () => {
    const client = new TestClient(server);
    const { user } = await signUp(client);
    await signUp(new TestClient(server));
    const response = await client.request(USERS);
    expect(response.errors).toBeUndefined();
    expect(response.data?.users.totalCount).toBeGreaterThanOrEqual(2);
    expect(response.data?.users.edges.map((edge) => edge.node.id)).toContain(user.id);
  });

  it("another user's role answers FORBIDDEN to a non-admin", async () => {
    const client = new TestClient(server);
    await signUp(client);
    await signUp(new TestClient(server));
    const response = await client.request(USERS_WITH_ROLES);
    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(response.errors?.[0]?.path?.at(-1)).toBe('role');
  });

  it("an admin reads every user's role", async () => {
    const { user: someone } = await signUp(new TestClient(server));
    const { admin } = await signedInAdmin(server);
    const response = await admin.request(USERS_WITH_ROLES);
    expect(response.errors).toBeUndefined();
    expect(response.data?.users.edges.map((edge) => edge.node)).toContainEqual({
      id: someone.id,
      role: 'USER',
    });
  });

  it('signed out, users still answers UNAUTHENTICATED', async () => {
    expect(errorCode(await new TestClient(server).request(USERS))).toBe('UNAUTHENTICATED');
  });
});

// ---- npm run admin -------------------------------------------------------------------------------

/**
 * A server and the admin script beside it, as an operator runs them: on PostgreSQL while the server
 * runs; on the embedded database in the server's DATA_DIR while no server does (stopped, then started
 * again on the same data, so sessions survive).
 */
async function deploy() {
  const dataDir = mkdtempSync(join(tmpdir(), 'sg-roles-'));
  const database: TestDatabase =
    testDatabaseKind === 'postgres'
      ? await createTestDatabase()
      : { url: '', drop: async () => {} };
  const start = () => startServer({ database, env: { ...UNLIMITED, DATA_DIR: dataDir } });
  const embedded = testDatabaseKind === 'pglite';
  let server = await start();
  return {
    dataDir,
    get server() {
      return server;
    },
    async admin(...args: string[]): Promise<ScriptRun> {
      if (embedded) await server.close();
      try {
        return await runAdmin({ DATA_DIR: dataDir, DATABASE_URL: database.url }, ...args);
      } finally {
        if (embedded) server = await start();
      }
    },
    async close() {
      await server.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('npm run admin -- grant|revoke <email>', () => {
  let deployment: Awaited<ReturnType<typeof deploy>>;
  beforeAll(async () => {
    deployment = await deploy();
  });
  afterAll(() => deployment.close());

  /** The user's session, at wherever the server now listens. */
  const as = (client: TestClient) => on(deployment.server, client);

  it('grant makes a signed-in user an admin (e-mail in any case) and revoke a user again, for the session they hold', async () => {
    const client = new TestClient(deployment.server);
    const { account } = await signUp(client);
    expect(errorCode(await as(client).request(USERS))).toBe('FORBIDDEN');

    const granted = await deployment.admin('grant', account.email.toUpperCase());
    expect(granted).toMatchObject({ code: 0, stderr: '' });
    expect(granted.stdout.trim().split('\n')).toEqual([`${account.email}: role ADMIN (was USER)`]);
    await until(async () => (await roleOf(as(client))) === 'ADMIN', 2_000);
    expect((await as(client).request(USERS)).errors).toBeUndefined();

    const revoked = await deployment.admin('revoke', account.email);
    expect(revoked).toMatchObject({ code: 0, stderr: '' });
    expect(revoked.stdout.trim().split('\n')).toEqual([`${account.email}: role USER (was ADMIN)`]);
    await until(async () => (await roleOf(as(client))) === 'USER', 2_000);
    expect(errorCode(await as(client).request(USERS))).toBe('FORBIDDEN');
  });

  it('an unknown e-mail exits non-zero with one line and changes nothing', async () => {
    const { account } = await signUp(new TestClient(deployment.server));
    const roles = () =>
      deployment.server.booted.db.prisma.user.findMany({
        select: { id: true, role: true },
        orderBy: { id: 'asc' },
      });
    const before = await roles();
    const run = await deployment.admin('grant', `not-${account.email}`);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/no user with the e-mail address not-/);
    expect(await roles()).toEqual(before);
  });

  it.skipIf(testDatabaseKind !== 'pglite')(
    'on the embedded database, refuses with one line while a server holds it, and changes nothing (PGlite only: PostgreSQL is shared by design)',
    async () => {
      const { account, user } = await signUp(new TestClient(deployment.server));
      const run = await runAdmin({ DATA_DIR: deployment.dataDir }, 'grant', account.email);
      expect(run.code).not.toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/in use by another process/);
      const row = await deployment.server.booted.db.prisma.user.findUniqueOrThrow({
        where: { id: user.id },
      });
      expect(row.role).toBe('USER');
    },
  );

  it('bad usage exits non-zero with the usage line, before touching any database', async () => {
    const usages = [
      [],
      ['grant'],
      ['promote', 'ada@example.test'],
      ['grant', 'a@example.test', 'b@example.test'],
    ];
    const runs = await Promise.all(
      usages.map((args) =>
        runAdmin({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, ...args),
      ),
    );
    for (const [i, run] of runs.entries()) {
      expect(run.code, usages[i]?.join(' ')).not.toBe(0);
      expect(run.stderr.trim(), usages[i]?.join(' ')).toBe(
        'usage: npm run admin -- grant|revoke <email>',
      );
    }
  });
});

describe('a role change on several instances', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it.skipIf(testDatabaseKind !== 'postgres')(
    'grant reaches a session cached on two instances: both answer ADMIN and serve users within 100 ms (PostgreSQL only: PGlite serves one process)',
    async () => {
      const database = await createTestDatabase();
      cleanup.push(() => database.drop());
      const env = { ...UNLIMITED, MAIL_POLL_INTERVAL: '1h' };
      const a = await startServer({ database, env });
      cleanup.push(() => a.close());
      const b = await startServer({ database, env });
      cleanup.push(() => b.close());
      const trusted = (server: TestServer) => server.booted.app.services.sessions.cache.isTrusted;
      await until(() => trusted(a) && trusted(b));

      const client = new TestClient(a);
      const { account } = await signUp(client);
      const onA = on(a, client);
      const onB = on(b, client);
      // A request on each caches the session with its user row; the next one costs no SQL.
      expect(await roleOf(onA)).toBe('USER');
      expect(await roleOf(onB)).toBe('USER');
      a.resetQueryLog();
      b.resetQueryLog();
      expect(errorCode(await onA.request(USERS))).toBe('FORBIDDEN');
      expect(errorCode(await onB.request(USERS))).toBe('FORBIDDEN');
      expect([...a.queries, ...b.queries]).toEqual([]);

      const granted = await runAdmin({ DATABASE_URL: database.url }, 'grant', account.email);
      expect(granted.code).toBe(0);
      // Measured to when the first good poll was sent, not answered: on a loaded machine the answers
      // themselves may take longer than 100 ms, which says nothing about how fast the change spread.
      const committed = performance.now();
      let sentAt = committed;
      await until(
        async () => {
          sentAt = performance.now();
          const answers = await Promise.all([
            roleOf(onA),
            roleOf(onB),
            onA.request(USERS).then((response) => response.errors === undefined),
            onB.request(USERS).then((response) => response.errors === undefined),
          ]);
          return answers.every((answer) => answer === 'ADMIN' || answer === true);
        },
        2_000,
        5,
      );
      expect(sentAt - committed).toBeLessThan(100);
    },
  );
});
