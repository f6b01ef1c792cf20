import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, TestClient } from '../support/client.js';
import { TestClock } from '../support/clock.js';
import {
  BEGIN_TOTP,
  CONFIRM_TOTP,
  passwordStep,
  totpCode,
  verifyAddress,
} from '../support/factors.js';
import { signIn, signUp, UNLIMITED } from '../support/flows.js';
import { GatedHasher } from '../support/gated-hasher.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * API.md, "Changes to part one": credential changes win every race, factor changes included. Once
 * confirmTotpEnrollment has answered, no session authenticated by the password alone exists: sign-ins
 * whose check of the password began before it committed must not become sessions afterwards. The gate
 * holds those checks until the change has answered, so the interleaving is arranged, not hoped for.
 */

const SIGN_INS = 4;

const clock = new TestClock();
let server: TestServer;
const gate = new GatedHasher();
beforeAll(async () => {
  server = await startServer({ hasher: gate, now: clock.now, env: UNLIMITED });
});
afterAll(async () => {
  gate.release();
  await server?.close();
});

const client = () => new TestClient(server);
const sessionIds = async (userId: string) =>
  (await server.booted.db.prisma.session.findMany({ where: { userId }, select: { id: true } })).map(
    (s) => s.id,
  );

describe('a sign-in racing a factor change', () => {
  it('sign-ins whose password check began before confirmTotpEnrollment answered all fail, and leave no session', async () => {
    const owner = client();
    const { account, user } = await signUp(owner);
    await verifyAddress(server, user.id);
    const begun = await owner.request(BEGIN_TOTP);
    const secret = begun.data?.beginTotpEnrollment.secret ?? '';

    const allHeld = gate.hold(SIGN_INS);
    const signIns = Array.from({ length: SIGN_INS }, () =>
      signIn(client(), { email: account.email, password: account.password }),
    );
    await allHeld;
    const confirmed = await owner.request(CONFIRM_TOTP, {
      input: { code: totpCode(secret, clock.now()) },
    });
    expect(confirmed.errors).toBeUndefined();
    const ownerSession = (await sessionIds(user.id))[0];
    gate.release();

    const answers = await Promise.all(signIns);
    expect(answers.map(errorCode)).toEqual(Array(SIGN_INS).fill('INVALID_CREDENTIALS'));
    expect(answers.flatMap((answer) => answer.setCookies)).toEqual([]);
    // Only the session that made the change lives on (under a new token).
    expect(await sessionIds(user.id)).toEqual([ownerSession]);
    // A sign-in that starts now meets the second factor.
    expect((await passwordStep(client(), account)).code).toBe('SECOND_FACTOR_REQUIRED');
  });
});
