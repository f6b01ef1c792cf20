import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailServerBed } from '../support/beds.js';
import { TestClient } from '../support/client.js';
import { verifyByMail } from '../support/email.js';
import { type Account, newAccount, SIGN_IN, SIGN_UP, signUp, UNLIMITED } from '../support/flows.js';
import {
  forgetPassword,
  mailEnv,
  NEW_SIGN_IN_SUBJECT,
  outboxSettled,
  RESET_SUBJECT,
} from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';

// The worker's poll as shipped (a 30 s fallback): mail must go out because a commit woke a worker
// (in-process embedded, by NOTIFY on PostgreSQL), never because a poll happened to come round.
const bed = mailServerBed({
  ...UNLIMITED,
  MAIL_POLL_INTERVAL: '30s',
  MAIL_NOTIFY_NEW_SIGN_IN: 'false',
});

describe('committed mail wakes a worker; the poll is only a fallback', () => {
  it('a reset code arrives within two seconds of forgetPassword, far inside the poll interval', async () => {
    const client = new TestClient(bed.server);
    const { account } = await signUp(client);
    const resetMail = (after: number, timeoutMs: number) =>
      bed.smtp.waitForCount(1, (mail) => RESET_SUBJECT.test(mail.subject), { after, timeoutMs });
    // Once, unmeasured: whatever start-up wakes (the LISTEN connection coming up) is spent by then.
    const warm = bed.smtp.mark();
    expect((await forgetPassword(client, account.email)).data?.forgetPassword).toBe(true);
    await resetMail(warm, 35_000);

    const mark = bed.smtp.mark();
    const asked = performance.now();
    expect((await forgetPassword(client, account.email)).data?.forgetPassword).toBe(true);
    await resetMail(mark, 2_000);
    expect(performance.now() - asked).toBeLessThan(2_000);
  }, 60_000);
});

describe('a sign-in wakes the mail workers only when it queued a notice', () => {
  let notices: TestServer;
  beforeAll(async () => {
    notices = await startServer({
      env: { ...mailEnv(bed.smtp), ...UNLIMITED, MAIL_POLL_INTERVAL: '30s', TRUST_PROXY: 'true' },
    });
  });
  afterAll(() => notices.close());

  /** The worker's round starts with this statement: it ran because something woke it. */
  const workerRounds = () => notices.queries.filter((sql) => /FROM mail_outbox/.test(sql)).length;
  const signInFrom = (account: Account, ip: string) =>
    new TestClient(notices).request(
      SIGN_IN,
      { input: { name: account.name, password: account.password } },
      { headers: { 'x-forwarded-for': ip } },
    );

  it('from a known browser: no wake; from a new one: the notice arrives within two seconds', async () => {
    const client = new TestClient(notices);
    const account = newAccount();
    const headers = { 'x-forwarded-for': '203.0.113.7' };
    const signedUp = bed.smtp.mark();
    expect((await client.request(SIGN_UP, { input: account }, { headers })).errors).toBeUndefined();
    await verifyByMail(client, bed.smtp, account.email, signedUp, { headers });
    await outboxSettled(notices);
    // Sign-up made this browser and address known (the test client sends the same user agent).
    notices.resetQueryLog();
    expect((await signInFrom(account, '203.0.113.7')).errors).toBeUndefined();
    // Long enough for a wake to have run a round (they start within milliseconds).
    await sleep(500);
    expect(workerRounds()).toBe(0);

    const mark = bed.smtp.mark();
    const asked = performance.now();
    expect((await signInFrom(account, '198.51.100.23')).errors).toBeUndefined();
    await bed.smtp.waitForCount(1, (mail) => NEW_SIGN_IN_SUBJECT.test(mail.subject), {
      after: mark,
      timeoutMs: 2_000,
    });
    expect(performance.now() - asked).toBeLessThan(2_000);
    expect(workerRounds()).toBeGreaterThan(0);
  }, 60_000);
});
