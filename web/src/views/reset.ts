import { resetPassword } from '../api/account.js';
import { ApiError } from '../api/client.js';
import { extensions } from '../extensions.js';
import { h } from '../ui/dom.js';
import { checkbox, checked, field, form, secret, text } from '../ui/forms.js';
import { authCard, link } from '../ui/layout.js';
import type { AppContext, View } from './types.js';

export const resetView: View = {
  title: 'Choose a new password',
  access: 'any',
  render(context: AppContext) {
    const token = context.params.get('token') ?? '';
    const resetForm = form({
      label: 'Choose a new password',
      fields: [
        field({
          name: 'email',
          label: 'E-mail',
          type: 'email',
          autocomplete: 'email',
          spellcheck: false,
          value: context.params.get('email') ?? '',
        }),
        // The mailed link carries a 22-character token in place of the 6 digits: nothing to type.
        token
          ? h('input', { type: 'hidden', name: 'otp', value: token })
          : field({
              name: 'otp',
              label: 'Code from the e-mail',
              inputmode: 'numeric',
              autocomplete: 'one-time-code',
              spellcheck: false,
              pattern: '[0-9]{6}',
              hint: '6 digits.',
            }),
        field({
          name: 'newPassword',
          label: 'New password',
          type: 'password',
          autocomplete: 'new-password',
          minlength: 8,
          maxlength: 256,
          hint: 'At least 8 characters.',
        }),
        checkbox('keepSignedIn', 'Keep me signed in'),
      ],
      submit: 'Reset password',
      async onSubmit(data) {
        const reset = {
          email: text(data, 'email'),
          otp: text(data, 'otp'),
          newPassword: secret(data, 'newPassword'),
          keepSignedIn: checked(data, 'keepSignedIn'),
        };
        try {
          await resetPassword(reset);
        } catch (error) {
          if (error instanceof ApiError && error.code === 'SECOND_FACTOR_REQUIRED') {
            if (!extensions.resetSecondFactor)
              throw new ApiError(
                'This account needs a second factor, which this page cannot ask for yet.',
                error.code,
              );
            // The code was right and stays usable: the step replaces the form, keeping what was typed.
            card.replaceWith(extensions.resetSecondFactor(error, reset, context));
            document.getElementById('view-title')?.focus();
            return;
          }
          if (error instanceof ApiError && error.code === 'INVALID_OTP')
            throw new ApiError(
              `${error.message} Ask for a new code if it has expired.`,
              error.code,
              {
                ...error.extensions,
                field: 'otp',
              },
            );
          throw error;
        }
        await context.signedIn({
          notice: {
            tone: 'success',
            text: 'Password changed. Every other device has been signed out.',
          },
        });
      },
    });
    const card = authCard(
      'Choose a new password',
      token
        ? 'Choose a new password for your account. Every device signed in to it will be signed out.'
        : 'Enter the code we e-mailed you and a new password. Every device signed in to the account will be signed out.',
      context.notice,
      resetForm.element,
      h('p', { class: 'switch' }, 'No code? ', link('forgot', 'Send a new one')),
    );
    return card;
  },
};
