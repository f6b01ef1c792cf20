import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { newAccount, SESSIONS, SIGN_IN, SIGN_UP, signUp } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * Expected failures are the request line's outcome, not errors: a wrong password or a rate limit must
 * not write an error line with a stack (Yoga logs every error it masks unless told otherwise), while a
 * real fault still does, once.
 */

interface Line {
  level: number;
  msg: string;
  err?: { stack?: string };
}

const raw: string[] = [];
const lines = () => raw.map((line) => JSON.parse(line) as Line);
const errorLines = () => lines().filter((line) => line.level >= 50);

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    env: { LOG_LEVEL: 'info', RATE_LIMIT_SIGNIN_ACCOUNT: '2' },
    logStream: { write: (line: string) => void raw.push(line) },
  });
});
afterAll(() => server.close());

describe('log levels', () => {
  it('INVALID_CREDENTIALS, RATE_LIMITED and UNAUTHENTICATED write no error line', async () => {
    const { user } = await signUp(new TestClient(server));
    raw.length = 0;
    const codes: unknown[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await new TestClient(server).request(SIGN_IN, {
        input: { email: user.email, password: 'not-the-password' },
      });
      codes.push(response.errors?.[0]?.extensions?.code);
    }
    codes.push((await new TestClient(server).request(SESSIONS)).errors?.[0]?.extensions?.code);
    expect(codes).toEqual([
      'INVALID_CREDENTIALS',
      'INVALID_CREDENTIALS',
      'RATE_LIMITED',
      'RATE_LIMITED',
      'UNAUTHENTICATED',
    ]);
    expect(errorLines()).toEqual([]);
    expect(lines().filter((line) => line.msg === 'request')).toHaveLength(5);
  });

  it('an unexpected failure writes exactly one error line, with its stack', async () => {
    const prisma = server.booted.db.prisma;
    raw.length = 0;
    await prisma.$executeRawUnsafe('ALTER TABLE users RENAME TO users_elsewhere');
    try {
      const response = await new TestClient(server).request(SIGN_UP, {
        input: newAccount(),
      });
      expect(response.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    } finally {
      await prisma.$executeRawUnsafe('ALTER TABLE users_elsewhere RENAME TO users');
    }
    expect(errorLines()).toEqual([
      expect.objectContaining({ msg: 'unexpected error', err: expect.anything() }),
    ]);
    expect(errorLines()[0]?.err?.stack).toBeTypeOf('string');
  });
});
