import { describe, expect, it } from 'vitest';
import { localhostBed } from '../support/beds.js';
import { errorCode, type TestClient } from '../support/client.js';
import { MINUTE } from '../support/clock.js';
import {
  BEGIN_PASSKEY_ASSERTION,
  BEGIN_PASSKEY_REGISTRATION,
  BEGIN_PASSKEY_SIGN_IN,
  FACTOR_STATE,
  FINISH_PASSKEY_REGISTRATION,
  FINISH_PASSKEY_SIGN_IN,
  PASSKEYS,
  passwordStep,
  REAUTHENTICATE,
  REMOVE_PASSKEY,
  RENAME_PASSKEY,
  RESET_WITH_FACTOR,
  VERIFY_SECOND_FACTOR,
  verifyAddress,
} from '../support/factors.js';
import { signUp } from '../support/flows.js';
import { requestCode } from '../support/recovery.js';
import { hasChromium, PasskeyBrowser } from '../support/webauthn.js';

if (!hasChromium) console.warn('passkey tests skipped: /usr/bin/chromium not found');

const bed = localhostBed((origin) => PasskeyBrowser.open(origin));

/** A verified account on a fresh authenticator, with one passkey registered through the browser. */
async function accountWithPasskey(name = 'Laptop') {
  await bed.browser.newAuthenticator();
  const c = bed.client();
  const signedUp = await signUp(c);
  await verifyAddress(bed.server, signedUp.user.id);
  const begun = await c.request(BEGIN_PASSKEY_REGISTRATION);
  const { id, options } = begun.data!.beginPasskeyRegistration;
  const response = await bed.browser.create(options);
  const finished = await c.request(FINISH_PASSKEY_REGISTRATION, {
    input: { challengeId: id, response, name },
  });
  const passkey = finished.data?.finishPasskeyRegistration;
  if (!passkey)
    throw new Error(`finishPasskeyRegistration failed: ${JSON.stringify(finished.errors)}`);
  return { client: c, passkey, ...signedUp };
}

/** An assertion from the browser for a challenge of `purpose`. */
async function assertion(
  c: TestClient,
  purpose: 'SIGN_IN' | 'SECOND_FACTOR' | 'REAUTHENTICATE' | 'RESET',
  challenge?: string,
  tamper: (options: Record<string, unknown>) => Record<string, unknown> = (o) => o,
) {
  const begun = await c.request(BEGIN_PASSKEY_ASSERTION, { purpose, challenge });
  const { id, options } = begun.data!.beginPasskeyAssertion;
  return {
    challengeId: id,
    response: await bed.browser.get(tamper(options as Record<string, unknown>)),
  };
}

describe.skipIf(!hasChromium)('passkeys in Chromium', () => {
  it('registration needs a verified address', async () => {
    const c = bed.client();
    await signUp(c);
    expect(errorCode(await c.request(BEGIN_PASSKEY_REGISTRATION))).toBe('EMAIL_NOT_VERIFIED');
  });

  it('registers a passkey: listed, two-step on, recovery codes made, other sessions ended, event written', async () => {
    await bed.browser.newAuthenticator();
    const c = bed.client();
    const { account, user } = await signUp(c);
    await verifyAddress(bed.server, user.id);
    const other = bed.client();
    expect((await passwordStep(other, account)).response.errors).toBeUndefined();
    const { id, options } = (await c.request(BEGIN_PASSKEY_REGISTRATION)).data!
      .beginPasskeyRegistration;
    const publicKey = options as {
      challenge: string;
      rp: { id: string };
      authenticatorSelection: Record<string, string>;
    };
    // 32 bytes of challenge, our relying party, and a verified, discoverable credential asked for.
    expect(Buffer.from(publicKey.challenge, 'base64url')).toHaveLength(32);
    expect(publicKey.rp.id).toBe('localhost');
    expect(publicKey.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      userVerification: 'required',
    });
    const response = await bed.browser.create(options);
    const finished = await c.request(FINISH_PASSKEY_REGISTRATION, {
      input: { challengeId: id, response, name: 'Work laptop' },
    });
    expect(finished.data?.finishPasskeyRegistration).toMatchObject({
      name: 'Work laptop',
      lastUsedAt: null,
    });
    const listed = await c.request(PASSKEYS);
    expect(listed.data?.passkeys.map((p) => p.name)).toEqual(['Work laptop']);
    expect(listed.data?.me?.twoFactorEnabled).toBe(true);
    expect((await other.request(FACTOR_STATE)).data?.session).toBeNull();
    const { prisma } = bed.server.booted.db;
    expect(await prisma.recoveryCode.count({ where: { userId: user.id } })).toBe(10);
    expect(
      await prisma.securityEvent.count({ where: { userId: user.id, kind: 'PASSKEY_ADDED' } }),
    ).toBe(1);
    // The same registration answer again: its challenge is spent.
    const again = await c.request(FINISH_PASSKEY_REGISTRATION, {
      input: { challengeId: id, response },
    });
    expect(errorCode(again)).toBe('INVALID_OTP');
  });

  it('signs in with the passkey alone, as [PASSKEY]', async () => {
    const { user } = await accountWithPasskey();
    const c = bed.client();
    const { id, options } = (await c.request(BEGIN_PASSKEY_SIGN_IN)).data!.beginPasskeySignIn;
    const response = await bed.browser.get(options);
    const res = await c.request(FINISH_PASSKEY_SIGN_IN, { input: { challengeId: id, response } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.finishPasskeySignIn).toMatchObject({
      user: { id: user.id },
      session: { methods: ['PASSKEY'] },
    });
    expect((await c.request(PASSKEYS)).data?.passkeys[0]?.lastUsedAt).not.toBeNull();
  });

  it('a challenge cannot be answered twice', async () => {
    await accountWithPasskey();
    const c = bed.client();
    const { id, options } = (await c.request(BEGIN_PASSKEY_SIGN_IN)).data!.beginPasskeySignIn;
    const response = await bed.browser.get(options);
    expect(
      (await c.request(FINISH_PASSKEY_SIGN_IN, { input: { challengeId: id, response } })).errors,
    ).toBeUndefined();
    const replay = await bed.client().request(FINISH_PASSKEY_SIGN_IN, {
      input: { challengeId: id, response },
    });
    expect(errorCode(replay)).toBe('INVALID_OTP');
  });

  it('serves as the second step after a password, as [PASSWORD, PASSKEY]', async () => {
    const { account } = await accountWithPasskey();
    const c = bed.client();
    const step = await passwordStep(c, account);
    expect(step.code).toBe('SECOND_FACTOR_REQUIRED');
    expect(step.methods).toEqual(['PASSKEY', 'RECOVERY_CODE']);
    const passkey = await assertion(c, 'SECOND_FACTOR', step.challenge);
    const res = await c.request(VERIFY_SECOND_FACTOR, {
      input: { challenge: step.challenge, passkey },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?.verifySecondFactor.session.methods).toEqual(['PASSWORD', 'PASSKEY']);
  });

  it('an assertion counts only for its purpose: a sign-in answer is no second step', async () => {
    const { account } = await accountWithPasskey();
    const c = bed.client();
    const step = await passwordStep(c, account);
    const passkey = await assertion(c, 'SIGN_IN');
    const res = await c.request(VERIFY_SECOND_FACTOR, {
      input: { challenge: step.challenge, passkey },
    });
    expect(errorCode(res)).toBe('INVALID_CREDENTIALS');
    expect(c.sessionValue).toBeUndefined();
  });

  it("re-authenticates with the session user's passkey, and refuses another user's", async () => {
    const victim = await accountWithPasskey('Victim key');
    bed.clock.advance(11 * MINUTE);
    const own = await assertion(victim.client, 'REAUTHENTICATE');
    const ok = await victim.client.request(REAUTHENTICATE, { input: { passkey: own } });
    expect(ok.data?.reauthenticate).toMatchObject({
      methods: ['PASSKEY'],
      authenticatedAt: bed.clock.now().toISOString(),
    });

    // A thief holding the victim's cookie, answering with a passkey of their own account.
    bed.clock.advance(11 * MINUTE);
    await accountWithPasskey('Thief key');
    const thief = victim.client.clone();
    const theirs = await assertion(thief, 'REAUTHENTICATE', undefined, (o) => ({
      ...o,
      allowCredentials: [],
    }));
    const refused = await thief.request(REAUTHENTICATE, { input: { passkey: theirs } });
    expect(errorCode(refused)).toBe('INVALID_CREDENTIALS');
  });

  it('renames and removes; removing the last factor turns two-step off and drops the recovery codes', async () => {
    const { client: c, passkey, user, account } = await accountWithPasskey();
    const renamed = await c.request(RENAME_PASSKEY, { id: passkey.id, name: '  Phone  ' });
    expect(renamed.data?.renamePasskey.name).toBe('Phone');
    bed.clock.advance(11 * MINUTE);
    expect(errorCode(await c.request(REMOVE_PASSKEY, { id: passkey.id }))).toBe(
      'REAUTHENTICATION_REQUIRED',
    );
    const own = await assertion(c, 'REAUTHENTICATE');
    expect((await c.request(REAUTHENTICATE, { input: { passkey: own } })).errors).toBeUndefined();
    expect((await c.request(REMOVE_PASSKEY, { id: passkey.id })).data?.removePasskey).toBe(true);
    const listed = await c.request(PASSKEYS);
    expect(listed.data?.passkeys).toEqual([]);
    expect(listed.data?.me?.twoFactorEnabled).toBe(false);
    const { prisma } = bed.server.booted.db;
    expect(await prisma.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect(
      await prisma.securityEvent.count({ where: { userId: user.id, kind: 'PASSKEY_REMOVED' } }),
    ).toBe(1);
    expect((await passwordStep(bed.client(), account)).response.errors).toBeUndefined();
    expect(errorCode(await c.request(REMOVE_PASSKEY, { id: passkey.id }))).toBe('NOT_FOUND');
  });

  it('resets the password with the passkey as the second factor', async () => {
    const { account } = await accountWithPasskey();
    const c = bed.client();
    const otp = await requestCode(c, bed.smtp, account.email);
    const newPassword = 'reset-by-passkey-123';
    const bare = await c.request(RESET_WITH_FACTOR, {
      input: { email: account.email, otp, newPassword },
    });
    expect(errorCode(bare)).toBe('SECOND_FACTOR_REQUIRED');
    const challenge = bare.errors?.[0]?.extensions?.challenge as string;
    const passkey = await assertion(c, 'RESET', challenge);
    const done = await c.request(RESET_WITH_FACTOR, {
      input: { email: account.email, otp, newPassword, passkey },
    });
    expect(done.errors).toBeUndefined();
    expect(done.data?.resetPassword.session.methods).toEqual(['EMAIL_CODE', 'PASSKEY']);
  });
});
