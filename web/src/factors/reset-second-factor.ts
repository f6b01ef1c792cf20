import type { ResetInput } from '../api/account.js';
import type { ApiError } from '../api/client.js';
import { resetPasswordWithFactor } from '../api/factors.js';
import { h } from '../ui/dom.js';
import { authCard, link } from '../ui/layout.js';
import type { AppContext } from '../views/types.js';
import { factorChoices, wrongFactor } from './second-factor.js';
import { assertPasskey } from './webauthn.js';

/**
 * The second step of a password reset for an account with a second factor (API.md "Reset with a
 * second factor"): the mailed code proves the address, not the person. The code or link token and the
 * new password stay in this closure only (never in the address or storage); the server kept the code
 * usable, so the same reset is sent again with the factor.
 */
export function resetSecondFactor(
  error: ApiError,
  reset: ResetInput,
  context: AppContext,
): HTMLElement {
  const methods = error.extensions.methods ?? [];
  const challenge = error.extensions.challenge;
  const { totpForm, passkeyOption, recovery } = factorChoices({
    methods,
    passkey: () => assertPasskey('RESET', challenge),
    async submit(factor) {
      try {
        await resetPasswordWithFactor({ ...reset, ...factor });
      } catch (refused) {
        throw wrongFactor(
          refused,
          'That code is not right. Try again, or ask for a new e-mail if this one has expired.',
        );
      }
      await context.signedIn({
        notice: {
          tone: 'success',
          text: 'Password changed. Every other device has been signed out.',
        },
      });
    },
  });
  return authCard(
    'Confirm it’s you',
    totpForm
      ? 'The e-mail checks out. Your account also has two-step sign-in: enter the code from your authenticator app to finish choosing your new password.'
      : 'The e-mail checks out. Your account also has two-step sign-in: confirm it’s you with your passkey to finish choosing your new password.',
    null,
    totpForm,
    passkeyOption,
    recovery,
    h('p', { class: 'switch' }, link('forgot', 'Start again')),
  );
}
