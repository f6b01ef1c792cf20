import { forgetPassword } from '../api/account.js';
import { h } from '../ui/dom.js';
import { field, form, text } from '../ui/forms.js';
import { authCard, link } from '../ui/layout.js';
import type { AppContext, View } from './types.js';

export const forgotView: View = {
  title: 'Forgot your password?',
  access: 'any',
  render(context: AppContext) {
    const forgotForm = form({
      label: 'Forgot your password?',
      fields: [
        field({
          name: 'email',
          label: 'E-mail',
          type: 'email',
          autocomplete: 'email',
          spellcheck: false,
          value: context.params.get('email') ?? context.me?.email ?? '',
        }),
      ],
      submit: 'Send me a code',
      async onSubmit(data) {
        const email = text(data, 'email');
        await forgetPassword(email);
        // The server answers the same for every address: so does the page.
        context.go('reset', {
          params: { email },
          notice: {
            tone: 'info',
            text: `If ${email} has an account, a 6-digit code is on its way. It is valid for 15 minutes.`,
          },
        });
      },
    });
    return authCard(
      'Forgot your password?',
      'Enter the address of your account and we will e-mail you a code to choose a new password.',
      context.notice,
      forgotForm.element,
      h('p', { class: 'switch' }, 'Remembered it? ', link('sign-in', 'Back to sign in')),
    );
  },
};
