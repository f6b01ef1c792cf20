import type { AccountContext } from '../account/types.js';
import { deleteAccount } from '../api/lifecycle.js';
import { confirmDialog } from '../ui/dialog.js';
import { h } from '../ui/dom.js';
import { showError } from '../ui/forms.js';
import { panel } from '../ui/layout.js';
import { withReauth } from './reauth.js';

export async function deleteAccountSection(context: AccountContext): Promise<HTMLElement | null> {
  if (context.emailVerified === undefined) return null;
  const alert = h('div', { class: 'message error', role: 'alert' });
  const button = h('button', { type: 'button', class: 'button danger' }, 'Delete account');
  button.addEventListener('click', async () => {
    alert.textContent = '';
    const sure = await confirmDialog({
      title: 'Delete your account?',
      body: 'Your account, every signed-in device and your security activity are removed at once. This cannot be undone.',
      confirm: 'Delete my account',
    });
    if (!sure) return;
    try {
      await withReauth(deleteAccount);
      context.signedOut({
        tone: 'info',
        text: 'Your account was deleted. Thank you for trying us.',
      });
    } catch (error) {
      showError({ error: (message) => (alert.textContent = message) }, error);
    }
  });
  const section = panel(
    'delete',
    'Delete account',
    'Removes your account and all of its data for good.',
    h('div', { class: 'messages' }, alert),
    h('div', { class: 'actions' }, button),
  );
  section.classList.add('danger-zone');
  return section;
}
