import { signIn } from '../api/account.js';
import { ApiError } from '../api/client.js';
import { extensions } from '../extensions.js';
import { h } from '../ui/dom.js';
import { checkbox, checked, field, form, secret, text } from '../ui/forms.js';
import { authCard, link } from '../ui/layout.js';
import type { AppContext, RouteName, View } from './types.js';

const until = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' });
const NEXT: ReadonlySet<string> = new Set<RouteName>(['verify', 'confirm-email', 'account']);

export const signInView: View = {
  title: 'Sign in',
  access: 'guest',
  render(context: AppContext) {
    const next = context.params.get('next');
    const signInForm = form({
      label: 'Sign in',
      fields: [
        field({
          name: 'login',
          label: 'Name or e-mail',
          autocomplete: 'username webauthn',
          spellcheck: false,
        }),
        field({
          name: 'password',
          label: 'Password',
          type: 'password',
          autocomplete: 'current-password',
        }),
        h('p', { class: 'field-link' }, link('forgot', 'Forgot your password?')),
        checkbox('keepSignedIn', 'Keep me signed in'),
      ],
      submit: 'Sign in',
      async onSubmit(data) {
        const login = text(data, 'login');
        const keepSignedIn = checked(data, 'keepSignedIn');
        try {
          await signIn({
            ...(login.includes('@') ? { email: login } : { name: login }),
            password: secret(data, 'password'),
            keepSignedIn,
          });
        } catch (error) {
          if (
            error instanceof ApiError &&
            error.code === 'ACCOUNT_DISABLED' &&
            error.extensions.until
          )
            throw new ApiError(
              `${error.message} It can be used again from ${until.format(new Date(error.extensions.until))}.`,
              error.code,
            );
          if (error instanceof ApiError && error.code === 'SECOND_FACTOR_REQUIRED') {
            if (extensions.secondFactor)
              return extensions.secondFactor(error, context, keepSignedIn);
            throw new ApiError(
              'This account needs a second factor, which this page cannot ask for yet.',
              error.code,
            );
          }
          throw error;
        }
        await context.signedIn(next && NEXT.has(next) ? { next: next as RouteName } : {});
      },
    });
    return authCard(
      'Sign in',
      'Welcome back. Sign in to manage your account and devices.',
      context.notice,
      signInForm.element,
      ...extensions.signInOptions.map((option) => option(context)),
      h('p', { class: 'switch' }, 'New here? ', link('sign-up', 'Create an account')),
    );
  },
};
