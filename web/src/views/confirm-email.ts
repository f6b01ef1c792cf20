import { ApiError } from '../api/client.js';
import { confirmEmailChange } from '../api/lifecycle.js';
import { h } from '../ui/dom.js';
import { field, form, text } from '../ui/forms.js';
import { authCard, link } from '../ui/layout.js';
import type { AppContext, View } from './types.js';

/** The code from the link mailed to the new address, kept in memory while the visitor signs in first. */
let pendingCode = '';

/** Opened from the link mailed to the new address (`#confirm-email?code=…`): finishes the change. */
export const confirmEmailView: View = {
  title: 'Confirm your new e-mail address',
  access: 'any',
  render(context: AppContext) {
    pendingCode = context.params.get('code') ?? pendingCode;
    if (!context.me)
      return authCard(
        'Confirm your new e-mail address',
        'Sign in first, then we will switch your account to the new address with the code from your e-mail.',
        context.notice,
        h(
          'p',
          {},
          h(
            'a',
            { class: 'button primary', href: '#sign-in?next=confirm-email' },
            'Sign in to continue',
          ),
        ),
      );
    const confirmForm = form({
      label: 'Confirm your new e-mail address',
      fields: [
        field({
          name: 'code',
          label: 'Code from the e-mail',
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          pattern: '[0-9]{8}',
          spellcheck: false,
          hint: '8 digits, from the e-mail we sent to your new address.',
          value: pendingCode,
        }),
      ],
      submit: 'Confirm new address',
      async onSubmit(data) {
        let email: string;
        try {
          ({
            confirmEmailChange: { email },
          } = await confirmEmailChange(text(data, 'code')));
        } catch (error) {
          if (error instanceof ApiError && error.code === 'INVALID_OTP')
            throw new ApiError(
              `${error.message} Ask for a new one from your account.`,
              error.code,
              { field: 'code' },
            );
          throw error;
        }
        pendingCode = '';
        await context.signedIn({
          notice: {
            tone: 'success',
            text: `Your address is now ${email}. Every other device was signed out.`,
          },
        });
      },
    });
    return authCard(
      'Confirm your new e-mail address',
      'Every other device will be signed out, and your old address will get a link to undo the change.',
      context.notice,
      confirmForm.element,
      h('p', { class: 'switch' }, link('account', 'Back to your account')),
    );
  },
};
