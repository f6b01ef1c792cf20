import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { type Account, signUp } from '../support/flows.js';
import { ME_ID } from '../support/operations.js';
import {
  forgetPassword,
  mailEnv,
  outboxSettled,
  RESET_SUBJECT,
  resetPassword,
} from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { codeIn, TestSmtp } from '../support/smtp.js';

/** Collects the server's JSON log lines. */
function logSink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('delivery through an SMTP outage', () => {
  let smtp: TestSmtp;
  let server: TestServer;
  beforeAll(async () => {
    smtp = await TestSmtp.start();
    server = await startServer({ env: mailEnv(smtp) });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.stop();
  });

  it('delays mail while SMTP is down, loses none, and never slows or fails a request', async () => {
    const accounts: Account[] = [];
    for (let i = 0; i < 5; i++) accounts.push((await signUp(new TestClient(server))).account);
    const prisma = server.booted.db.prisma;
    // The sign-ups' verification mail is out before the outage begins.
    await outboxSettled(server);

    await smtp.stop();
    const after = smtp.mark();
    const client = new TestClient(server);
    for (const account of accounts) {
      const started = performance.now();
      const response = await forgetPassword(client, account.email);
      // The request only writes the outbox; SMTP is not on its path at all.
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(response.errors).toBeUndefined();
      expect(response.data?.forgetPassword).toBe(true);
    }
    const me = await new TestClient(server).request(ME_ID);
    expect(me.errors).toBeUndefined();

    // The worker has tried and failed at least twice, and keeps the mail for later.
    await expect
      .poll(
        async () =>
          prisma.mailOutbox.findMany({
            where: { status: { not: 'sent' } },
            select: { attempts: true },
          }),
        {
          timeout: 10_000,
          interval: 100,
        },
      )
      .toSatisfy(
        (rows: { attempts: number }[]) => rows.length === 5 && rows.every((r) => r.attempts >= 2),
      );
    const failing = await prisma.mailOutbox.findFirstOrThrow({
      where: { status: { not: 'sent' } },
    });
    expect(failing.lastError).toMatch(/ECONNREFUSED|connect/i);
    // The code waiting in the outbox is sealed: a dump of the table does not reveal it.
    expect(failing.body).toMatch(/^v1\./);
    expect(failing.body).not.toMatch(/\b\d{6}\b/);
    expect(smtp.messages.length).toBe(after);

    await smtp.restart();
    const mails = await smtp.waitForCount(5, (m) => RESET_SUBJECT.test(m.subject), {
      after,
      timeoutMs: 15_000,
    });
    await outboxSettled(server);
    expect(smtp.messages.slice(after)).toHaveLength(5);
    expect(new Set(mails.flatMap((m) => m.to))).toEqual(new Set(accounts.map((a) => a.email)));
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(5);
    const sent = await prisma.mailOutbox.findMany({ where: { status: 'sent' } });
    expect(sent.length).toBeGreaterThanOrEqual(5);
    expect(sent.every((row) => row.body === null && row.sentAt !== null)).toBe(true);

    // The codes that arrived late still work.
    const [account0] = accounts as [Account];
    const first = mails.find((m) => m.to.includes(account0.email));
    if (!first) throw new Error('the first account got no mail');
    const reset = await resetPassword(client, {
      email: account0.email,
      otp: codeIn(first),
      newPassword: 'after-outage-1',
    });
    expect(reset.errors).toBeUndefined();
  });

  it('answers forgetPassword for known and unknown addresses alike while SMTP is down', async () => {
    const { account } = await signUp(new TestClient(server));
    await smtp.stop();
    try {
      const client = new TestClient(server);
      const known = await forgetPassword(client, account.email);
      const unknown = await forgetPassword(client, `nobody-${Date.now()}@example.test`);
      expect(known.status).toBe(unknown.status);
      expect(known.data).toEqual(unknown.data);
      expect(known.errors).toEqual(unknown.errors);
    } finally {
      await smtp.restart();
    }
    await outboxSettled(server, 15_000);
  });
});

describe('without SMTP_URL', () => {
  let server: TestServer;
  const log = logSink();
  beforeAll(async () => {
    server = await startServer({
      env: { LOG_LEVEL: 'info', MAIL_POLL_INTERVAL: '100ms' },
      logStream: log.stream,
    });
  });
  afterAll(() => server?.close());

  it('writes each mail as an .eml file in DATA_DIR/outbox, logs where, and never logs the code', async () => {
    const client = new TestClient(server);
    const { account } = await signUp(client);
    // The sign-up's verification mail goes the same way; only the reset mail is looked at here.
    await outboxSettled(server);
    const dir = server.config.mail.outboxDir;
    const before = new Set(readdirSync(dir));
    expect((await forgetPassword(client, account.email)).data?.forgetPassword).toBe(true);
    await outboxSettled(server);

    expect(dir).toBe(join(server.config.dataDir, 'outbox'));
    const files = readdirSync(dir).filter((f) => f.endsWith('.eml') && !before.has(f));
    expect(files).toHaveLength(1);
    const [file] = files as [string];
    const eml = readFileSync(join(dir, file), 'utf8');
    expect(eml).toMatch(/^Subject: Your sessiongraph password reset code$/m);
    expect(eml).toContain(`To: ${account.email}`);
    expect(eml).toMatch(/Content-Type: text\/plain/);
    expect(eml).toMatch(/Content-Type: text\/html/);
    const code = /^(\d{6})$/m.exec(eml)?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);

    const mention = log.lines.find((line) => line.includes(file));
    expect(mention).toBeDefined();
    expect(log.lines.some((line) => line.includes(code))).toBe(false);

    const reset = await resetPassword(client, {
      email: account.email,
      otp: code,
      newPassword: 'from-the-eml-file',
    });
    expect(reset.errors).toBeUndefined();
    await outboxSettled(server);
    // The "password changed" notice went the same way (the reset proved the address).
    expect(readdirSync(dir).filter((f) => f.endsWith('.eml') && !before.has(f))).toHaveLength(2);
  });
});
