import { describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.js';
import { localhostBed } from '../support/beds.js';
import { errorCode, type TestClient } from '../support/client.js';
import { SECOND } from '../support/clock.js';
import {
  CHANGE_CODE_SUBJECT,
  CONFIRM_EMAIL_CHANGE,
  emailCodeIn,
  mailTo,
  REQUEST_EMAIL_CHANGE,
  signUpVerified,
} from '../support/email.js';
import {
  BEGIN_PASSKEY_REGISTRATION,
  DISABLE_TOTP,
  enableTotp,
  FINISH_PASSKEY_REGISTRATION,
  passwordStep,
  REGENERATE_CODES,
  REMOVE_PASSKEY,
  VERIFY_SECOND_FACTOR,
} from '../support/factors.js';
import { newAccount, signIn, signUp } from '../support/flows.js';
import { CHANGE_PASSWORD, LOGOUT, REVOKE_SESSION } from '../support/operations.js';
import { RESET_PASSWORD, requestCode } from '../support/recovery.js';
import { hasChromium, PasskeyBrowser } from '../support/webauthn.js';

/**
 * The security log end to end (API.md, SecurityEventKind): one account walked through every change
 * the log records, each recorded once, by one code path, in the order the changes happened. Two
 * helpers once both recorded sign-ins, sign-outs and revocations; a duplicate shows up here.
 */

const LOG = graphql(`
  query WalkSecurityLog {
    securityEvents(first: 100) { edges { node { kind at sessionId } } }
  }
`);
const DISABLE = graphql(`
  mutation WalkDisableUser($input: DisableUserInput!) { disableUser(input: $input) { id } }
`);
const ENABLE = graphql(`
  mutation WalkEnableUser($userId: ID!) { enableUser(userId: $userId) { id } }
`);
const SESSION_ID = graphql(`
  query WalkSessionId { session { id } }
`);

if (!hasChromium) console.warn('security log walk skipped: /usr/bin/chromium not found');

const bed = localhostBed((origin) => PasskeyBrowser.open(origin));

/** Each step a second after the last, so the log's order (newest first, by time) is the walk's. */
const step = () => bed.clock.advance(SECOND);

const sessionIdOf = async (c: TestClient) => (await c.request(SESSION_ID)).data?.session?.id;

describe.skipIf(!hasChromium)('the security log of one account, walked end to end', () => {
  it('records each change once, in the order they happened; a revocation names the session it ended', async () => {
    const owner = bed.client();
    const { account, user } = await signUpVerified(owner, bed.smtp);
    // One group per step: a step's events carry one time (the test clock stands still within it).
    const expected: string[][] = [['SIGN_IN', 'EMAIL_VERIFIED']];

    step();
    const laptop = bed.client();
    expect(
      (await signIn(laptop, { email: account.email, password: account.password })).errors,
    ).toBeUndefined();
    expected.push(['SIGN_IN']);

    step();
    const wrong = await signIn(bed.client(), {
      email: account.email,
      password: 'not the password',
    });
    expect(errorCode(wrong)).toBe('INVALID_CREDENTIALS');
    // Written off the request's path; written now rather than at the next batch.
    await bed.server.booted.app.services.failedSignIns.flush();
    expected.push(['SIGN_IN_FAILED']);

    step();
    const { codes } = await enableTotp(owner, bed.clock);
    expected.push(['TWO_FACTOR_ENABLED']);

    step();
    const phone = bed.client();
    const { challenge } = await passwordStep(phone, account);
    const second = await phone.request(VERIFY_SECOND_FACTOR, {
      input: { challenge, recoveryCode: codes[0] ?? '' },
    });
    expect(second.errors).toBeUndefined();
    expected.push(['RECOVERY_CODE_USED', 'SIGN_IN']);

    step();
    await bed.browser.newAuthenticator();
    const begun = await owner.request(BEGIN_PASSKEY_REGISTRATION);
    const registration = begun.data?.beginPasskeyRegistration;
    const added = await owner.request(FINISH_PASSKEY_REGISTRATION, {
      input: {
        challengeId: registration?.id ?? '',
        response: await bed.browser.create(registration?.options),
        name: 'Laptop',
      },
    });
    const passkeyId = added.data?.finishPasskeyRegistration.id ?? '';
    expect(added.errors).toBeUndefined();
    expected.push(['PASSKEY_ADDED']);

    step();
    expect((await owner.request(REMOVE_PASSKEY, { id: passkeyId })).errors).toBeUndefined();
    expected.push(['PASSKEY_REMOVED']);

    step();
    expect((await owner.request(REGENERATE_CODES)).errors).toBeUndefined();
    expected.push(['RECOVERY_CODES_REGENERATED']);

    step();
    const newEmail = newAccount().email;
    const asked = bed.smtp.mark();
    expect(
      (await owner.request(REQUEST_EMAIL_CHANGE, { input: { newEmail } })).data?.requestEmailChange,
    ).toBe(true);
    const code = emailCodeIn(await mailTo(bed.smtp, newEmail, CHANGE_CODE_SUBJECT, asked));
    expect((await owner.request(CONFIRM_EMAIL_CHANGE, { input: { code } })).errors).toBeUndefined();
    expected.push(['EMAIL_CHANGED']);

    step();
    const newPassword = 'a changed password for the walk';
    const changed = await owner.request(CHANGE_PASSWORD, {
      input: { currentPassword: account.password, newPassword },
    });
    expect(changed.errors).toBeUndefined();
    expected.push(['PASSWORD_CHANGED']);

    step();
    expect((await owner.request(DISABLE_TOTP)).data?.disableTotp).toBe(true);
    expected.push(['TWO_FACTOR_DISABLED']);

    step();
    const admin = bed.client();
    const { account: adminAccount, user: adminUser } = await signUp(bed.client());
    await bed.server.booted.db.prisma.user.update({
      where: { id: adminUser.id },
      data: { role: 'ADMIN' },
    });
    await signIn(admin, { email: adminAccount.email, password: adminAccount.password });
    expect((await admin.request(DISABLE, { input: { userId: user.id } })).errors).toBeUndefined();
    expected.push(['ACCOUNT_DISABLED']);
    step();
    expect((await admin.request(ENABLE, { userId: user.id })).errors).toBeUndefined();
    expected.push(['ACCOUNT_ENABLED']);

    step();
    const back = bed.client();
    expect((await signIn(back, { email: newEmail, password: newPassword })).errors).toBeUndefined();
    expected.push(['SIGN_IN']);
    step();
    const tablet = bed.client();
    expect(
      (await signIn(tablet, { email: newEmail, password: newPassword })).errors,
    ).toBeUndefined();
    expected.push(['SIGN_IN']);
    step();
    const tabletSession = (await sessionIdOf(tablet)) ?? '';
    expect((await back.request(REVOKE_SESSION, { id: tabletSession })).data?.revokeSession).toBe(
      true,
    );
    expected.push(['SESSION_REVOKED']);

    step();
    expect((await back.request(LOGOUT)).data?.logout).toBe(true);
    expected.push(['SIGN_OUT']);

    step();
    const otp = await requestCode(bed.client(), bed.smtp, newEmail);
    const resetter = bed.client();
    const reset = await resetter.request(RESET_PASSWORD, {
      input: { email: newEmail, otp, newPassword: 'a reset password for the walk' },
    });
    expect(reset.errors).toBeUndefined();
    expected.push(['PASSWORD_RESET']);

    const log = (await resetter.request(LOG)).data?.securityEvents.edges.map((edge) => edge.node);
    const steps = new Map<string, string[]>();
    for (const event of [...(log ?? [])].reverse())
      steps.set(event.at, [...(steps.get(event.at) ?? []), event.kind]);
    const sorted = (groups: Iterable<string[]>) => [...groups].map((kinds) => [...kinds].sort());
    expect(sorted(steps.values())).toEqual(sorted(expected));
    // The ends of sessions name the session they ended.
    const revoked = log?.find((event) => event.kind === 'SESSION_REVOKED');
    expect(revoked?.sessionId).toBe(tabletSession);
  });
});
