import type { AccountContext } from '../account/types.js';
import { regenerateRecoveryCodes } from '../api/factors.js';
import { optional } from '../api/lifecycle.js';
import { withReauth } from '../lifecycle/reauth.js';
import { confirmDialog } from '../ui/dialog.js';
import { h } from '../ui/dom.js';
import { messages } from '../ui/forms.js';
import { panel } from '../ui/layout.js';
import { loadFactorState } from './factor-state.js';
import { showRecoveryCodes } from './recovery-codes.js';

/** Recovery codes exist whenever a second factor does: this card makes new ones (the old ones die). */
export async function recoverySection(context: AccountContext): Promise<HTMLElement | null> {
  if (context.emailVerified === undefined) return null;
  const state = await optional(loadFactorState());
  if (!state) return null;
  const body = h('div', { class: 'stack' });
  const section = panel(
    'recovery',
    'Recovery codes',
    'Ten single-use codes that stand in for your authenticator app or passkey when it is not at hand.',
    body,
  );
  const focusHeading = () => document.getElementById('recovery-title')?.focus();

  const render = (message = '') => {
    const shown = messages(message);
    const make = h('button', { type: 'button', class: 'button secondary' }, 'Make new codes');
    make.addEventListener('click', async () => {
      shown.clear();
      const sure = await confirmDialog({
        title: 'Make new recovery codes?',
        body: 'Your current codes stop working at once, and every other device will be signed out.',
        confirm: 'Make new codes',
        variant: 'primary',
      });
      if (!sure) return;
      try {
        const codes = await withReauth(regenerateRecoveryCodes);
        context.events.dispatchEvent(new Event('devices'));
        showRecoveryCodes(body, codes, () => {
          render('New recovery codes are ready. The old ones no longer work.');
          focusHeading();
        });
      } catch (error) {
        shown.fail(error);
      }
    });
    body.replaceChildren(shown.element, h('div', { class: 'actions' }, make));
  };

  render();
  section.hidden = !state.twoFactorEnabled;
  context.events.addEventListener('factors', () => {
    void loadFactorState()
      .then((next) => {
        section.hidden = !next.twoFactorEnabled;
      })
      .catch(() => {});
  });
  return section;
}
