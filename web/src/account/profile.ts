import { loadMe } from '../api/account.js';
import { h } from '../ui/dom.js';
import { panel } from '../ui/layout.js';
import type { AccountContext } from './types.js';

const since = new Intl.DateTimeFormat(undefined, { dateStyle: 'long' });

export async function profileSection(context: AccountContext): Promise<HTMLElement> {
  const list = h('dl', { class: 'facts' });
  const fill = () => {
    const { me, emailVerified } = context;
    list.replaceChildren(
      h('dt', {}, 'Name'),
      h('dd', { id: 'me-name' }, me.name),
      ...(me.displayName ? [h('dt', {}, 'Display name'), h('dd', {}, me.displayName)] : []),
      h('dt', {}, 'E-mail'),
      h(
        'dd',
        {},
        h('span', { id: 'me-email' }, me.email),
        emailVerified === true ? h('span', { class: 'badge success' }, 'Verified') : null,
        emailVerified === false ? h('span', { class: 'badge warning' }, 'Not verified') : null,
      ),
      h('dt', {}, 'Member since'),
      h('dd', {}, since.format(new Date(me.createdAt))),
    );
  };
  fill();
  context.events.addEventListener('me', () => {
    void loadMe().then((me) => {
      if (!me) return;
      context.me = me;
      fill();
    });
  });
  return panel(
    'profile',
    'Profile',
    null,
    list,
    context.emailVerified === false
      ? h(
          'div',
          { class: 'callout warning' },
          h(
            'p',
            {},
            'Verify your address to get security notices and to turn on two-step sign-in.',
          ),
          h('a', { class: 'button secondary', href: '#verify' }, 'Verify address'),
        )
      : null,
  );
}
