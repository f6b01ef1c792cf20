import { afterAll, describe, expect, it } from 'vitest';
import { mailServerBed } from '../support/beds.js';
import { errorCode, TestClient } from '../support/client.js';
import { signIn, signUp, UNLIMITED } from '../support/flows.js';
import { GatedHasher } from '../support/gated-hasher.js';
import { CHANGE_PASSWORD, requestCode, resetPassword } from '../support/recovery.js';

/**
 * API.md, "Changes to part one": once a password change or reset has answered, no session
 * authenticated under the previous password exists. The race: sign-ins whose hash check of the old
 * password is under way while the change commits. The gate holds those checks until the change has
 * answered, so the interleaving is arranged, not hoped for.
 */

const SIGN_INS = 4;

const gate = new GatedHasher();
const bed = mailServerBed(UNLIMITED, { hasher: gate });
// Registered after the bed's, so it runs first: a held verify must not keep the server from closing.
afterAll(() => gate.release());

const client = () => new TestClient(bed.server);
const sessionIds = async (userId: string) =>
  (
    await bed.server.booted.db.prisma.session.findMany({ where: { userId }, select: { id: true } })
  ).map((s) => s.id);

/** Starts SIGN_INS sign-ins with `password` and resolves once every one is inside its hash check. */
async function signInsHeldInVerify(email: string, password: string) {
  const allHeld = gate.hold(SIGN_INS);
  const signIns = Array.from({ length: SIGN_INS }, () => signIn(client(), { email, password }));
  await allHeld;
  return signIns;
}

describe('a sign-in racing a credential change', () => {
  it('sign-ins whose check of the old password began before changePassword answered all fail, and leave no session', async () => {
    const changer = client();
    const { account, user } = await signUp(changer);
    const signIns = await signInsHeldInVerify(account.email, account.password);

    const changed = await changer.request(CHANGE_PASSWORD, {
      input: { currentPassword: account.password, newPassword: 'a-changed-passphrase' },
    });
    expect(changed.errors).toBeUndefined();
    gate.release();

    const answers = await Promise.all(signIns);
    expect(answers.map(errorCode)).toEqual(Array(SIGN_INS).fill('INVALID_CREDENTIALS'));
    expect(answers.flatMap((answer) => answer.setCookies)).toEqual([]);
    expect(await sessionIds(user.id)).toEqual([changed.data?.changePassword.session.id]);
  });

  it('sign-ins whose check of the old password began before resetPassword answered all fail, and leave no session', async () => {
    const { account, user } = await signUp(client());
    const code = await requestCode(client(), bed.smtp, account.email);
    const signIns = await signInsHeldInVerify(account.email, account.password);

    const reset = await resetPassword(client(), {
      email: account.email,
      otp: code,
      newPassword: 'a-reset-passphrase',
    });
    expect(reset.errors).toBeUndefined();
    gate.release();

    const answers = await Promise.all(signIns);
    expect(answers.map(errorCode)).toEqual(Array(SIGN_INS).fill('INVALID_CREDENTIALS'));
    expect(answers.flatMap((answer) => answer.setCookies)).toEqual([]);
    expect(await sessionIds(user.id)).toEqual([reset.data?.resetPassword.session.id]);
  });
});
