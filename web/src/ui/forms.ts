import { ApiError } from '../api/client.js';
import { type Child, h, uid } from './dom.js';

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  autocomplete?: string;
  required?: boolean;
  hint?: string;
  inputmode?: 'numeric' | 'text' | 'email';
  pattern?: string;
  minlength?: number;
  maxlength?: number;
  value?: string;
  spellcheck?: boolean;
}

/** A labelled input, its hint tied to it with aria-describedby. */
export function field(spec: FieldSpec): HTMLElement {
  const id = uid(`f-${spec.name}`);
  const hintId = spec.hint ? `${id}-hint` : undefined;
  const input = h('input', {
    id,
    name: spec.name,
    type: spec.type ?? 'text',
    autocomplete: spec.autocomplete,
    required: spec.required ?? true,
    inputmode: spec.inputmode,
    pattern: spec.pattern,
    minlength: spec.minlength,
    maxlength: spec.maxlength,
    spellcheck: spec.spellcheck === false ? 'false' : undefined,
    autocapitalize: spec.type === 'password' || spec.spellcheck === false ? 'none' : undefined,
    'aria-describedby': hintId,
  });
  if (spec.value) input.value = spec.value;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, spec.label),
    input,
    spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null,
  );
}

export function checkbox(name: string, label: string, checked = false): HTMLElement {
  const id = uid(`c-${name}`);
  const input = h('input', { id, name, type: 'checkbox' });
  input.checked = checked;
  return h('div', { class: 'check' }, input, h('label', { for: id }, label));
}

export const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();
export const secret = (data: FormData, name: string) => String(data.get(name) ?? '');
export const checked = (data: FormData, name: string) => data.get(name) === 'on';

export interface FormSpec {
  /** The form's accessible name: the text of a heading the form shows or one the caller owns. */
  label: string;
  fields: Child[];
  submit: string;
  variant?: 'primary' | 'secondary' | 'danger';
  /** Shown under the button (links to other views). */
  footer?: Child[];
  /** Runs on submit; a returned string is shown as the success message beside the form. */
  onSubmit: (data: FormData, form: FormHandle) => Promise<unknown>;
}

export interface FormHandle {
  element: HTMLFormElement;
  ok(message: string): void;
  error(message: string, field?: string): void;
  clear(): void;
  input(name: string): HTMLInputElement | null;
}

/**
 * A form with its own message regions next to its button: a polite status for success and an alert
 * for errors, both in the document from the start so screen readers announce what is put in them.
 * A field the server names (`extensions.field`) is marked invalid and described by the error.
 */
export function form(spec: FormSpec): FormHandle {
  const status = h('div', { class: 'message ok', role: 'status', id: uid('status') });
  const alert = h('div', { class: 'message error', role: 'alert', id: uid('alert') });
  const button = h(
    'button',
    { type: 'submit', class: `button ${spec.variant ?? 'primary'}` },
    spec.submit,
  );
  const element = h(
    'form',
    { 'aria-label': spec.label, novalidate: false },
    ...spec.fields,
    h('div', { class: 'messages' }, status, alert),
    h('div', { class: 'actions' }, button, ...(spec.footer ?? [])),
  );
  let invalid: HTMLInputElement | null = null;

  const handle: FormHandle = {
    element,
    input: (name) => {
      const found = element.elements.namedItem(name);
      return found instanceof HTMLInputElement ? found : null;
    },
    clear() {
      status.textContent = '';
      alert.textContent = '';
      if (invalid) {
        invalid.removeAttribute('aria-invalid');
        const described = (invalid.getAttribute('aria-describedby') ?? '')
          .split(' ')
          .filter((id) => id && id !== alert.id);
        if (described.length) invalid.setAttribute('aria-describedby', described.join(' '));
        else invalid.removeAttribute('aria-describedby');
        invalid = null;
      }
    },
    ok(message) {
      handle.clear();
      status.textContent = message;
    },
    error(message, name) {
      handle.clear();
      alert.textContent = message;
      const input = name ? handle.input(name) : null;
      if (input) {
        invalid = input;
        input.setAttribute('aria-invalid', 'true');
        const described = input.getAttribute('aria-describedby');
        input.setAttribute('aria-describedby', described ? `${described} ${alert.id}` : alert.id);
        input.focus();
      }
    },
  };

  let busy = false;
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    // aria-disabled rather than disabled: the button keeps focus while the request runs.
    button.setAttribute('aria-disabled', 'true');
    element.setAttribute('aria-busy', 'true');
    handle.clear();
    spec
      .onSubmit(new FormData(element), handle)
      .then((message) => {
        if (typeof message === 'string') handle.ok(message);
      })
      .catch((error: unknown) => showError(handle, error))
      .finally(() => {
        busy = false;
        button.removeAttribute('aria-disabled');
        element.removeAttribute('aria-busy');
      });
  });
  return handle;
}

/** A section's message regions outside a form, as form() has its own: one shows, the other empties. */
export interface Messages {
  /** The `.messages` box holding both regions, in the document from the start (see form()). */
  element: HTMLElement;
  ok(message: string): void;
  error(message: string): void;
  clear(): void;
  /** An error as a form shows it; a dismissed re-authentication says nothing. */
  fail(error: unknown): void;
}

export function messages(initial = ''): Messages {
  const status = h('div', { class: 'message ok', role: 'status' }, initial);
  const alert = h('div', { class: 'message error', role: 'alert' });
  const shown: Messages = {
    element: h('div', { class: 'messages' }, status, alert),
    ok(message) {
      alert.textContent = '';
      status.textContent = message;
    },
    error(message) {
      status.textContent = '';
      alert.textContent = message;
    },
    clear() {
      status.textContent = '';
      alert.textContent = '';
    },
    fail: (error) => showError(shown, error),
  };
  return shown;
}

/** Puts an error beside the form; a dismissed re-authentication says nothing. */
export function showError(target: Pick<FormHandle, 'error'>, error: unknown): void {
  if (error instanceof ApiError && error.code === 'CANCELLED') return;
  if (error instanceof ApiError) target.error(error.message, error.field);
  else target.error('Something went wrong. Try again.');
}
