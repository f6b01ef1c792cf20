import { signUp } from '../api/account.js';
import { loadEmailVerified, optional } from '../api/lifecycle.js';
import { h } from '../ui/dom.js';
import { checkbox, checked, field, form, secret, text } from '../ui/forms.js';
import { authCard, link } from '../ui/layout.js';
import type { AppContext, View } from './types.js';

export const signUpView: View = {
  title: 'Create an account',
  access: 'guest',
  render(context: AppContext) {
    const signUpForm = form({
      label: 'Create an account',
      fields: [
        field({
          name: 'name',
          label: 'Name',
          autocomplete: 'username',
          maxlength: 100,
          spellcheck: false,
          hint: 'Letters, digits and punctuation; no spaces.',
        }),
        field({
          name: 'email',
          label: 'E-mail',
          type: 'email',
          autocomplete: 'email',
          spellcheck: false,
        }),
        field({
          name: 'displayName',
          label: 'Display name (optional)',
          autocomplete: 'name',
          maxlength: 255,
          required: false,
        }),
        field({
          name: 'password',
          label: 'Password',
          type: 'password',
          autocomplete: 'new-password',
          minlength: 8,
          maxlength: 256,
          hint: 'At least 8 characters. A few unrelated words make a strong one.',
        }),
        checkbox('keepSignedIn', 'Keep me signed in'),
      ],
      submit: 'Create account',
      async onSubmit(data) {
        const displayName = text(data, 'displayName');
        const email = text(data, 'email');
        await signUp({
          name: text(data, 'name'),
          email,
          password: secret(data, 'password'),
          keepSignedIn: checked(data, 'keepSignedIn'),
          ...(displayName ? { displayName } : {}),
        });
        // Servers that verify addresses mailed a code just now: go straight to where it is typed.
        const verified = await optional(loadEmailVerified()).catch(() => undefined);
        if (verified === false)
          return context.signedIn({
            next: 'verify',
            notice: {
              tone: 'success',
              text: `Your account is ready. We sent an 8-digit code to ${email}.`,
            },
          });
        await context.signedIn({
          notice: { tone: 'success', text: 'Welcome! Your account is ready.' },
        });
      },
    });
    return authCard(
      'Create an account',
      'One account, every device. You can sign out of any of them from here.',
      context.notice,
      signUpForm.element,
      h('p', { class: 'switch' }, 'Already have an account? ', link('sign-in', 'Sign in')),
    );
  },
};
