import type { AccountContext } from '../account/types.js';
import { ApiError } from '../api/client.js';
import {
  finishPasskeyRegistration,
  loadPasskeys,
  type Passkey,
  regenerateRecoveryCodes,
  removePasskey,
  renamePasskey,
} from '../api/factors.js';
import { optional } from '../api/lifecycle.js';
import { withReauth } from '../lifecycle/reauth.js';
import { confirmDialog, openModal } from '../ui/dialog.js';
import { h } from '../ui/dom.js';
import { field, form, messages, text } from '../ui/forms.js';
import { panel } from '../ui/layout.js';
import { timeElement } from '../ui/time.js';
import { loadFactorState } from './factor-state.js';
import { showRecoveryCodes } from './recovery-codes.js';
import { createPasskey, passkeysSupported } from './webauthn.js';

const NAME_MAX = 64;

/** Passkeys: add one with a name, see them, rename and remove them. */
export async function passkeysSection(context: AccountContext): Promise<HTMLElement | null> {
  if (context.emailVerified === undefined) return null;
  const initial = await optional(loadPasskeys());
  if (!initial) return null;
  const list = h('ul', { class: 'passkeys', 'aria-labelledby': 'passkeys-title' });
  const empty = h('p', { class: 'muted' }, 'No passkeys yet.');
  const shown = messages();
  const say = shown.ok;
  const fail = shown.fail;
  const body = h('div', { class: 'stack' });
  const focusHeading = () => document.getElementById('passkeys-title')?.focus();
  const changed = () => {
    context.events.dispatchEvent(new Event('factors'));
    context.events.dispatchEvent(new Event('devices'));
  };

  const render = (passkeys: Passkey[]) => {
    list.replaceChildren(...passkeys.map(item));
    list.hidden = passkeys.length === 0;
    empty.hidden = passkeys.length > 0;
  };
  const reload = async () => render(await loadPasskeys());

  function item(passkey: Passkey): HTMLLIElement {
    const rename = h(
      'button',
      { type: 'button', class: 'button secondary small', 'aria-label': `Rename ${passkey.name}` },
      'Rename',
    );
    rename.addEventListener('click', () => askNewName(passkey));
    const remove = h(
      'button',
      { type: 'button', class: 'button secondary small', 'aria-label': `Remove ${passkey.name}` },
      'Remove',
    );
    remove.addEventListener('click', async () => {
      const sure = await confirmDialog({
        title: `Remove ${passkey.name}?`,
        body: 'It will no longer sign you in. Every other device will be signed out.',
        confirm: 'Remove passkey',
      });
      if (!sure) return;
      try {
        await withReauth(() => removePasskey(passkey.id));
        await reload();
        changed();
        focusHeading();
        say(`${passkey.name} was removed.`);
      } catch (error) {
        fail(error);
      }
    });
    return h(
      'li',
      { class: 'passkey', 'data-passkey-id': passkey.id },
      h(
        'div',
        { class: 'passkey-body' },
        h('p', { class: 'passkey-name' }, passkey.name),
        h(
          'p',
          { class: 'device-meta' },
          'Added ',
          timeElement(passkey.createdAt),
          passkey.lastUsedAt ? ' · Last used ' : ' · Not used yet',
          passkey.lastUsedAt ? timeElement(passkey.lastUsedAt) : null,
        ),
      ),
      h('div', { class: 'passkey-actions' }, rename, remove),
    );
  }

  function askNewName(passkey: Passkey) {
    openModal(
      'Rename passkey',
      (modal) => {
        const renameForm = form({
          label: 'Rename passkey',
          fields: [
            field({
              name: 'name',
              label: 'Name',
              value: passkey.name,
              maxlength: NAME_MAX,
              autocomplete: 'off',
            }),
          ],
          submit: 'Save',
          footer: [
            h(
              'button',
              { type: 'button', class: 'button secondary', onclick: () => modal.close() },
              'Cancel',
            ),
          ],
          async onSubmit(data) {
            const name = text(data, 'name');
            await renamePasskey(passkey.id, name);
            await reload();
            modal.close();
            // The dialog hands focus back to a Rename button the reload replaced: the heading takes it.
            focusHeading();
            say(`Renamed to ${name}.`);
          },
        });
        return [renameForm.element];
      },
      () => {},
    );
  }

  const addForm = form({
    label: 'Add a passkey',
    fields: [
      field({
        name: 'name',
        label: 'Passkey name',
        required: false,
        maxlength: NAME_MAX,
        autocomplete: 'off',
        hint: 'Optional. Where it lives, such as “Work laptop” or “Phone”.',
      }),
    ],
    submit: 'Add a passkey',
    async onSubmit(data, handle) {
      if (!passkeysSupported())
        throw new ApiError('This browser cannot create passkeys.', 'PASSKEY_UNSUPPORTED');
      const before = await loadFactorState();
      const created = await withReauth(createPasskey);
      const name = text(data, 'name');
      // Unnamed, the server names it after this browser ("Chrome 131 on macOS").
      const passkey = await finishPasskeyRegistration({ ...created, ...(name ? { name } : {}) });
      handle.element.reset();
      // The first factor of any kind also made recovery codes nobody has seen: new ones, shown once.
      const codes = before.twoFactorEnabled ? null : await withReauth(regenerateRecoveryCodes);
      await reload();
      changed();
      const added = `${passkey.name} was added. Every other device was signed out.`;
      if (!codes) {
        focusHeading();
        say(added);
        return;
      }
      showRecoveryCodes(body, codes, () => {
        body.replaceChildren(...resting);
        focusHeading();
        say(added);
      });
    },
  });

  render(initial);
  const resting = [
    list,
    empty,
    shown.element,
    context.emailVerified
      ? addForm.element
      : h(
          'div',
          { class: 'callout warning' },
          h('p', {}, 'Verify your e-mail address before you add a passkey.'),
          h('a', { class: 'button secondary', href: '#verify' }, 'Verify address'),
        ),
  ];
  body.replaceChildren(...resting);
  return panel(
    'passkeys',
    'Passkeys',
    'Sign in with your fingerprint, face or device PIN instead of a password, or use one as the second step.',
    body,
  );
}
