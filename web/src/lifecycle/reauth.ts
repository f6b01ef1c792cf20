import { ApiError } from '../api/client.js';
import { reauthenticate } from '../api/lifecycle.js';
import { assertPasskey, passkeysSupported } from '../factors/webauthn.js';
import { openModal } from '../ui/dialog.js';
import { h } from '../ui/dom.js';
import { field, form, secret, showError, text } from '../ui/forms.js';

/**
 * Runs a sensitive mutation; when the server answers REAUTHENTICATION_REQUIRED (the last credential
 * is older than its window), asks in a dialog for what `extensions.methods` lists (the password, with
 * an authenticator or recovery code when the account has one, or a passkey), calls `reauthenticate`,
 * and runs the mutation once more. Closing the dialog rejects with CANCELLED, which forms show as nothing.
 */
export async function withReauth<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 'REAUTHENTICATION_REQUIRED')) throw error;
    if (!(await askToReauthenticate(error.extensions.methods ?? ['PASSWORD'])))
      throw new ApiError('Cancelled.', 'CANCELLED');
    return run();
  }
}

function askToReauthenticate(methods: string[]): Promise<boolean> {
  // An account with a second factor proves a passkey alone, or the password and a code.
  const offersPasskey = methods.includes('PASSKEY') && passkeysSupported();
  const wantsCode = methods.includes('TOTP') || methods.includes('RECOVERY_CODE');
  return new Promise((resolve) => {
    let done = false;
    openModal(
      'Confirm it’s you',
      (modal) => {
        const confirmForm = form({
          label: 'Confirm it’s you',
          fields: [
            field({
              name: 'password',
              label: 'Password',
              type: 'password',
              autocomplete: 'current-password',
            }),
            wantsCode
              ? field({
                  name: 'code',
                  label: methods.includes('TOTP')
                    ? 'Authenticator or recovery code'
                    : 'Recovery code',
                  autocomplete: 'one-time-code',
                  spellcheck: false,
                })
              : null,
          ],
          submit: 'Confirm',
          footer: [
            h(
              'button',
              { type: 'button', class: 'button secondary', onclick: () => modal.close() },
              'Cancel',
            ),
          ],
          async onSubmit(data) {
            const code = text(data, 'code').replaceAll(' ', '');
            try {
              await reauthenticate({
                password: secret(data, 'password'),
                ...(code ? (/^\d{6}$/.test(code) ? { totp: code } : { recoveryCode: code }) : {}),
              });
            } catch (error) {
              if (error instanceof ApiError && error.code === 'INVALID_CREDENTIALS')
                throw new ApiError(
                  wantsCode
                    ? 'That password or code is not correct.'
                    : 'That password is not correct.',
                  error.code,
                  { field: 'password' },
                );
              throw error;
            }
            done = true;
            modal.close();
          },
        });
        const passkeyAlert = h('div', { class: 'message error', role: 'alert' });
        const passkeyButton = h(
          'button',
          { type: 'button', class: 'button primary wide' },
          'Use a passkey',
        );
        passkeyButton.addEventListener('click', async () => {
          passkeyAlert.textContent = '';
          try {
            await reauthenticate({ passkey: await assertPasskey('REAUTHENTICATE') });
          } catch (error) {
            showError({ error: (message) => (passkeyAlert.textContent = message) }, error);
            return;
          }
          done = true;
          modal.close();
        });
        return [
          h(
            'p',
            {},
            offersPasskey
              ? 'For your security, confirm it’s you with a passkey, or with your password, before this change.'
              : 'For your security, enter your password again before this change.',
          ),
          offersPasskey
            ? h(
                'div',
                { class: 'passkey-option' },
                passkeyButton,
                h('div', { class: 'messages' }, passkeyAlert),
                h('p', { class: 'divider' }, h('span', {}, 'or')),
              )
            : null,
          confirmForm.element,
        ];
      },
      () => resolve(done),
    );
  });
}
