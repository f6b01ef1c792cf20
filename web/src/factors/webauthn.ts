import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  WebAuthnError,
} from '@simplewebauthn/browser';
import { ApiError } from '../api/client.js';
import {
  beginPasskeyAssertion,
  beginPasskeyRegistration,
  type PasskeyAssertion,
  type PasskeyPurpose,
} from '../api/factors.js';

/** The browser half of passkeys: @simplewebauthn/browser around the server's challenges. */

export const passkeysSupported = () => browserSupportsWebAuthn();

/** The person closed the browser's passkey prompt, or another ceremony replaced this one. */
const CANCELLED = new Set(['NotAllowedError', 'AbortError']);

export function isCancelled(error: unknown): boolean {
  if (error instanceof WebAuthnError)
    return error.code === 'ERROR_CEREMONY_ABORTED' || CANCELLED.has(error.name);
  return error instanceof Error && CANCELLED.has(error.name);
}

/** The browser's words for a failed ceremony, as an ApiError forms can show. */
function browserError(error: unknown, what: string): ApiError {
  if (isCancelled(error)) return new ApiError(`${what} was cancelled.`, 'PASSKEY_CANCELLED');
  if (error instanceof WebAuthnError && error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED')
    return new ApiError('This device already holds a passkey for your account.', error.code);
  return new ApiError(
    `${what} did not work: ${error instanceof Error ? error.message : String(error)}`,
    'PASSKEY_FAILED',
  );
}

/** A new credential for the signed-in viewer, to hand to finishPasskeyRegistration. */
export async function createPasskey() {
  const { id, options } = await beginPasskeyRegistration();
  try {
    return { challengeId: id, response: await startRegistration({ optionsJSON: options }) };
  } catch (error) {
    throw browserError(error, 'Creating the passkey');
  }
}

/** An assertion for a challenge of `purpose` (with a SECOND_FACTOR_REQUIRED challenge for that step). */
export async function assertPasskey(
  purpose: PasskeyPurpose,
  challenge?: string,
): Promise<PasskeyAssertion> {
  const { id, options } = await beginPasskeyAssertion(purpose, challenge);
  try {
    return { challengeId: id, response: await startAuthentication({ optionsJSON: options }) };
  } catch (error) {
    throw browserError(error, 'Using the passkey');
  }
}
