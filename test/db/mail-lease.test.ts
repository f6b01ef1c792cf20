import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailTransport } from '../../src/core/mail/transport.js';
import { MailWorker } from '../../src/core/mail/worker.js';
import { createLogger } from '../../src/logger.js';
import { mailEnv } from '../support/recovery.js';
import { ScriptedSmtp } from '../support/scripted-smtp.js';
import { startServer, type TestServer } from '../support/server.js';
import { TestSmtp } from '../support/smtp.js';
import { until } from '../support/wait.js';

/** One mail in the outbox, committed; its row id. */
async function enqueueOne(server: TestServer, tag: string): Promise<string> {
  const prisma = server.booted.db.prisma;
  await prisma.$transaction((tx) =>
    server.booted.app.services.outbox.enqueue(tx, {
      to: `${tag}@example.test`,
      subject: `lease test ${tag}`,
      text: 'body',
      html: '<p>body</p>',
    }),
  );
  const row = await prisma.mailOutbox.findFirstOrThrow({ where: { to: `${tag}@example.test` } });
  return row.id;
}

describe('a mail worker that dies mid-send', () => {
  let smtp: TestSmtp;
  let stalling: ScriptedSmtp;
  let server: TestServer;
  beforeAll(async () => {
    smtp = await TestSmtp.start();
    stalling = await ScriptedSmtp.start('stall');
    server = await startServer({ env: { ...mailEnv(smtp), LOG_LEVEL: 'silent' } });
    // This test drives the workers itself.
    await server.booted.mail.stop();
  });
  afterAll(async () => {
    await server?.close();
    await stalling?.stop();
    await smtp?.stop();
  });

  const worker = (smtpUrl: string, leaseMs: number) => {
    const { config } = server.booted.app.services;
    const logger = createLogger({ ...config, logLevel: 'silent' });
    const transport = createMailTransport({ mail: { ...config.mail, smtpUrl } }, logger);
    const options = { pollIntervalMs: 1_000, retryBaseMs: 10, maxAttempts: 5, leaseMs };
    return new MailWorker(
      server.booted.db.prisma,
      server.booted.app.services.outbox,
      transport,
      logger,
      options,
    );
  };

  it('leaves the mail to another worker once its lease runs out; sent once, and its late failure changes nothing', async () => {
    const id = await enqueueOne(server, 'lease');
    const after = smtp.mark();
    const doomed = worker(stalling.url, 400);
    const stuck = doomed.runOnce();
    await stalling.holding();

    const healthy = worker(smtp.url, 10_000);
    expect((await healthy.runOnce()).claimed).toBe(0);
    await until(async () => (await healthy.runOnce()).sent === 1);
    const received = await smtp.waitFor((mail) => mail.subject === 'lease test lease', { after });
    expect(received.messageId).toContain(id);

    // The stuck send now fails: it must not put the row, sent by the other worker, back in the queue.
    stalling.release();
    expect(await stuck).toEqual({ claimed: 1, sent: 0, failed: 1 });
    const row = await server.booted.db.prisma.mailOutbox.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'sent', attempts: 2, body: null });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await healthy.runOnce()).claimed).toBe(0);
    expect(
      smtp.messages.slice(after).filter((mail) => mail.subject === 'lease test lease'),
    ).toHaveLength(1);
    await healthy.stop();
    await doomed.stop();
  });
});

describe('a mail that no attempt can deliver', () => {
  let rejecting: ScriptedSmtp;
  let server: TestServer;
  const log: string[] = [];
  beforeAll(async () => {
    rejecting = await ScriptedSmtp.start('reject');
    server = await startServer({
      env: {
        SMTP_URL: rejecting.url,
        MAIL_POLL_INTERVAL: '20ms',
        MAIL_RETRY_BASE: '20ms',
        MAIL_MAX_ATTEMPTS: '3',
        LOG_LEVEL: 'warn',
      },
      logStream: { write: (line: string) => void log.push(line) },
    });
  });
  afterAll(async () => {
    await server?.close();
    await rejecting?.stop();
  });

  it('is tried MAIL_MAX_ATTEMPTS times, then stays failed with the reason, and is tried no more', async () => {
    const id = await enqueueOne(server, 'rejected');
    server.booted.app.services.outbox.wake();
    const prisma = server.booted.db.prisma;
    await until(
      async () =>
        (await prisma.mailOutbox.findUniqueOrThrow({ where: { id } })).status === 'failed',
      10_000,
    );
    const row = await prisma.mailOutbox.findUniqueOrThrow({ where: { id } });
    expect(row.attempts).toBe(3);
    expect(row.lastError).toContain('550');
    const attempts = rejecting.recipients;
    expect(attempts).toBe(3);
    // Another round finds nothing to claim: a failed mail is never tried again.
    expect((await server.booted.mail.runOnce()).claimed).toBe(0);
    expect(rejecting.recipients).toBe(attempts);
    expect((await prisma.mailOutbox.findUniqueOrThrow({ where: { id } })).status).toBe('failed');
    const givenUp = log.map(
      (line) => JSON.parse(line) as { msg?: string; mailId?: string; level?: number },
    );
    expect(
      givenUp.filter((entry) => entry.msg === 'mail given up' && entry.mailId === id),
    ).toHaveLength(1);
  });
});
