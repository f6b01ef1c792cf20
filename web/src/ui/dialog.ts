import { type Child, h, uid } from './dom.js';

/**
 * Modal dialogs on the native <dialog>: showModal() makes the rest of the page inert, traps focus,
 * closes on Escape and returns focus to where it was, with no script of ours doing any of it.
 */

export interface ModalHandle {
  dialog: HTMLDialogElement;
  close(): void;
}

export function openModal(
  title: string,
  body: (modal: ModalHandle) => Child[],
  onClose: () => void,
): ModalHandle {
  const titleId = uid('dialog-title');
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId });
  const handle: ModalHandle = { dialog, close: () => dialog.close() };
  dialog.append(
    h('h2', { id: titleId }, title),
    ...body(handle).filter((c): c is Node | string => !!c),
  );
  dialog.addEventListener('close', () => {
    dialog.remove();
    onClose();
  });
  document.body.append(dialog);
  dialog.showModal();
  return handle;
}

export interface ConfirmSpec {
  title: string;
  body: string;
  confirm: string;
  cancel?: string;
  variant?: 'primary' | 'danger';
}

/** Asks before something that cannot be undone; resolves true only on the confirming button. */
export function confirmDialog(spec: ConfirmSpec): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    openModal(
      spec.title,
      (modal) => [
        h('p', {}, spec.body),
        h(
          'div',
          { class: 'actions end' },
          h(
            'button',
            {
              type: 'button',
              class: 'button secondary',
              autofocus: true,
              onclick: () => modal.close(),
            },
            spec.cancel ?? 'Cancel',
          ),
          h(
            'button',
            {
              type: 'button',
              class: `button ${spec.variant ?? 'danger'}`,
              onclick: () => {
                answer = true;
                modal.close();
              },
            },
            spec.confirm,
          ),
        ),
      ],
      () => resolve(answer),
    );
  });
}
