import { deviceLabel } from '../account/device-name.js';
import type { AccountContext } from '../account/types.js';
import { loadSecurityEvents, optional, type SecurityEvent } from '../api/lifecycle.js';
import { h } from '../ui/dom.js';
import { showError } from '../ui/forms.js';
import { panel } from '../ui/layout.js';
import { timeElement } from '../ui/time.js';

const WHAT: Record<string, string> = {
  SIGN_IN: 'Signed in',
  SIGN_IN_FAILED: 'Failed sign-in attempt',
  SIGN_OUT: 'Signed out',
  SESSION_REVOKED: 'A device was signed out',
  PASSWORD_CHANGED: 'Password changed',
  PASSWORD_RESET: 'Password reset by e-mail',
  EMAIL_VERIFIED: 'E-mail address verified',
  EMAIL_CHANGED: 'E-mail address changed',
  TWO_FACTOR_ENABLED: 'Two-step sign-in turned on',
  TWO_FACTOR_DISABLED: 'Two-step sign-in turned off',
  RECOVERY_CODES_REGENERATED: 'New recovery codes created',
  RECOVERY_CODE_USED: 'A recovery code was used',
  PASSKEY_ADDED: 'Passkey added',
  PASSKEY_REMOVED: 'Passkey removed',
  ACCOUNT_DISABLED: 'Account disabled by an administrator',
  ACCOUNT_ENABLED: 'Account enabled by an administrator',
  ROLE_CHANGED: 'Role changed by an administrator',
};
const ALARMING = new Set([
  'SIGN_IN_FAILED',
  'TWO_FACTOR_DISABLED',
  'ACCOUNT_DISABLED',
  'PASSKEY_REMOVED',
]);

function eventItem(event: SecurityEvent): HTMLLIElement {
  const device = event.deviceName ?? (event.userAgent ? deviceLabel(event.userAgent).name : null);
  return h(
    'li',
    { class: ALARMING.has(event.kind) ? 'event alarming' : 'event', 'data-kind': event.kind },
    h('p', { class: 'event-what' }, WHAT[event.kind] ?? event.kind),
    h(
      'p',
      { class: 'event-meta' },
      timeElement(event.at),
      device ? ` · ${device}` : '',
      event.ip ? ` · ${event.ip}` : '',
    ),
  );
}

export async function securityLogSection(context: AccountContext): Promise<HTMLElement | null> {
  const first = await optional(loadSecurityEvents(null));
  if (!first) return null;
  const list = h('ol', { class: 'events', 'aria-labelledby': 'activity-title' });
  const alert = h('div', { class: 'message error', role: 'alert' });
  const more = h('button', { type: 'button', class: 'button secondary' }, 'Show older activity');
  const empty = h('p', { class: 'muted' }, 'Nothing yet.');
  let next = first.next;
  const add = (events: SecurityEvent[]) => {
    list.append(...events.map(eventItem));
    list.hidden = list.childElementCount === 0;
    empty.hidden = !list.hidden;
    // Hiding the button that has focus would drop focus to the page: it goes to the section's title.
    if (!next && document.activeElement === more)
      document.getElementById('activity-title')?.focus();
    more.hidden = !next;
  };
  let loading = false;
  more.addEventListener('click', async () => {
    // A second click while the page loads would fetch the same page again and list it twice.
    if (loading) return;
    loading = true;
    more.setAttribute('aria-disabled', 'true');
    alert.textContent = '';
    try {
      const page = await loadSecurityEvents(next);
      next = page.next;
      add(page.events);
    } catch (error) {
      showError({ error: (message) => (alert.textContent = message) }, error);
    } finally {
      loading = false;
      more.removeAttribute('aria-disabled');
    }
  });
  add(first.events);
  // A live event or a resync: the newest page again (older pages load on demand as before).
  context.events.addEventListener('activity', () => {
    loadSecurityEvents(null)
      .then((page) => {
        next = page.next;
        list.replaceChildren();
        add(page.events);
      })
      .catch((error: unknown) =>
        showError({ error: (message) => (alert.textContent = message) }, error),
      );
  });
  return panel(
    'activity',
    'Security activity',
    'Sign-ins and changes to your account, newest first. Something you do not recognise? Change your password.',
    list,
    empty,
    h('div', { class: 'messages' }, alert),
    h('div', { class: 'actions' }, more),
  );
}
