import { generateHOTP } from '@oslojs/otp';
import { graphql } from '../generated/index.js';
import type { TestClient } from './client.js';
import type { TestClock } from './clock.js';
import type { TestServer } from './server.js';

/** Second factors from the client's side: documents, an authenticator app, and enrolment. */

export const BEGIN_TOTP = graphql(`
  mutation BeginTotp { beginTotpEnrollment { secret uri } }
`);

export const CONFIRM_TOTP = graphql(`
  mutation ConfirmTotp($input: TotpCodeInput!) { confirmTotpEnrollment(input: $input) }
`);

export const DISABLE_TOTP = graphql(`
  mutation DisableTotp { disableTotp }
`);

export const REGENERATE_CODES = graphql(`
  mutation RegenerateCodes { regenerateRecoveryCodes }
`);

export const VERIFY_SECOND_FACTOR = graphql(`
  mutation VerifySecondFactor($input: SecondFactorInput!) {
    verifySecondFactor(input: $input) { user { id twoFactorEnabled } session { id methods authenticatedAt } }
  }
`);

export const FACTOR_STATE = graphql(`
  query FactorState { me { id twoFactorEnabled } session { id methods authenticatedAt } }
`);

export const REAUTHENTICATE = graphql(`
  mutation ReauthenticateWithFactor($input: ReauthenticateInput!) {
    reauthenticate(input: $input) { id authenticatedAt methods }
  }
`);

export const RESET_WITH_FACTOR = graphql(`
  mutation ResetWithFactor($input: ResetPasswordInput!) {
    resetPassword(input: $input) { user { id } session { id methods } }
  }
`);

export const SIGN_IN_STEP = graphql(`
  mutation SignInStep($input: SignInInput!) { signIn(input: $input) { session { id methods } } }
`);

const STEP_MS = 30_000;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function decodeBase32(text: string): Uint8Array {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text.replace(/=+$/, '')) {
    value = (value << 5) | BASE32.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

/** What an authenticator app shows at `at`, `steps` time steps away (RFC 6238: SHA-1, 6 digits, 30 s). */
export function totpCode(secret: string, at: Date, steps = 0): string {
  const step = BigInt(Math.floor(at.getTime() / STEP_MS) + steps);
  return generateHOTP(decodeBase32(secret), step, 6);
}

/** Marks the address verified, as the e-mail helper's verifyEmail will (and drops cached copies). */
export async function verifyAddress(server: TestServer, userId: string): Promise<void> {
  await server.booted.db.prisma.user.update({
    where: { id: userId },
    data: { emailVerifiedAt: new Date() },
  });
  await server.booted.app.services.sessions.userChanged(userId);
}

/** Turns TOTP on for the client's (verified, recently authenticated) account; the clock moves one step on. */
export async function enableTotp(client: TestClient, clock: TestClock) {
  const begun = await client.request(BEGIN_TOTP);
  const secret = begun.data?.beginTotpEnrollment.secret;
  if (!secret) throw new Error(`beginTotpEnrollment failed: ${JSON.stringify(begun.errors)}`);
  const confirmed = await client.request(CONFIRM_TOTP, {
    input: { code: totpCode(secret, clock.now()) },
  });
  const codes = confirmed.data?.confirmTotpEnrollment;
  if (!codes) throw new Error(`confirmTotpEnrollment failed: ${JSON.stringify(confirmed.errors)}`);
  // The step just used is spent: the next code a test types comes from the next one.
  clock.advance(STEP_MS);
  return { secret, codes };
}

/** The SECOND_FACTOR_REQUIRED answer to a right password: its challenge and methods. */
export async function passwordStep(
  client: TestClient,
  by: { email: string; password: string; keepSignedIn?: boolean },
) {
  const response = await client.request(SIGN_IN_STEP, {
    input: { email: by.email, password: by.password, keepSignedIn: by.keepSignedIn ?? false },
  });
  const extensions = response.errors?.[0]?.extensions ?? {};
  return {
    response,
    code: extensions.code,
    challenge: extensions.challenge as string,
    methods: extensions.methods as string[],
  };
}

export const TOTP_STEP_MS = STEP_MS;

export const BEGIN_PASSKEY_REGISTRATION = graphql(`
  mutation BeginPasskeyRegistration { beginPasskeyRegistration { id options } }
`);

export const FINISH_PASSKEY_REGISTRATION = graphql(`
  mutation FinishPasskeyRegistration($input: FinishPasskeyRegistrationInput!) {
    finishPasskeyRegistration(input: $input) { id name createdAt lastUsedAt }
  }
`);

export const PASSKEYS = graphql(`
  query Passkeys { passkeys { id name createdAt lastUsedAt } me { id twoFactorEnabled } }
`);

export const RENAME_PASSKEY = graphql(`
  mutation RenamePasskey($id: ID!, $name: String!) { renamePasskey(id: $id, name: $name) { id name } }
`);

export const REMOVE_PASSKEY = graphql(`
  mutation RemovePasskey($id: ID!) { removePasskey(id: $id) }
`);

export const BEGIN_PASSKEY_SIGN_IN = graphql(`
  mutation BeginPasskeySignIn { beginPasskeySignIn { id options } }
`);

export const BEGIN_PASSKEY_ASSERTION = graphql(`
  mutation BeginPasskeyAssertion($purpose: PasskeyPurpose!, $challenge: String) {
    beginPasskeyAssertion(purpose: $purpose, challenge: $challenge) { id options }
  }
`);

export const FINISH_PASSKEY_SIGN_IN = graphql(`
  mutation FinishPasskeySignIn($input: PasskeySignInInput!) {
    finishPasskeySignIn(input: $input) { user { id } session { id methods } }
  }
`);
