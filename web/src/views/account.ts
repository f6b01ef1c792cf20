import { accountSections } from '../account/sections.js';
import type { AccountContext } from '../account/types.js';
import { logout } from '../api/account.js';
import { ApiError } from '../api/client.js';
import { loadEmailVerified, optional } from '../api/lifecycle.js';
import { extensions } from '../extensions.js';
import { h, uid } from '../ui/dom.js';
import { noticeElement, panel } from '../ui/layout.js';
import type { AppContext, View } from './types.js';

export const accountView: View = {
  title: 'Your account',
  access: 'member',
  async render(context: AppContext) {
    const me = context.me;
    if (!me) throw new Error('the account view needs a viewer');
    const emailVerified = await optional(loadEmailVerified()).catch(() => undefined);
    const account: AccountContext = {
      ...context,
      me,
      emailVerified: emailVerified ?? undefined,
      events: new EventTarget(),
    };
    extensions.accountEvents = account.events;
    const sections = await Promise.all(
      accountSections.map((section) =>
        section(account).catch((error: unknown) => {
          // A session that ended meanwhile is handled by the app (back to sign-in); a section an
          // unverified user may not use yet (EMAIL_VERIFICATION=required) waits for verification.
          if (
            error instanceof ApiError &&
            (error.code === 'UNAUTHENTICATED' || error.code === 'EMAIL_NOT_VERIFIED')
          )
            return null;
          const message = error instanceof Error ? error.message : String(error);
          return panel(
            uid('failed'),
            'Something went wrong',
            null,
            h('p', { role: 'alert' }, message),
          );
        }),
      ),
    );

    const signOutAlert = h('div', { class: 'message error', role: 'alert' });
    const signOut = h('button', { type: 'button', class: 'button secondary' }, 'Sign out');
    signOut.addEventListener('click', async () => {
      try {
        await logout();
      } catch (error) {
        // Already signed out elsewhere: the app has noticed and moved on.
        if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') return;
        signOutAlert.textContent = error instanceof Error ? error.message : String(error);
        return;
      }
      context.signedOut({ tone: 'success', text: 'You signed out. See you soon.' });
    });

    return h(
      'div',
      { class: 'account' },
      h(
        'div',
        { class: 'account-head' },
        h(
          'div',
          {},
          h('h1', { id: 'view-title', tabindex: -1 }, 'Your account'),
          h('p', { class: 'lede' }, 'Signed in as ', h('strong', {}, me.displayName ?? me.name)),
        ),
        signOut,
      ),
      signOutAlert,
      noticeElement(context.notice),
      ...sections,
    );
  },
};
