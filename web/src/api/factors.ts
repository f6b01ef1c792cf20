import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/browser';
import type { ResetInput } from './account.js';
import { gql as request } from './client.js';

/**
 * Second factors (API.md part two): an authenticator app, recovery codes, passkeys, and the second
 * step of signing in. Like lifecycle.ts, every operation probes, so a server without them only loses
 * these cards.
 */

const gql = <T = unknown>(query: string, variables: Record<string, unknown> = {}) =>
  request<T>(query, variables, { probe: true });

const AUTH = 'user { id } session { id }';

export interface TotpEnrollment {
  secret: string;
  uri: string;
}

export async function beginTotpEnrollment(): Promise<TotpEnrollment> {
  const data = await gql<{ beginTotpEnrollment: TotpEnrollment }>(
    'mutation BeginTotpEnrollment { beginTotpEnrollment { secret uri } }',
  );
  return data.beginTotpEnrollment;
}

/** Turns the app on; the ten recovery codes, which exist in clear only in this answer. */
export async function confirmTotpEnrollment(code: string): Promise<string[]> {
  const data = await gql<{ confirmTotpEnrollment: string[] }>(
    'mutation ConfirmTotpEnrollment($input: TotpCodeInput!) { confirmTotpEnrollment(input: $input) }',
    { input: { code } },
  );
  return data.confirmTotpEnrollment;
}

/** false when no app was on. */
export async function disableTotp(): Promise<boolean> {
  const data = await gql<{ disableTotp: boolean }>('mutation DisableTotp { disableTotp }');
  return data.disableTotp;
}

export async function regenerateRecoveryCodes(): Promise<string[]> {
  const data = await gql<{ regenerateRecoveryCodes: string[] }>(
    'mutation RegenerateRecoveryCodes { regenerateRecoveryCodes }',
  );
  return data.regenerateRecoveryCodes;
}

export interface Passkey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export async function loadPasskeys(): Promise<Passkey[]> {
  const { passkeys } = await gql<{ passkeys: Passkey[] }>(
    'query Passkeys { passkeys { id name createdAt lastUsedAt } }',
  );
  return passkeys;
}

export interface WebAuthnChallenge<Options> {
  id: string;
  options: Options;
}

export async function beginPasskeyRegistration(): Promise<
  WebAuthnChallenge<PublicKeyCredentialCreationOptionsJSON>
> {
  const data = await gql<{
    beginPasskeyRegistration: WebAuthnChallenge<PublicKeyCredentialCreationOptionsJSON>;
  }>('mutation BeginPasskeyRegistration { beginPasskeyRegistration { id options } }');
  return data.beginPasskeyRegistration;
}

export async function finishPasskeyRegistration(input: {
  challengeId: string;
  response: RegistrationResponseJSON;
  name?: string;
}): Promise<Passkey> {
  const data = await gql<{ finishPasskeyRegistration: Passkey }>(
    'mutation FinishPasskeyRegistration($input: FinishPasskeyRegistrationInput!) { finishPasskeyRegistration(input: $input) { id name createdAt lastUsedAt } }',
    { input },
  );
  return data.finishPasskeyRegistration;
}

export const renamePasskey = (id: string, name: string) =>
  gql(
    'mutation RenamePasskey($id: ID!, $name: String!) { renamePasskey(id: $id, name: $name) { id } }',
    {
      id,
      name,
    },
  );

export const removePasskey = (id: string) =>
  gql('mutation RemovePasskey($id: ID!) { removePasskey(id: $id) }', { id });

export type PasskeyPurpose = 'SIGN_IN' | 'SECOND_FACTOR' | 'REAUTHENTICATE' | 'RESET';

export async function beginPasskeyAssertion(
  purpose: PasskeyPurpose,
  challenge?: string,
): Promise<WebAuthnChallenge<PublicKeyCredentialRequestOptionsJSON>> {
  const data = await gql<{
    beginPasskeyAssertion: WebAuthnChallenge<PublicKeyCredentialRequestOptionsJSON>;
  }>(
    'mutation BeginPasskeyAssertion($purpose: PasskeyPurpose!, $challenge: String) { beginPasskeyAssertion(purpose: $purpose, challenge: $challenge) { id options } }',
    { purpose, challenge: challenge ?? null },
  );
  return data.beginPasskeyAssertion;
}

export interface PasskeyAssertion {
  challengeId: string;
  response: AuthenticationResponseJSON;
}

export const finishPasskeySignIn = (input: PasskeyAssertion & { keepSignedIn: boolean }) =>
  gql(
    `mutation FinishPasskeySignIn($input: PasskeySignInInput!) { finishPasskeySignIn(input: $input) { ${AUTH} } }`,
    { input },
  );

export interface SecondFactorInput {
  challenge: string;
  totp?: string;
  recoveryCode?: string;
  passkey?: PasskeyAssertion;
}

export const verifySecondFactor = (input: SecondFactorInput) =>
  gql(
    `mutation VerifySecondFactor($input: SecondFactorInput!) { verifySecondFactor(input: $input) { ${AUTH} } }`,
    { input },
  );

/** resetPassword again, with the factor its SECOND_FACTOR_REQUIRED answer asked for. */
export const resetPasswordWithFactor = (
  input: ResetInput & { totp?: string; recoveryCode?: string; passkey?: PasskeyAssertion },
) =>
  gql(
    `mutation ResetPasswordWithFactor($input: ResetPasswordInput!) { resetPassword(input: $input) { ${AUTH} } }`,
    { input },
  );
