import { ApiError } from '../api/client.js';
import { type PasskeyAssertion, verifySecondFactor } from '../api/factors.js';
import { h } from '../ui/dom.js';
import { field, form, showError, text } from '../ui/forms.js';
import { authCard, link } from '../ui/layout.js';
import type { AppContext, RouteName, View } from '../views/types.js';
import { assertPasskey } from './webauthn.js';

/**
 * The second step after a right password (SECOND_FACTOR_REQUIRED): a code from the authenticator
 * app, a passkey, or a recovery code, as `extensions.methods` allows. The challenge stays in memory
 * only, never in the address: it is half a sign-in.
 */

interface Pending {
  challenge: string;
  methods: string[];
  keepSignedIn: boolean;
  next: RouteName | undefined;
}
let pending: Pending | null = null;

/** extensions.secondFactor: keeps the challenge and opens the step. */
export function startSecondFactor(error: ApiError, context: AppContext, keepSignedIn: boolean) {
  const next = context.params.get('next');
  pending = {
    challenge: error.extensions.challenge ?? '',
    methods: error.extensions.methods ?? [],
    keepSignedIn,
    next: next === 'verify' || next === 'confirm-email' ? next : undefined,
  };
  context.go('second-factor');
}

const RESTART = 'Sign in again';

export const secondFactorView: View = {
  title: 'Two-step sign-in',
  access: 'guest',
  render(context: AppContext) {
    const step = pending;
    if (!step)
      return authCard(
        'Two-step sign-in',
        'This step has ended. Sign in again with your password to continue.',
        context.notice,
        h('p', {}, h('a', { class: 'button primary', href: '#sign-in' }, RESTART)),
      );
    const done = async (factor: Factor) => {
      try {
        await verifySecondFactor({ challenge: step.challenge, ...factor });
      } catch (error) {
        throw wrongFactor(
          error,
          'That code is not right, or this sign-in has expired. Try again, or sign in again from the start.',
        );
      }
      pending = null;
      await context.signedIn(step.next ? { next: step.next } : {});
    };
    const { totpForm, passkeyOption, recovery } = factorChoices({
      methods: step.methods,
      passkey: () => assertPasskey('SECOND_FACTOR', step.challenge),
      submit: done,
    });

    return authCard(
      'Two-step sign-in',
      totpForm
        ? 'Your password was right. Now enter the code from your authenticator app.'
        : 'Your password was right. Now confirm it’s you with your passkey.',
      context.notice,
      totpForm,
      passkeyOption,
      recovery,
      h('p', { class: 'switch' }, link('sign-in', 'Start again')),
    );
  },
};

/** One factor of the second step, as verifySecondFactor and resetPassword both take it. */
export type Factor = { totp: string } | { recoveryCode: string } | { passkey: PasskeyAssertion };

/** A refused code as a message beside the step's code field; anything else as it came. */
export function wrongFactor(error: unknown, message: string): unknown {
  if (error instanceof ApiError && error.code === 'INVALID_OTP')
    return new ApiError(message, error.code, { field: 'code' });
  return error;
}

/**
 * The ways to answer a second step that `methods` allows: the app's code (the main form when the
 * app is on), a passkey, a recovery code folded away. `submit` makes the request; its errors show
 * beside the form or button that sent it.
 */
export function factorChoices(step: {
  methods: string[];
  passkey: () => Promise<PasskeyAssertion>;
  submit: (factor: Factor) => Promise<void>;
}) {
  const totpForm = step.methods.includes('TOTP')
    ? form({
        label: 'Code from your authenticator app',
        fields: [
          field({
            name: 'code',
            label: 'Authenticator code',
            inputmode: 'numeric',
            autocomplete: 'one-time-code',
            pattern: '[0-9]{6}',
            spellcheck: false,
            hint: 'The 6 digits your app shows for sessiongraph.',
          }),
        ],
        submit: 'Verify',
        onSubmit: (data) => step.submit({ totp: text(data, 'code').replaceAll(' ', '') }),
      }).element
    : null;

  const passkeyStatus = h('div', { class: 'message error', role: 'alert' });
  const passkeyButton = h(
    'button',
    { type: 'button', class: totpForm ? 'button secondary wide' : 'button primary wide' },
    'Use a passkey',
  );
  passkeyButton.addEventListener('click', async () => {
    passkeyStatus.textContent = '';
    try {
      await step.submit({ passkey: await step.passkey() });
    } catch (error) {
      showError({ error: (message) => (passkeyStatus.textContent = message) }, error);
    }
  });
  const passkeyOption = step.methods.includes('PASSKEY')
    ? h(
        'div',
        { class: 'passkey-option' },
        totpForm ? h('p', { class: 'divider' }, h('span', {}, 'or')) : null,
        passkeyButton,
        h('div', { class: 'messages' }, passkeyStatus),
      )
    : null;

  const recoveryForm = form({
    label: 'Recovery code',
    fields: [
      field({
        name: 'code',
        label: 'Recovery code',
        autocomplete: 'off',
        spellcheck: false,
        hint: 'One of the codes you saved, such as abcd-efgh-jkmn. Each works once.',
      }),
    ],
    submit: 'Use recovery code',
    variant: 'secondary',
    onSubmit: (data) => step.submit({ recoveryCode: text(data, 'code') }),
  });
  const recovery = step.methods.includes('RECOVERY_CODE')
    ? h(
        'details',
        { class: 'more-options' },
        h('summary', {}, 'Use a recovery code instead'),
        recoveryForm.element,
      )
    : null;
  return { totpForm, passkeyOption, recovery };
}
