import type { Notice } from '../views/types.js';
import { type Child, h } from './dom.js';

/** A notice carried into a view: warnings are alerts (announced at once), the rest polite status. */
export function noticeElement(notice: Notice | null): HTMLElement | null {
  if (!notice) return null;
  return h(
    'div',
    { class: `notice ${notice.tone}`, role: notice.tone === 'warning' ? 'alert' : 'status' },
    notice.text,
  );
}

/** The narrow centred card the signed-out views share. */
export function authCard(
  title: string,
  lede: string | null,
  notice: Notice | null,
  ...children: Child[]
): HTMLElement {
  return h(
    'section',
    { class: 'card auth-card', 'aria-labelledby': 'view-title' },
    h('h1', { id: 'view-title', tabindex: -1 }, title),
    lede ? h('p', { class: 'lede' }, lede) : null,
    noticeElement(notice),
    ...children,
  );
}

/** A link to another view, as an ordinary anchor (middle-click, copy link and Back all work). */
export const link = (route: string, label: string, params?: Record<string, string>) =>
  h('a', { href: `#${route}${params ? `?${new URLSearchParams(params)}` : ''}` }, label);

/** A titled section of the account view. */
export function panel(id: string, title: string, description: string | null, ...children: Child[]) {
  const headingId = `${id}-title`;
  return h(
    'section',
    { class: 'card panel', id, 'aria-labelledby': headingId },
    h('h2', { id: headingId, tabindex: -1 }, title),
    description ? h('p', { class: 'muted' }, description) : null,
    ...children,
  );
}
