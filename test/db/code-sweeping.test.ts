import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCodeSweeper } from '../../src/core/auth/code-sweeping.js';
import { createLogger } from '../../src/logger.js';
import { TestClient } from '../support/client.js';
import { HOUR, MINUTE, TestClock } from '../support/clock.js';
import { signUp } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * Expired one-time secrets are deleted by a sweep of their own (src/core/auth/code-sweeping.ts), on the
 * server's clock, and live ones are left alone. Each is refused once expired whether or not it was swept.
 */

const clock = new TestClock();
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ now: clock.now });
});
afterAll(() => server.close());

const prisma = () => server.booted.db.prisma;

/** One of each kind of secret for `userId`, expiring at `expiresAt`; `tag` keeps unique columns apart. */
async function secretsOf(userId: string, expiresAt: Date, tag: string) {
  const hash = tag.padStart(64, '0');
  await prisma().passwordResetCode.create({ data: { userId, codeHash: hash, expiresAt } });
  await prisma().emailCode.create({
    data: {
      userId,
      purpose: 'CHANGE',
      email: `${tag}@example.test`,
      emailKey: `${tag}@example.test`,
      codeHash: hash,
      expiresAt,
    },
  });
  await prisma().emailChangeRevert.create({
    data: {
      userId,
      tokenHash: hash,
      email: 'old@example.test',
      emailKey: 'old@example.test',
      expiresAt,
    },
  });
  await prisma().secondFactorChallenge.create({
    data: {
      userId,
      tokenHash: hash,
      purpose: 'SIGN_IN',
      credentialVersion: 0,
      keepSignedIn: false,
      expiresAt,
    },
  });
  await prisma().webAuthnChallenge.create({
    data: { userId, challenge: tag, purpose: 'SIGN_IN', expiresAt },
  });
}

/** How many of each kind `userId` holds. */
async function countsOf(userId: string) {
  const where = { userId };
  return [
    await prisma().passwordResetCode.count({ where }),
    await prisma().emailCode.count({ where: { ...where, purpose: 'CHANGE' } }),
    await prisma().emailChangeRevert.count({ where }),
    await prisma().secondFactorChallenge.count({ where }),
    await prisma().webAuthnChallenge.count({ where }),
  ];
}

describe('the expired-code sweep', () => {
  it('deletes every kind of expired code, link and challenge by the server clock, and keeps live ones', async () => {
    const expired = (await signUp(new TestClient(server))).user.id;
    const live = (await signUp(new TestClient(server))).user.id;
    await secretsOf(expired, new Date(clock.now().getTime() - MINUTE), 'a1');
    await secretsOf(live, new Date(clock.now().getTime() + HOUR), 'b2');

    expect(await server.booted.codeSweeper.sweep()).toBe(5);
    expect(await countsOf(expired)).toEqual([0, 0, 0, 0, 0]);
    expect(await countsOf(live)).toEqual([1, 1, 1, 1, 1]);

    // Expiry is the server's clock: an hour on, the live ones go too.
    clock.advance(2 * HOUR);
    expect(await server.booted.codeSweeper.sweep()).toBe(5);
    expect(await countsOf(live)).toEqual([0, 0, 0, 0, 0]);
  });

  it('deletes a backlog in bounded batches, one statement for all the tables per batch', async () => {
    const past = new Date(clock.now().getTime() - MINUTE);
    await prisma().webAuthnChallenge.createMany({
      data: Array.from({ length: 25 }, (_, i) => ({
        challenge: `backlog-${i}`,
        purpose: 'SIGN_IN',
        expiresAt: past,
      })),
    });
    const sweeper = startCodeSweeper(prisma(), createLogger(server.config), {
      now: clock.now,
      intervalMs: 3_600_000,
      batchSize: 10,
    });
    server.resetQueryLog();
    expect(await sweeper.sweep()).toBe(25);
    await sweeper.stop();
    expect(
      server.queries.filter((sql) => /DELETE FROM webauthn_challenges/.test(sql)),
    ).toHaveLength(3);
    expect(
      await prisma().webAuthnChallenge.count({ where: { challenge: { startsWith: 'backlog-' } } }),
    ).toBe(0);
  });
});
