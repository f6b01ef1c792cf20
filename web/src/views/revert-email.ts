import { revertEmailChange } from '../api/lifecycle.js';
import { h } from '../ui/dom.js';
import { form } from '../ui/forms.js';
import { authCard, link } from '../ui/layout.js';
import type { AppContext, View } from './types.js';

/** Opened from the notice mailed to the old address after a change: undoes a change someone else made. */
export const revertEmailView: View = {
  title: 'Undo the e-mail change',
  access: 'any',
  render(context: AppContext) {
    const token = context.params.get('token') ?? '';
    if (!token)
      return authCard(
        'Undo the e-mail change',
        'This link is incomplete. Open it again from the e-mail, or sign in to review your account.',
        context.notice,
        h('p', { class: 'switch' }, link('sign-in', 'Sign in')),
      );
    const revertForm = form({
      label: 'Undo the e-mail change',
      fields: [],
      submit: 'Restore my old address',
      variant: 'danger',
      async onSubmit() {
        await revertEmailChange(token);
        context.signedOut({
          tone: 'success',
          text: 'Your old address is back and every device was signed out. Sign in, then change your password if you did not make that change.',
        });
      },
    });
    return authCard(
      'Undo the e-mail change',
      'If you did not change the address of your account, restore the old one. Every device will be signed out and second factors added since the change will be removed.',
      context.notice,
      revertForm.element,
    );
  },
};
