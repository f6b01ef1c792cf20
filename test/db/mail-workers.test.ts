import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../support/database.js';
import { mailEnv, outboxSettled } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { TestSmtp } from '../support/smtp.js';

// Only PostgreSQL can be shared by two instances; the embedded PGlite belongs to one process.
describe.skipIf(testDatabaseKind !== 'postgres')('two instances on one PostgreSQL', () => {
  let smtp: TestSmtp;
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    smtp = await TestSmtp.start();
    database = await createTestDatabase();
    const env = { ...mailEnv(smtp), MAIL_POLL_INTERVAL: '20ms' };
    a = await startServer({ env, database });
    // Migrated by A already (and a second migrating boot would wait on the lock A's pool still holds).
    b = await startServer({ env: { ...env, MIGRATE_ON_START: 'false' }, database });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
    await smtp?.stop();
  });

  it('never send one mail twice', async () => {
    const count = 60;
    const after = smtp.mark();
    const outbox = a.booted.app.services.outbox;
    // All rows become due at one instant, so both workers reach for the same ones.
    await a.booted.db.prisma.$transaction(async (tx) => {
      for (let i = 0; i < count; i++) {
        await outbox.enqueue(tx, {
          to: `worker-${i}@example.test`,
          subject: `message ${i}`,
          text: `body ${i}`,
          html: `<p>body ${i}</p>`,
        });
      }
    });
    a.booted.app.services.outbox.wake();
    b.booted.app.services.outbox.wake();
    // Extra rounds from outside the timers, on both instances at once, to press on the claim.
    const rounds = await Promise.all([
      a.booted.mail.runOnce(),
      b.booted.mail.runOnce(),
      a.booted.mail.runOnce(),
      b.booted.mail.runOnce(),
    ]);

    await smtp.waitForCount(count, () => true, { after, timeoutMs: 20_000 });
    await outboxSettled(a, 20_000);
    // Both go round once more: nothing is left for either to send again.
    expect(
      (await Promise.all([a.booted.mail.runOnce(), b.booted.mail.runOnce()])).map((r) => r.claimed),
    ).toEqual([0, 0]);
    const received = smtp.messages.slice(after);
    expect(received).toHaveLength(count);
    expect(new Set(received.map((m) => m.subject)).size).toBe(count);
    expect(new Set(received.map((m) => m.messageId)).size).toBe(count);

    const rows = await a.booted.db.prisma.mailOutbox.findMany({
      select: { status: true, attempts: true },
    });
    expect(rows).toHaveLength(count);
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    // The hand-driven rounds together claimed no row twice either.
    expect(rounds.reduce((sum, r) => sum + r.claimed, 0)).toBeLessThanOrEqual(count);
  });
});
