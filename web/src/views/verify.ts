import { ApiError } from '../api/client.js';
import { optional, resendEmailVerification, verifyEmail } from '../api/lifecycle.js';
import { h } from '../ui/dom.js';
import { field, form, messages, text } from '../ui/forms.js';
import { authCard, link } from '../ui/layout.js';
import type { AppContext, View } from './types.js';

/** The code from a mailed link, kept in memory while the visitor signs in first. */
let pendingCode = '';

export const verifyView: View = {
  title: 'Verify your e-mail address',
  access: 'any',
  render(context: AppContext) {
    pendingCode = context.params.get('code') ?? pendingCode;
    const me = context.me;
    if (!me) {
      return authCard(
        'Verify your e-mail address',
        'Sign in first, then we will verify your address with the code from your e-mail.',
        context.notice,
        h(
          'p',
          {},
          h('a', { class: 'button primary', href: '#sign-in?next=verify' }, 'Sign in to continue'),
        ),
      );
    }
    const resent = messages();
    const verifyForm = form({
      label: 'Verify your e-mail address',
      fields: [
        field({
          name: 'code',
          label: 'Verification code',
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          pattern: '[0-9]{8}',
          spellcheck: false,
          hint: `8 digits, from the e-mail we sent to ${me.email}.`,
          value: pendingCode,
        }),
      ],
      submit: 'Verify address',
      async onSubmit(data) {
        try {
          await verifyEmail(text(data, 'code'));
        } catch (error) {
          if (error instanceof ApiError && error.code === 'INVALID_OTP')
            throw new ApiError(`${error.message} You can ask for a new one below.`, error.code, {
              field: 'code',
            });
          throw error;
        }
        pendingCode = '';
        context.go('account', { notice: { tone: 'success', text: `${me.email} is verified.` } });
      },
    });
    const resend = h('button', { type: 'button', class: 'button link' }, 'Send a new code');
    resend.addEventListener('click', () => {
      resent.clear();
      optional(resendEmailVerification())
        .then((sent) =>
          resent.ok(
            sent === undefined
              ? 'This server does not verify addresses.'
              : `A new code is on its way to ${me.email}.`,
          ),
        )
        .catch(resent.fail);
    });
    return authCard(
      'Verify your e-mail address',
      'Verified addresses get security notices and can turn on two-step sign-in.',
      context.notice,
      verifyForm.element,
      h('p', { class: 'switch' }, 'No e-mail? ', resend),
      resent.element,
      h('p', { class: 'switch' }, link('account', 'Back to your account')),
    );
  },
};
