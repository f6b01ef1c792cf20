import { loadMe, type Me } from './api/account.js';
import { ApiError, onSessionEnded } from './api/client.js';
import { extensions } from './extensions.js';
import { passkeySignInOption } from './factors/passkey-sign-in.js';
import { resetSecondFactor } from './factors/reset-second-factor.js';
import { secondFactorView, startSecondFactor } from './factors/second-factor.js';
import { liveSessionEvents } from './lifecycle/live.js';
import { h } from './ui/dom.js';
import { authCard } from './ui/layout.js';
import { accountView } from './views/account.js';
import { confirmEmailView } from './views/confirm-email.js';
import { forgotView } from './views/forgot.js';
import { resetView } from './views/reset.js';
import { revertEmailView } from './views/revert-email.js';
import { signInView } from './views/sign-in.js';
import { signUpView } from './views/sign-up.js';
import type { AppContext, Notice, RouteName, View } from './views/types.js';
import { verifyView } from './views/verify.js';

/**
 * The account page: one view at a time, chosen by the address's hash (`#sign-in`, `#reset?email=…`),
 * so links in mail, Back and reload all land where they should.
 */

const VIEWS: Record<RouteName, View> = {
  'sign-in': signInView,
  'sign-up': signUpView,
  forgot: forgotView,
  reset: resetView,
  verify: verifyView,
  'revert-email': revertEmailView,
  'confirm-email': confirmEmailView,
  'second-factor': secondFactorView,
  account: accountView,
};
extensions.signInOptions.push(passkeySignInOption);
extensions.secondFactor = startSecondFactor;
extensions.resetSecondFactor = resetSecondFactor;
extensions.whileSignedIn.push(liveSessionEvents);
// Codes and tokens from mailed links are credentials until spent: out of the address bar and history.
const SECRET_PARAMS = ['token', 'code'];
// Remembers only that this browser was signed in (never who, never a token), so that a visit after
// the session was ended elsewhere can say so instead of silently showing the sign-in form.
const WAS_SIGNED_IN = 'sessiongraph.signed-in';
const SIGNED_OUT_ELSEWHERE: Notice = {
  tone: 'warning',
  text: 'You were signed out on another device: your session here has ended. Sign in again to continue.',
};

const root = document.getElementById('app') as HTMLElement;
let me: Me | null = null;
let pendingNotice: Notice | null = null;
let carried = new URLSearchParams();
let firstRender = true;
let renderCount = 0;
let stopWhileSignedIn: (() => void)[] = [];

function parse(): { name: RouteName | null; params: URLSearchParams } {
  const hash = location.hash.replace(/^#\/?/, '');
  const [name = '', query = ''] = hash.split(/\?(.*)/s, 2);
  const params = new URLSearchParams(query);
  if (SECRET_PARAMS.some((key) => params.has(key))) {
    for (const key of SECRET_PARAMS) {
      const value = params.get(key);
      if (value) carried.set(key, value);
      params.delete(key);
    }
    const rest = params.toString();
    history.replaceState(
      null,
      '',
      `${location.pathname}${location.search}#${name}${rest ? `?${rest}` : ''}`,
    );
  }
  for (const [key, value] of carried) params.set(key, value);
  return { name: Object.hasOwn(VIEWS, name) ? (name as RouteName) : null, params };
}

function go(name: RouteName, options: { params?: Record<string, string>; notice?: Notice } = {}) {
  pendingNotice = options.notice ?? null;
  carried = new URLSearchParams();
  const query = options.params ? `?${new URLSearchParams(options.params)}` : '';
  const target = `#${name}${query}`;
  if (location.hash === target) void render();
  else location.hash = target;
}

const context = (params: URLSearchParams, notice: Notice | null): AppContext => ({
  me,
  params,
  notice,
  go,
  async signedIn(options = {}) {
    me = await loadMe();
    if (!me)
      throw new ApiError('The server did not keep the session. Are cookies allowed?', undefined);
    localStorage.setItem(WAS_SIGNED_IN, '1');
    startWhileSignedIn();
    go(options.next ?? 'account', {
      ...(options.params ? { params: options.params } : {}),
      ...(options.notice ? { notice: options.notice } : {}),
    });
  },
  signedOut(notice) {
    endSignedIn();
    go('sign-in', { notice });
  },
  sessionEnded: () => sessionEnded(),
});

function startWhileSignedIn() {
  if (stopWhileSignedIn.length) return;
  const app = context(new URLSearchParams(), null);
  stopWhileSignedIn = extensions.whileSignedIn.map((start) => start(app));
}

function endSignedIn() {
  me = null;
  localStorage.removeItem(WAS_SIGNED_IN);
  for (const stop of stopWhileSignedIn) stop();
  stopWhileSignedIn = [];
}

async function render() {
  const { name, params } = parse();
  const fallback: RouteName = me ? 'account' : 'sign-in';
  const view = VIEWS[name ?? fallback];
  // No view named, or one not for this visitor: the right one, in place (Back skips the detour).
  if (!name || (view.access === 'member' && !me) || (view.access === 'guest' && me)) {
    history.replaceState(null, '', `#${fallback}`);
    return render();
  }
  const notice = pendingNotice;
  pendingNotice = null;
  carried = new URLSearchParams();
  const ticket = ++renderCount;
  extensions.accountEvents = null;
  root.setAttribute('aria-busy', 'true');
  let element: HTMLElement;
  try {
    element = await view.render(context(params, notice));
  } catch (error) {
    element = authCard(
      'Something went wrong',
      null,
      null,
      h('p', { role: 'alert' }, String(error instanceof Error ? error.message : error)),
      h('p', {}, h('a', { href: '#' }, 'Start again')),
    );
  }
  // A newer navigation finished first: its view stays.
  if (ticket !== renderCount) return;
  root.replaceChildren(element);
  root.removeAttribute('aria-busy');
  document.title = `${view.title} · sessiongraph`;
  // Keyboard and screen-reader users land on the new view's heading, as after a page load.
  if (!firstRender) document.getElementById('view-title')?.focus();
  firstRender = false;
}

/** The server says there is no session: if this page thought it had one, it was ended elsewhere. */
function sessionEnded() {
  if (!me) return;
  endSignedIn();
  go('sign-in', { notice: SIGNED_OUT_ELSEWHERE });
}

/**
 * Coming back to the tab is when a revoked device learns it: ask the server, cheaply, once. Returning
 * fires both `visibilitychange` and `focus`; the second joins the question already asked.
 */
let rechecking: Promise<void> | undefined;
function recheck(): Promise<void> {
  if (!me || document.visibilityState !== 'visible') return Promise.resolve();
  rechecking ??= loadMe()
    .then(
      (now) => {
        if (now === null) sessionEnded();
      },
      () => {},
    )
    .finally(() => {
      rechecking = undefined;
    });
  return rechecking;
}

async function start() {
  onSessionEnded(sessionEnded);
  window.addEventListener('hashchange', () => void render());
  document.addEventListener('visibilitychange', () => void recheck());
  window.addEventListener('focus', () => void recheck());
  try {
    me = await loadMe();
  } catch (error) {
    root.replaceChildren(
      authCard(
        'The server cannot be reached',
        error instanceof Error ? error.message : null,
        null,
        h('p', {}, h('a', { href: '' }, 'Try again')),
      ),
    );
    root.removeAttribute('aria-busy');
    return;
  }
  if (me) {
    localStorage.setItem(WAS_SIGNED_IN, '1');
    startWhileSignedIn();
  } else if (localStorage.getItem(WAS_SIGNED_IN)) {
    localStorage.removeItem(WAS_SIGNED_IN);
    pendingNotice = SIGNED_OUT_ELSEWHERE;
  }
  await render();
}

void start();
