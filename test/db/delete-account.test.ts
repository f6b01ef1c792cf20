import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { graphql } from '../generated/index.js';
import { errorCode, TestClient } from '../support/client.js';
import { MINUTE, SECOND, TestClock } from '../support/clock.js';
import { createTestDatabase, testDatabaseKind } from '../support/database.js';
import { type Account, signIn, signUp, UNLIMITED } from '../support/flows.js';
import { GatedHasher } from '../support/gated-hasher.js';
import { forgetPassword, mailEnv } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { TestSmtp } from '../support/smtp.js';
import { until } from '../support/wait.js';

/**
 * deleteAccount (API.md part two, "Deleting an account"): recent authentication; the user and every row
 * of theirs go in one transaction, their rate-limit counters too; the cookie is cleared and every
 * session ends on every instance; one last notice goes to a verified address; the last admin stays.
 */

const DELETE_ACCOUNT = graphql(`
  mutation DeleteMyAccount { deleteAccount }
`);
const DELETION_REAUTH = graphql(`
  mutation DeletionReauthenticate($input: ReauthenticateInput!) {
    reauthenticate(input: $input) { id }
  }
`);
const DISABLE_FOR_DELETION = graphql(`
  mutation DisableBeforeDeletion($input: DisableUserInput!) { disableUser(input: $input) { id } }
`);
const ME_NOW = graphql(`
  query DeletionMe { me { id } }
`);

const DELETED_SUBJECT = /account was deleted/i;

const meOf = async (client: TestClient) => (await client.request(ME_NOW)).data?.me ?? null;
const signInAs = (client: TestClient, account: Pick<Account, 'email' | 'password'>) =>
  signIn(client, { email: account.email, password: account.password });

/**
 * Every row, in every table of the schema, whose JSON text mentions one of `needles` (the user's id,
 * name or address): what "no row of the user is left" means, whatever tables exist by then.
 */
async function rowsMentioning(
  prisma: PrismaClient,
  needles: string[],
): Promise<{ table: string; row: string }[]> {
  const tables = await prisma.$queryRaw<{ table_name: string }[]>`
    SELECT table_name::text AS table_name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
       AND table_name <> '_prisma_migrations'`;
  const found: { table: string; row: string }[] = [];
  for (const { table_name: table } of tables) {
    const rows = await prisma.$queryRawUnsafe<{ row: string }[]>(
      `SELECT row_to_json(t)::text AS row FROM "${table}" t`,
    );
    for (const { row } of rows)
      if (needles.some((needle) => row.toLowerCase().includes(needle.toLowerCase())))
        found.push({ table, row });
  }
  return found;
}

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await TestSmtp.start();
});
afterAll(() => smtp?.stop());

describe('deleteAccount', () => {
  const clock = new TestClock();
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({
      env: {
        ...UNLIMITED,
        ...mailEnv(smtp),
        // Small enough to reach in a test; the IP's stays out of the way.
        RATE_LIMIT_SIGNIN_ACCOUNT: '3',
      },
      now: clock.now,
    });
  });
  afterAll(() => server.close());
  const prisma = () => server.booted.db.prisma;

  /** A user with a verified address, made admin in the database, signed in afresh. */
  async function verifiedAdmin() {
    const { account, user } = await signUp(new TestClient(server));
    await prisma().user.update({
      where: { id: user.id },
      data: { role: 'ADMIN', emailVerifiedAt: clock.now() },
    });
    const client = new TestClient(server, 'admin-browser');
    expect((await signInAs(client, account)).errors).toBeUndefined();
    return { client, account, user };
  }

  it('removes the user and every row of theirs, clears the cookie, ends their other sessions and resets their counters', async () => {
    await verifiedAdmin(); // so the user below is not the last admin
    const { client, account, user } = await verifiedAdmin();
    const elsewhere = new TestClient(server, 'phone');
    expect((await signInAs(elsewhere, account)).errors).toBeUndefined();
    // What an account collects: a victim it acted on as admin, a pending reset code and its mail,
    // failed sign-ins (logged, and counted by name and by address), known devices, security events.
    const { user: victim } = await signUp(new TestClient(server));
    expect(
      (await client.request(DISABLE_FOR_DELETION, { input: { userId: victim.id } })).errors,
    ).toBeUndefined();
    expect((await forgetPassword(new TestClient(server), account.email)).errors).toBeUndefined();
    const failures = [{ email: account.email }, ...Array(3).fill({ name: account.name })];
    for (const by of failures)
      expect(
        errorCode(await signIn(new TestClient(server), { ...by, password: 'not-the-password' })),
      ).toBe('INVALID_CREDENTIALS');
    await server.booted.app.services.failedSignIns.flush();
    // The name's counter is used up: even the right password is refused now.
    expect(
      errorCode(
        await signIn(new TestClient(server), { name: account.name, password: account.password }),
      ),
    ).toBe('RATE_LIMITED');
    expect(await prisma().passwordResetCode.count({ where: { userId: user.id } })).toBe(1);
    expect(await prisma().knownDevice.count({ where: { userId: user.id } })).toBeGreaterThan(0);
    const mentions = [user.id, account.email, account.name];
    expect((await rowsMentioning(prisma(), mentions)).length).toBeGreaterThan(5);

    const mark = smtp.mark();
    const response = await client.request(DELETE_ACCOUNT);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ deleteAccount: true });
    expect(response.setCookies.find((c) => c.name === 'sessionId')?.maxAge).toBe(0);
    expect(client.sessionValue).toBeUndefined();
    expect(await meOf(elsewhere)).toBeNull();

    // Only the last notice, queued to the address in the same transaction, mentions them still.
    const left = await rowsMentioning(prisma(), mentions);
    expect(left.map((row) => row.table)).toEqual(['mail_outbox']);
    const [farewell] = await prisma().mailOutbox.findMany({ where: { to: account.email } });
    expect(farewell?.subject).toMatch(DELETED_SUBJECT);
    const mail = await smtp.waitFor((m) => DELETED_SUBJECT.test(m.subject), { after: mark });
    expect(mail.to).toContain(account.email.toLowerCase());
    // The victim's log keeps what was done to them, but not who did it.
    const victimEvents = await prisma().securityEvent.findMany({ where: { userId: victim.id } });
    expect(victimEvents.find((e) => e.kind === 'ACCOUNT_DISABLED')?.actorId).toBeNull();

    expect(errorCode(await signInAs(new TestClient(server), account))).toBe('INVALID_CREDENTIALS');
    // The name and address are free again, and the old counters are gone with the account.
    const again = new TestClient(server);
    await signUp(again, { name: account.name, email: account.email, password: account.password });
    expect(
      (await signIn(new TestClient(server), { name: account.name, password: account.password }))
        .errors,
    ).toBeUndefined();
  });

  it('sends no last notice to an unverified address', async () => {
    const client = new TestClient(server);
    const { account, user } = await signUp(client);
    expect((await client.request(DELETE_ACCOUNT)).data).toEqual({ deleteAccount: true });
    expect(await prisma().user.count({ where: { id: user.id } })).toBe(0);
    expect(await prisma().mailOutbox.count({ where: { to: account.email } })).toBe(0);
  });

  it('answers REAUTHENTICATION_REQUIRED with extensions.methods outside the window and deletes nothing; after reauthenticate it deletes', async () => {
    const client = new TestClient(server);
    const { account, user } = await signUp(client);
    clock.advance(10 * MINUTE + SECOND);
    const refused = await client.request(DELETE_ACCOUNT);
    expect(errorCode(refused)).toBe('REAUTHENTICATION_REQUIRED');
    expect(refused.errors?.[0]?.extensions?.methods).toEqual(['PASSWORD']);
    expect(await prisma().user.count({ where: { id: user.id } })).toBe(1);
    expect(await meOf(client)).not.toBeNull();
    expect(
      (await client.request(DELETION_REAUTH, { input: { password: account.password } })).errors,
    ).toBeUndefined();
    expect((await client.request(DELETE_ACCOUNT)).data).toEqual({ deleteAccount: true });
    expect(await prisma().user.count({ where: { id: user.id } })).toBe(0);
  });

  it('signed out, answers UNAUTHENTICATED', async () => {
    expect(errorCode(await new TestClient(server).request(DELETE_ACCOUNT))).toBe('UNAUTHENTICATED');
  });

  it('the last admin cannot delete their account (FORBIDDEN); of two admins deleting at once, exactly one succeeds', async () => {
    // Only the admins of this test remain admins.
    await prisma().user.updateMany({ where: { role: 'ADMIN' }, data: { role: 'USER' } });
    const first = await verifiedAdmin();
    const second = await verifiedAdmin();
    const answers = await Promise.all([
      first.client.request(DELETE_ACCOUNT),
      second.client.request(DELETE_ACCOUNT),
    ]);
    expect(answers.map((a) => a.data?.deleteAccount ?? errorCode(a)).sort()).toEqual([
      'FORBIDDEN',
      true,
    ]);
    const survivor = answers[0]?.data?.deleteAccount ? second : first;
    expect(await prisma().user.count({ where: { role: 'ADMIN' } })).toBe(1);
    expect(await meOf(survivor.client)).not.toBeNull();
    const alone = await survivor.client.request(DELETE_ACCOUNT);
    expect(errorCode(alone)).toBe('FORBIDDEN');
    expect(await prisma().user.count({ where: { id: survivor.user.id } })).toBe(1);
  });
});

describe.runIf(testDatabaseKind === 'postgres')('deleteAccount on two instances', () => {
  it("ends the user's session cached on the other instance within 100 ms of its answer", async () => {
    const database = await createTestDatabase();
    const env = { ...UNLIMITED, MAIL_POLL_INTERVAL: '1h' };
    const a = await startServer({ database, env });
    const b = await startServer({ database, env });
    try {
      const trusted = (server: TestServer) => server.booted.app.services.sessions.cache.isTrusted;
      await until(() => trusted(a) && trusted(b));
      const onA = new TestClient(a);
      const { account } = await signUp(onA);
      const onB = new TestClient(b);
      expect((await signInAs(onB, account)).errors).toBeUndefined();
      expect(await meOf(onB)).not.toBeNull();
      b.resetQueryLog();
      expect(await meOf(onB)).not.toBeNull();
      expect(b.queries).toEqual([]);

      expect((await onA.request(DELETE_ACCOUNT)).data).toEqual({ deleteAccount: true });
      const answered = performance.now();
      let sentAt = answered;
      await until(
        async () => {
          sentAt = performance.now();
          return (await meOf(onB)) === null;
        },
        2_000,
        5,
      );
      expect(sentAt - answered).toBeLessThan(100);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});

describe('a sign-in racing deleteAccount', () => {
  const gate = new GatedHasher();
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ hasher: gate, env: UNLIMITED });
  });
  afterAll(async () => {
    gate.release();
    await server.close();
  });

  it('sign-ins whose password check began before deleteAccount answered all fail and leave no session', async () => {
    const client = new TestClient(server);
    const { account, user } = await signUp(client);
    const allHeld = gate.hold(3);
    const signIns = Array.from({ length: 3 }, () => signInAs(new TestClient(server), account));
    await allHeld;
    expect((await client.request(DELETE_ACCOUNT)).data).toEqual({ deleteAccount: true });
    gate.release();
    const answers = await Promise.all(signIns);
    expect(answers.map(errorCode)).toEqual([
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
    ]);
    expect(await server.booted.db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
  });
});
