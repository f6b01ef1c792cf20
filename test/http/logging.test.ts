import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { SIGN_IN, signIn, signUp } from '../support/flows.js';
import { rawRequest } from '../support/raw-http.js';
import { forgetPassword, resetPassword } from '../support/recovery.js';
import { startServer, type TestServer } from '../support/server.js';
import { until } from '../support/wait.js';

interface RequestLine {
  msg: string;
  level: number;
  reqId: string;
  method: string;
  path: string;
  status: number;
  operation: string | null;
  outcome: string;
  durationMs: number;
  userId: string | null;
}

const raw: string[] = [];
const requestLines = () =>
  raw.map((line) => JSON.parse(line) as RequestLine).filter((l) => l.msg === 'request');

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    // A real port too, for the chunked body (a request in process always has its length).
    listen: true,
    env: { LOG_LEVEL: 'info' },
    logStream: { write: (line: string) => void raw.push(line) },
  });
});
afterAll(() => server.close());

/** Without SMTP_URL the server writes mail as .eml files; the code is on a line of its own. */
async function codeFromOutbox(dir: string, to: string): Promise<string> {
  let code: string | undefined;
  await until(
    async () => {
      for (const file of await readdir(dir).catch(() => [] as string[])) {
        const mail = await readFile(join(dir, file), 'utf8');
        // In the text part the code stands alone on its line (as test/support/smtp.ts codeIn reads it).
        if (mail.includes(to)) code = /^(\d{6})\r?$/m.exec(mail)?.[1];
        if (code) return true;
      }
      return false;
    },
    10_000,
    50,
  );
  if (!code) throw new Error('no code');
  return code;
}

/** The one request line whose reqId the response carried. */
function lineFor(headers: Headers): RequestLine {
  const id = headers.get('x-request-id');
  const matching = requestLines().filter((l) => l.reqId === id);
  expect(matching).toHaveLength(1);
  return matching[0] as RequestLine;
}

describe('request logs', () => {
  it('writes one line per request with id, operation, duration, outcome and user', async () => {
    const client = new TestClient(server);
    const { user, response } = await signUp(client);
    expect(lineFor(response.headers)).toMatchObject({
      method: 'POST',
      path: '/graphql',
      status: 200,
      operation: 'SignUp',
      outcome: 'ok',
      userId: user.id,
    });

    const me = await client.request('query WhoAmI { me { id } }');
    const line = lineFor(me.headers);
    expect(line).toMatchObject({ operation: 'WhoAmI', outcome: 'ok', userId: user.id });
    expect(line.durationMs).toBeTypeOf('number');
    expect(line.reqId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs the first error code as the outcome, and HTTP status for refused requests', async () => {
    const client = new TestClient(server);
    const wrong = await signIn(client, { name: 'nobody_here', password: 'not-the-password' });
    expect(lineFor(wrong.headers)).toMatchObject({
      operation: 'SignIn',
      outcome: 'INVALID_CREDENTIALS',
      userId: null,
    });

    const invalid = await client.request('query Broken { nope }');
    expect(lineFor(invalid.headers)).toMatchObject({
      operation: 'Broken',
      outcome: 'GRAPHQL_VALIDATION_FAILED',
    });

    const refused = await server.fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(refused.status).toBe(415);
    expect(lineFor(refused.headers)).toMatchObject({ outcome: 'HTTP_415', status: 415 });
  });

  it('keeps a proxy-supplied request id, but not one that could forge log content', async () => {
    const client = new TestClient(server);
    const kept = await client.request(
      '{ me { id } }',
      {},
      { headers: { 'x-request-id': 'lb-1234.abc' } },
    );
    expect(kept.headers.get('x-request-id')).toBe('lb-1234.abc');
    const replaced = await client.request(
      '{ me { id } }',
      {},
      { headers: { 'x-request-id': 'a"b\\nfake' } },
    );
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never logs a password, a cookie, a bearer token or variables', async () => {
    raw.length = 0;
    const client = new TestClient(server);
    const { account } = await signUp(client, { keepSignedIn: true });
    const signedIn = await client.request(SIGN_IN, {
      input: { email: account.email, password: account.password, keepSignedIn: true },
    });
    expect(signedIn.errors).toBeUndefined();
    const cookieValue = client.sessionValue;
    if (!cookieValue) throw new Error('no session cookie');
    await client.request('{ me { id } }');
    await new TestClient(server).request(
      '{ me { id } }',
      {},
      { headers: { authorization: `Bearer ${cookieValue}` } },
    );
    // A password in a GET query string must not reach the log through the URL either.
    await server.fetch(
      `${server.graphqlUrl}?query=${encodeURIComponent('{ me { id } }')}&extra=${account.password}`,
      {
        headers: { accept: 'application/json', cookie: `sessionId=${cookieValue}` },
      },
    );

    expect(requestLines().length).toBeGreaterThanOrEqual(5);
    const everything = raw.join('\n');
    const [token] = cookieValue.split('.');
    for (const secret of [
      account.password,
      cookieValue,
      encodeURIComponent(cookieValue),
      token ?? cookieValue,
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toMatch(/sessionId=|authorization|set-cookie/i);
  });
  it('never logs a reset code or the new password, with mail going to the dev outbox', async () => {
    raw.length = 0;
    const client = new TestClient(server);
    const { account } = await signUp(client);
    const forgot = await forgetPassword(client, account.email);
    expect(forgot.data?.forgetPassword).toBe(true);
    const code = await codeFromOutbox(server.config.mail.outboxDir, account.email);
    const newPassword = 'an-entirely-new-password';
    const reset = await resetPassword(client, { email: account.email, otp: code, newPassword });
    expect(reset.errors).toBeUndefined();
    expect(lineFor(reset.headers)).toMatchObject({ operation: 'ResetPassword', outcome: 'ok' });

    const everything = raw.join('\n');
    expect(everything).toContain('outbox'); // the dev transport did log the mail
    for (const secret of [code, newPassword, account.password])
      expect(everything).not.toContain(secret);
  });
  it('logs a request whose body came chunked, without a declared length, like any other', async () => {
    raw.length = 0;
    const response = await rawRequest(server.origin, {
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: JSON.stringify({ query: 'query Chunked { __typename }' }),
    });
    expect(response.status).toBe(200);
    const id = response.headers['x-request-id'];
    expect(requestLines().filter((line) => line.reqId === id)).toMatchObject([
      { operation: 'Chunked', outcome: 'ok', status: 200 },
    ]);
  });
});
