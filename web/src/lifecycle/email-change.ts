import type { AccountContext } from '../account/types.js';
import { ApiError } from '../api/client.js';
import { confirmEmailChange, requestEmailChange } from '../api/lifecycle.js';
import { h } from '../ui/dom.js';
import { field, form, text } from '../ui/forms.js';
import { panel } from '../ui/layout.js';
import { withReauth } from './reauth.js';

/** Two steps in one card: ask for the new address, then type the code sent to it. */
export async function emailChangeSection(context: AccountContext): Promise<HTMLElement | null> {
  if (context.emailVerified === undefined) return null;
  const body = h('div', {});

  const askStep = () => {
    const requestForm = form({
      label: 'Change e-mail address',
      fields: [
        field({
          name: 'newEmail',
          label: 'New e-mail address',
          type: 'email',
          autocomplete: 'email',
          spellcheck: false,
        }),
      ],
      submit: 'Send a code',
      async onSubmit(data) {
        const newEmail = text(data, 'newEmail');
        await withReauth(() => requestEmailChange(newEmail));
        body.replaceChildren(confirmStep(newEmail));
        body.querySelector('input')?.focus();
      },
    });
    return requestForm.element;
  };

  const confirmStep = (newEmail: string) => {
    const confirmForm = form({
      label: 'Confirm the new address',
      fields: [
        field({
          name: 'code',
          label: 'Code from the e-mail',
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          spellcheck: false,
          // Read out when the field takes focus, which is where this step starts.
          hint: `We sent it to ${newEmail}. It is valid for 15 minutes.`,
        }),
      ],
      submit: 'Confirm new address',
      footer: [
        h(
          'button',
          {
            type: 'button',
            class: 'button secondary',
            onclick: () => {
              body.replaceChildren(askStep());
              body.querySelector('input')?.focus();
            },
          },
          'Use another address',
        ),
      ],
      async onSubmit(data, handle) {
        try {
          const { confirmEmailChange: user } = await confirmEmailChange(text(data, 'code'));
          handle.element.reset();
          context.events.dispatchEvent(new Event('me'));
          context.events.dispatchEvent(new Event('devices'));
          body.replaceChildren(askStep());
          const done = body.querySelector<HTMLElement>('[role="status"]');
          if (done)
            done.textContent = `Your address is now ${user.email}. Every other device was signed out.`;
        } catch (error) {
          if (error instanceof ApiError && error.code === 'INVALID_OTP')
            throw new ApiError(error.message, error.code, { field: 'code' });
          throw error;
        }
      },
    });
    return confirmForm.element;
  };

  body.replaceChildren(askStep());
  return panel(
    'email',
    'E-mail address',
    'We send a code to the new address, and tell the old one, with a link to undo the change.',
    body,
  );
}
