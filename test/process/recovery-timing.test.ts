import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { signUp } from '../support/flows.js';
import { forgetPassword, mailEnv } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { TestSmtp } from '../support/smtp.js';

const SAMPLES = 40;
/** "Similar time" (API.md): the medians of known and unknown may differ by at most this much. */
const TOLERANCE_MS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (i: number) => sorted[i] ?? Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

describe('forgetPassword timing', () => {
  let smtp: TestSmtp;
  let server: TestServer;
  beforeAll(async () => {
    smtp = await TestSmtp.start();
    // The worker only runs when the test says so, so mail sending never overlaps a measured request.
    server = await startServer({ env: { ...mailEnv(smtp), MAIL_POLL_INTERVAL: '1h' } });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.stop();
  });

  // A statistical test on a shared machine: a retry absorbs a burst of load; a real leak fails every run.
  it('takes similar time for known and unknown addresses (medians of interleaved samples)', {
    retry: 2,
  }, async () => {
    const client = new TestClient(server);
    const { account } = await signUp(new TestClient(server));
    const unknown = `unknown-${Date.now()}@example.test`;
    const time = async (email: string) => {
      const started = performance.now();
      const response = await forgetPassword(client, email);
      const elapsed = performance.now() - started;
      expect(response.data?.forgetPassword).toBe(true);
      return elapsed;
    };
    for (let i = 0; i < 5; i++) {
      await time(account.email);
      await time(unknown);
    }
    await server.booted.mail.drain();

    const known: number[] = [];
    const missing: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      // Alternating which goes first, so drift in the machine's load falls on both alike.
      const order = i % 2 === 0 ? [account.email, unknown] : [unknown, account.email];
      for (const email of order) (email === unknown ? missing : known).push(await time(email));
      // The known request's mail is sent between pairs, not during them.
      await server.booted.mail.drain();
    }
    const difference = median(known) - median(missing);
    const paired = median(known.map((k, i) => k - (missing[i] ?? Number.NaN)));
    const report = `medians: known ${median(known).toFixed(2)} ms, unknown ${median(missing).toFixed(2)} ms (median pair difference ${paired.toFixed(2)} ms)`;
    expect(Math.abs(difference), report).toBeLessThan(TOLERANCE_MS);
  });
});
