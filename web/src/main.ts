/**
 * The account page: plain DOM and fetch against /graphql. The session lives in an HttpOnly cookie
 * the page never sees; `credentials: 'same-origin'` lets the browser send it, and the JSON content
 * type is what the server's CSRF rule requires.
 */

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; field?: string; retryAfter?: number };
}

class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    data?: T | null;
    errors?: GraphQLErrorBody[];
  };
  const error = body.errors?.[0];
  if (error) {
    const retry = error.extensions?.retryAfter;
    const message = retry ? `${error.message} Try again in ${retry} s.` : error.message;
    throw new ApiError(message, error.extensions?.code);
  }
  if (!body.data) throw new ApiError(`The server answered ${response.status}.`, undefined);
  return body.data;
}

interface Me {
  id: string;
  name: string;
  displayName: string | null;
  email: string;
}

interface Device {
  id: string;
  current: boolean;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  keepSignedIn: boolean;
}

const ME = 'query Me { me { id name displayName email } }';
const SESSIONS =
  'query Sessions { sessions { id current userAgent ip createdAt lastSeenAt keepSignedIn } }';
const AUTH = 'user { id } session { id }';
const SIGN_UP = `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { ${AUTH} } }`;
const SIGN_IN = `mutation SignIn($input: SignInInput!) { signIn(input: $input) { ${AUTH} } }`;
const FORGET =
  'mutation ForgetPassword($input: ForgetPasswordInput!) { forgetPassword(input: $input) }';
const RESET = `mutation ResetPassword($input: ResetPasswordInput!) { resetPassword(input: $input) { ${AUTH} } }`;
const REVOKE = 'mutation RevokeSession($id: ID!) { revokeSession(id: $id) }';
const REVOKE_OTHERS = 'mutation RevokeOtherSessions { revokeOtherSessions }';
const LOGOUT = 'mutation Logout { logout }';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const signedIn = byId<HTMLElement>('signed-in');
const signedOut = byId<HTMLElement>('signed-out');
const statusLine = byId<HTMLElement>('status');
const errorLine = byId<HTMLElement>('error');
const sessionList = byId<HTMLUListElement>('sessions');

function say(message: string) {
  statusLine.textContent = message;
  errorLine.hidden = true;
}

function fail(error: unknown) {
  errorLine.textContent = error instanceof Error ? error.message : String(error);
  errorLine.hidden = false;
}

/** Runs an action from a form or button: one at a time, errors shown, the view refreshed after. */
async function act(
  control: HTMLButtonElement | HTMLFormElement,
  action: () => Promise<string | undefined>,
) {
  const buttons =
    control instanceof HTMLFormElement ? [...control.querySelectorAll('button')] : [control];
  for (const button of buttons) button.disabled = true;
  try {
    const done = await action();
    await refresh();
    if (done) say(done);
  } catch (error) {
    fail(error);
    if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') await refresh();
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

async function refresh() {
  const { me } = await gql<{ me: Me | null }>(ME);
  signedIn.hidden = !me;
  signedOut.hidden = !!me;
  if (!me) {
    sessionList.replaceChildren();
    return;
  }
  byId('me-name').textContent = me.displayName ? `${me.displayName} (@${me.name})` : me.name;
  byId('me-email').textContent = me.email;
  const { sessions } = await gql<{ sessions: Device[] }>(SESSIONS);
  sessionList.replaceChildren(...sessions.map(deviceItem));
}

function deviceItem(device: Device): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset.sessionId = device.id;
  const label = document.createElement('div');
  label.className = 'device';
  const name = document.createElement('span');
  name.className = 'agent';
  name.textContent = device.userAgent ?? 'Unknown device';
  label.append(name);
  if (device.current) {
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = 'This device';
    label.append(badge);
  }
  const details = document.createElement('small');
  const seen = new Date(device.lastSeenAt).toLocaleString();
  details.textContent = `${device.ip ?? 'unknown address'} · last seen ${seen}${device.keepSignedIn ? ' · remembered' : ''}`;
  label.append(details);
  item.append(label);
  if (!device.current) {
    const revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.textContent = 'Revoke';
    revoke.setAttribute('aria-label', `Revoke ${device.userAgent ?? 'unknown device'}`);
    revoke.addEventListener('click', () =>
      act(revoke, async () => {
        await gql(REVOKE, { id: device.id });
        return 'That device is signed out.';
      }),
    );
    item.append(revoke);
  }
  return item;
}

function onSubmit(
  id: string,
  action: (data: FormData, form: HTMLFormElement) => Promise<string | undefined>,
) {
  const form = byId<HTMLFormElement>(id);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void act(form, () => action(new FormData(form), form));
  });
}

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();
const secret = (data: FormData, name: string) => String(data.get(name) ?? '');
const checked = (data: FormData, name: string) => data.get(name) === 'on';

onSubmit('sign-up', async (data, form) => {
  const displayName = text(data, 'displayName');
  await gql(SIGN_UP, {
    input: {
      name: text(data, 'name'),
      email: text(data, 'email'),
      password: secret(data, 'password'),
      keepSignedIn: checked(data, 'keepSignedIn'),
      ...(displayName ? { displayName } : {}),
    },
  });
  form.reset();
  return 'Welcome! Your account is ready.';
});

onSubmit('sign-in', async (data, form) => {
  const login = text(data, 'login');
  await gql(SIGN_IN, {
    input: {
      ...(login.includes('@') ? { email: login } : { name: login }),
      password: secret(data, 'password'),
      keepSignedIn: checked(data, 'keepSignedIn'),
    },
  });
  form.reset();
  return 'Signed in.';
});

onSubmit('forgot', async (data) => {
  const email = text(data, 'email');
  await gql(FORGET, { input: { email } });
  const reset = byId<HTMLFormElement>('reset');
  (reset.elements.namedItem('email') as HTMLInputElement).value = email;
  return 'If that address has an account, a 6-digit code is on its way. Enter it below.';
});

onSubmit('reset', async (data, form) => {
  await gql(RESET, {
    input: {
      email: text(data, 'email'),
      otp: text(data, 'otp'),
      newPassword: secret(data, 'newPassword'),
      keepSignedIn: checked(data, 'keepSignedIn'),
    },
  });
  form.reset();
  return 'Password changed. Every other device has been signed out.';
});

const revokeOthers = byId<HTMLButtonElement>('revoke-others');
revokeOthers.addEventListener('click', () =>
  act(revokeOthers, async () => {
    const { revokeOtherSessions } = await gql<{ revokeOtherSessions: number }>(REVOKE_OTHERS);
    return `Signed out ${revokeOtherSessions} other device${revokeOtherSessions === 1 ? '' : 's'}.`;
  }),
);

const logout = byId<HTMLButtonElement>('logout');
logout.addEventListener('click', () =>
  act(logout, async () => {
    await gql(LOGOUT);
    return 'Signed out.';
  }),
);

/** The mailed reset link opens `#reset?email=…&token=…`: the reset form is filled in from it. */
function prefillReset() {
  if (!location.hash.startsWith('#reset?')) return;
  const params = new URLSearchParams(location.hash.slice('#reset?'.length));
  // The token is a credential until spent: out of the address bar, and out of history for Back.
  history.replaceState(null, '', location.pathname + location.search);
  const reset = byId<HTMLFormElement>('reset');
  const field = (name: string) => reset.elements.namedItem(name) as HTMLInputElement;
  field('email').value = params.get('email') ?? '';
  const otp = field('otp');
  otp.pattern = '[0-9]{6}|[A-Za-z0-9_\\-]{22}';
  otp.value = params.get('token') ?? '';
  field('newPassword').focus();
  say('Choose a new password.');
}

prefillReset();
refresh().catch(fail);
