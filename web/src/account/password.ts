import { changePassword } from '../api/account.js';
import { ApiError } from '../api/client.js';
import { withReauth } from '../lifecycle/reauth.js';
import { field, form, secret } from '../ui/forms.js';
import { panel } from '../ui/layout.js';
import type { AccountContext } from './types.js';

export async function passwordSection(context: AccountContext): Promise<HTMLElement> {
  const passwordForm = form({
    label: 'Change password',
    fields: [
      field({
        name: 'currentPassword',
        label: 'Current password',
        type: 'password',
        autocomplete: 'current-password',
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
    ],
    submit: 'Change password',
    async onSubmit(data, handle) {
      try {
        await withReauth(() =>
          changePassword({
            currentPassword: secret(data, 'currentPassword'),
            newPassword: secret(data, 'newPassword'),
          }),
        );
      } catch (error) {
        if (error instanceof ApiError && error.code === 'INVALID_CREDENTIALS')
          throw new ApiError('That is not your current password.', error.code, {
            field: 'currentPassword',
          });
        throw error;
      }
      handle.element.reset();
      context.events.dispatchEvent(new Event('devices'));
      return 'Password changed. Every other device has been signed out.';
    },
  });
  return panel(
    'password',
    'Password',
    'Changing it signs out every other device.',
    passwordForm.element,
  );
}
