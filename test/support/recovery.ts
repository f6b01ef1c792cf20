import type { ResetPasswordInput } from '../generated/graphql.js';
import type { RequestOptions, TestClient } from './client.js';
import { FORGET_PASSWORD, RESET_PASSWORD } from './operations.js';
import type { TestServer } from './server.js';
import { codeIn, type TestSmtp } from './smtp.js';

export { CHANGE_PASSWORD, FORGET_PASSWORD, RESET_PASSWORD } from './operations.js';

export const RESET_SUBJECT = /password reset code/i;
export const CHANGED_SUBJECT = /password was changed/i;
export const NEW_SIGN_IN_SUBJECT = /new sign-in/i;

/** The server's mail goes to this SMTP server, polled often and retried soon, so tests wait little. */
export function mailEnv(smtp: TestSmtp): Record<string, string> {
  return {
    SMTP_URL: smtp.url,
    MAIL_POLL_INTERVAL: '100ms',
    MAIL_RETRY_BASE: '200ms',
    // These tests ask for many codes from one address; the limits have their own tests.
    RATE_LIMIT_FORGOT_PASSWORD: '100000',
    RATE_LIMIT_RESET_IP: '100000',
  };
}

export function forgetPassword(client: TestClient, email: string) {
  return client.request(FORGET_PASSWORD, { input: { email } });
}

export function resetPassword(
  client: TestClient,
  input: ResetPasswordInput,
  options: RequestOptions = {},
) {
  return client.request(RESET_PASSWORD, { input }, options);
}

/** Asks for a code through the API and reads it from the mail that arrives. */
export async function requestCode(
  client: TestClient,
  smtp: TestSmtp,
  email: string,
): Promise<string> {
  const after = smtp.mark();
  const response = await forgetPassword(client, email);
  if (response.data?.forgetPassword !== true)
    throw new Error(`forgetPassword failed: ${JSON.stringify(response.errors)}`);
  const mail = await smtp.waitFor(
    (m) => m.to.includes(email.toLowerCase()) && RESET_SUBJECT.test(m.subject),
    {
      after,
    },
  );
  return codeIn(mail);
}

/** A code that is certainly not `code`. */
export function otherCode(code: string, offset = 1): string {
  return ((Number(code) + offset) % 1_000_000).toString().padStart(6, '0');
}

/** Waits until the outbox holds nothing pending or in flight: every mail enqueued so far has been handed over. */
export async function outboxSettled(server: TestServer, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const prisma = server.booted.db.prisma;
  for (;;) {
    const waiting = await prisma.mailOutbox.count({
      where: { status: { in: ['pending', 'sending'] } },
    });
    if (waiting === 0) return;
    if (Date.now() > deadline)
      throw new Error(`${waiting} mail(s) still in the outbox after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
