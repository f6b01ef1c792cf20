import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { signUp, UNLIMITED } from '../support/flows.js';
import { forgetPassword, mailEnv, RESET_SUBJECT } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { TestSmtp } from '../support/smtp.js';

// The worker's poll as shipped (a 30 s fallback): mail must go out because a commit woke a worker
// (in-process embedded, by NOTIFY on PostgreSQL), never because a poll happened to come round.
let smtp: TestSmtp;
let server: TestServer;
beforeAll(async () => {
  smtp = await TestSmtp.start();
  server = await startServer({
    env: {
      ...mailEnv(smtp),
      ...UNLIMITED,
      MAIL_POLL_INTERVAL: '30s',
      MAIL_NOTIFY_NEW_SIGN_IN: 'false',
    },
  });
});
afterAll(async () => {
  await server.close();
  await smtp.stop();
});

describe('committed mail wakes a worker; the poll is only a fallback', () => {
  it('a reset code arrives within two seconds of forgetPassword, far inside the poll interval', async () => {
    const client = new TestClient(server);
    const { account } = await signUp(client);
    const resetMail = (after: number, timeoutMs: number) =>
      smtp.waitForCount(1, (mail) => RESET_SUBJECT.test(mail.subject), { after, timeoutMs });
    // Once, unmeasured: whatever start-up wakes (the LISTEN connection coming up) is spent by then.
    const warm = smtp.mark();
    expect((await forgetPassword(client, account.email)).data?.forgetPassword).toBe(true);
    await resetMail(warm, 35_000);

    const mark = smtp.mark();
    const asked = performance.now();
    expect((await forgetPassword(client, account.email)).data?.forgetPassword).toBe(true);
    await resetMail(mark, 2_000);
    expect(performance.now() - asked).toBeLessThan(2_000);
  }, 60_000);
});
