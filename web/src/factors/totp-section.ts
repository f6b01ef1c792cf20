import type { AccountContext } from '../account/types.js';
import { ApiError } from '../api/client.js';
import { beginTotpEnrollment, confirmTotpEnrollment, disableTotp } from '../api/factors.js';
import { optional } from '../api/lifecycle.js';
import { withReauth } from '../lifecycle/reauth.js';
import { confirmDialog } from '../ui/dialog.js';
import { h } from '../ui/dom.js';
import { field, form, messages, text } from '../ui/forms.js';
import { panel } from '../ui/layout.js';
import { qrCode } from '../ui/qr.js';
import { type FactorState, loadFactorState } from './factor-state.js';
import { showRecoveryCodes } from './recovery-codes.js';

/** The base32 secret in groups of four, as authenticator apps print it and people type it. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/**
 * The authenticator app card: set it up (a QR code and the secret to type, then a code from the app,
 * then the recovery codes once), or turn it off.
 */
export async function totpSection(context: AccountContext): Promise<HTMLElement | null> {
  if (context.emailVerified === undefined) return null;
  const initial = await optional(loadFactorState());
  if (!initial) return null;
  let state: FactorState = initial;
  const body = h('div', { class: 'stack' });
  const focusHeading = () => document.getElementById('totp-title')?.focus();
  let ownChange = false;
  const changed = () => {
    ownChange = true;
    context.events.dispatchEvent(new Event('factors'));
    context.events.dispatchEvent(new Event('devices'));
    ownChange = false;
  };

  const idle = (message?: string) => {
    const shown = messages(message);
    if (!context.emailVerified) {
      return h(
        'div',
        { class: 'callout warning' },
        h('p', {}, 'Verify your e-mail address before you turn on two-step sign-in.'),
        h('a', { class: 'button secondary', href: '#verify' }, 'Verify address'),
      );
    }
    const setUp = h(
      'button',
      { type: 'button', class: state.totp ? 'button secondary' : 'button primary' },
      state.totp ? 'Replace authenticator app' : 'Set up an authenticator app',
    );
    setUp.addEventListener('click', async () => {
      shown.clear();
      try {
        const enrollment = await withReauth(beginTotpEnrollment);
        body.replaceChildren(enrolling(enrollment.secret, enrollment.uri));
        focusHeading();
      } catch (error) {
        shown.fail(error);
      }
    });
    // Offered also when the server's answers cannot tell whether the app is on (see factor-state.ts).
    const turnOff =
      state.totp === false
        ? null
        : h('button', { type: 'button', class: 'button danger' }, 'Turn off');
    turnOff?.addEventListener('click', async () => {
      shown.clear();
      const sure = await confirmDialog({
        title: 'Turn off the authenticator app?',
        body: 'Signing in will no longer ask for a code from the app. Every other device will be signed out.',
        confirm: 'Turn off',
      });
      if (!sure) return;
      try {
        const wasOn = await withReauth(disableTotp);
        state = await loadFactorState();
        changed();
        render(wasOn ? 'The authenticator app is off.' : 'No authenticator app was on.');
        focusHeading();
      } catch (error) {
        shown.fail(error);
      }
    });
    return h(
      'div',
      { class: 'stack' },
      h(
        'p',
        { class: 'factor-state' },
        state.totp
          ? h('span', { class: 'badge success' }, 'On')
          : state.totp === false
            ? h('span', { class: 'badge' }, 'Off')
            : null,
        state.totp
          ? ' Signing in asks for a code from your authenticator app.'
          : state.totp === false
            ? ' Add a code from an app such as 1Password, Google Authenticator or Aegis to your password.'
            : ' If you set up an app before, it may still be on.',
      ),
      shown.element,
      h('div', { class: 'actions' }, setUp, turnOff),
    );
  };

  const enrolling = (secret: string, uri: string) => {
    const confirmForm = form({
      label: 'Confirm the authenticator app',
      fields: [
        field({
          name: 'code',
          label: 'Code from the app',
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          pattern: '[0-9]{6}',
          spellcheck: false,
          hint: 'The 6 digits the app shows for sessiongraph.',
        }),
      ],
      submit: 'Turn on',
      footer: [
        h(
          'button',
          {
            type: 'button',
            class: 'button secondary',
            onclick: () => {
              render();
              focusHeading();
            },
          },
          'Cancel',
        ),
      ],
      async onSubmit(data) {
        let codes: string[];
        try {
          codes = await confirmTotpEnrollment(text(data, 'code').replaceAll(' ', ''));
        } catch (error) {
          if (error instanceof ApiError && error.code === 'INVALID_OTP')
            throw new ApiError(
              'That code is not right. Check the time on your phone and type the code the app shows now.',
              error.code,
              { field: 'code' },
            );
          throw error;
        }
        state = { ...state, twoFactorEnabled: true, totp: true };
        changed();
        showRecoveryCodes(body, codes, () => {
          render('The authenticator app is on. Every other device was signed out.');
          focusHeading();
        });
      },
    });
    return h(
      'div',
      { class: 'enrol' },
      h(
        'ol',
        { class: 'steps' },
        h(
          'li',
          {},
          h('p', {}, 'Scan this code with your authenticator app.'),
          qrCode(uri, 'QR code for your authenticator app'),
        ),
        h(
          'li',
          {},
          h('p', {}, 'Cannot scan it? Enter this key in the app instead:'),
          h('p', {}, h('code', { class: 'secret', id: 'totp-secret' }, grouped(secret))),
        ),
        h('li', {}, h('p', {}, 'Type the code the app shows to finish.'), confirmForm.element),
      ),
    );
  };

  const render = (message?: string) => body.replaceChildren(idle(message));
  render();
  context.events.addEventListener('factors', () => {
    // Only a card at rest follows changes made elsewhere: an enrolment in progress stays.
    if (ownChange || body.querySelector('.enrol, .codes-step')) return;
    void loadFactorState()
      .then((next) => {
        // Unchanged (this card's own change, echoed by the live stream): its message stays.
        if (next.totp === state.totp && next.twoFactorEnabled === state.twoFactorEnabled) return;
        state = next;
        render();
      })
      .catch(() => {});
  });
  return panel(
    'totp',
    'Authenticator app',
    'A second step when you sign in: a code from an app on your phone.',
    body,
  );
}
