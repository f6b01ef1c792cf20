import { h, uid } from '../ui/dom.js';
import { messages } from '../ui/forms.js';

/**
 * The ten recovery codes, shown once: the only moment they exist in clear. Copy and download are
 * offered, and the step ends only with "I saved them", so nobody clicks past them by accident.
 */
export function recoveryCodesStep(codes: string[], onSaved: () => void): HTMLElement {
  const shown = messages();
  const asText = `sessiongraph recovery codes\n\n${codes.join('\n')}\n\nEach code works once.\n`;

  const copy = h('button', { type: 'button', class: 'button secondary' }, 'Copy codes');
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(asText).then(
      () => shown.ok('Copied. Paste them somewhere safe, such as a password manager.'),
      () =>
        shown.error('The browser did not allow copying. Select the codes and copy them instead.'),
    );
  });
  const download = h('button', { type: 'button', class: 'button secondary' }, 'Download');
  download.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([asText], { type: 'text/plain' }));
    const anchor = h('a', { href: url, download: 'sessiongraph-recovery-codes.txt' });
    anchor.click();
    // The download has its own copy; the URL need not outlive this task.
    setTimeout(() => URL.revokeObjectURL(url), 0);
    shown.ok('Saved as sessiongraph-recovery-codes.txt.');
  });
  const saved = h('button', { type: 'button', class: 'button primary' }, 'I saved them');
  saved.addEventListener('click', onSaved);

  const headingId = uid('codes-title');
  return h(
    'div',
    { class: 'codes-step', role: 'group', 'aria-labelledby': headingId },
    h('h3', { id: headingId, tabindex: -1 }, 'Save your recovery codes'),
    h(
      'div',
      { class: 'callout warning' },
      h(
        'p',
        {},
        'Each code signs you in once when your authenticator app or passkey is not at hand. This is the only time they are shown: keep them somewhere safe, such as a password manager.',
      ),
    ),
    h(
      'ol',
      { class: 'codes', 'aria-label': 'Recovery codes' },
      ...codes.map((code) => h('li', {}, h('code', {}, code))),
    ),
    shown.element,
    h('div', { class: 'actions' }, saved, copy, download),
  );
}

/** Puts the codes step in `host` and focuses its heading; `onSaved` runs after "I saved them". */
export function showRecoveryCodes(host: HTMLElement, codes: string[], onSaved: () => void): void {
  host.replaceChildren(recoveryCodesStep(codes, onSaved));
  host.querySelector<HTMLElement>('h3')?.focus();
}
