import {
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  WebAuthnAbortService,
} from '@simplewebauthn/browser';
import { beginPasskeyAssertion, finishPasskeySignIn } from '../api/factors.js';
import { h } from '../ui/dom.js';
import { showError } from '../ui/forms.js';
import type { AppContext, RouteName } from '../views/types.js';
import { assertPasskey, passkeysSupported } from './webauthn.js';

/**
 * Signing in with a passkey alone, from the sign-in view: a button, and the browser's own offer of
 * passkeys in the login field's autofill (conditional mediation) where the browser has it.
 */

const nextOf = (context: AppContext): RouteName | undefined => {
  const next = context.params.get('next');
  return next === 'verify' || next === 'confirm-email' ? next : undefined;
};

/** The "Keep me signed in" box of the sign-in form this option sits under. */
const keepSignedIn = (within: Element) =>
  within.closest('section')?.querySelector<HTMLInputElement>('input[name="keepSignedIn"]')
    ?.checked ?? false;

let autofillRunning = false;

export function passkeySignInOption(context: AppContext): HTMLElement | null {
  if (!passkeysSupported()) return null;
  const alert = h('div', { class: 'message error', role: 'alert' });
  const button = h(
    'button',
    { type: 'button', class: 'button secondary wide' },
    'Sign in with a passkey',
  );
  const element = h(
    'div',
    { class: 'passkey-option' },
    h('p', { class: 'divider' }, h('span', {}, 'or')),
    button,
    h('div', { class: 'messages' }, alert),
  );
  const signedIn = async (assertion: Parameters<typeof finishPasskeySignIn>[0]) => {
    await finishPasskeySignIn(assertion);
    const next = nextOf(context);
    await context.signedIn(next ? { next } : {});
  };
  const fail = (error: unknown) =>
    showError({ error: (message) => (alert.textContent = message) }, error);

  button.addEventListener('click', async () => {
    alert.textContent = '';
    try {
      // A modal request replaces the autofill one (the library aborts it); autofill starts again after.
      const assertion = await assertPasskey('SIGN_IN');
      await signedIn({ ...assertion, keepSignedIn: keepSignedIn(element) });
    } catch (error) {
      fail(error);
      void offerAutofill();
    }
  });

  async function offerAutofill() {
    if (autofillRunning || !element.isConnected) return;
    if (!(await browserSupportsWebAuthnAutofill())) return;
    autofillRunning = true;
    try {
      // A limited or failed challenge, a cancelled or replaced request: the field stays an ordinary
      // one, with nothing to say. Only a passkey the server then refuses is worth a message.
      const challenge = await beginPasskeyAssertion('SIGN_IN').catch(() => null);
      if (!challenge || !element.isConnected) return;
      const response = await startAuthentication({
        optionsJSON: challenge.options,
        useBrowserAutofill: true,
      }).catch(() => null);
      if (!response || !element.isConnected) return;
      await signedIn({
        challengeId: challenge.id,
        response,
        keepSignedIn: keepSignedIn(element),
      }).catch(fail);
    } finally {
      autofillRunning = false;
    }
  }

  // Started once the view is in the document: the library looks for the webauthn autofill field.
  setTimeout(() => void offerAutofill(), 0);
  // Leaving the view ends a pending autofill request, which would otherwise hold the authenticator.
  window.addEventListener(
    'hashchange',
    () => {
      if (autofillRunning) WebAuthnAbortService.cancelCeremony();
    },
    { once: true },
  );
  return element;
}
