import { Client, fetchExchange } from '@urql/core';
import { fetchWithBearer, fetchWithCookies, sessionToken } from './cookie-fetch.js';
import { Logout, Me, RevokeSession, Sessions, SignIn, SignUp } from './operations.js';

/** A urql client for one device. In a browser, drop `fetch` and keep `credentials: 'include'`. */
export function urqlClient(url: string, fetchImpl: typeof fetch): Client {
  return new Client({
    url,
    exchanges: [fetchExchange],
    fetch: fetchImpl,
    fetchOptions: { credentials: 'include' },
    // Session data changes under the client (other devices revoke it): always ask the server.
    requestPolicy: 'network-only',
    // Queries go as POST too; mutations always do.
    preferGetMethod: false,
  });
}

export interface Account {
  name: string;
  email: string;
  password: string;
}

/** Signs up on one device, signs in on another, lists and revokes, uses a bearer token, signs out. */
export async function runUrqlExample(url: string, account: Account) {
  const laptopFetch = fetchWithCookies();
  const laptop = urqlClient(url, laptopFetch);
  const phone = urqlClient(url, fetchWithCookies());

  const signedUp = await laptop
    .mutation(SignUp, { input: { ...account, keepSignedIn: true } })
    .toPromise();
  if (signedUp.error) throw signedUp.error;
  const signedIn = await phone
    .mutation(SignIn, { input: { email: account.email, password: account.password } })
    .toPromise();
  if (signedIn.error || !signedIn.data) throw signedIn.error ?? new Error('no data');

  const me = (await laptop.query(Me, {}).toPromise()).data?.me;
  const sessions = (await laptop.query(Sessions, {}).toPromise()).data?.sessions ?? [];

  const phoneSessionId = signedIn.data.signIn.session.id;
  const revoked = await laptop.mutation(RevokeSession, { id: phoneSessionId }).toPromise();
  const phoneAfterRevoke = (await phone.query(Me, {}).toPromise()).data?.me;

  // The same session from a script: the cookie's value as a bearer token.
  const token = await sessionToken(laptopFetch.jar, url);
  if (!token) throw new Error('no session cookie');
  const script = urqlClient(url, fetchWithBearer(token));
  const scriptMe = (await script.query(Me, {}).toPromise()).data?.me;

  const loggedOut = await laptop.mutation(Logout, {}).toPromise();
  const laptopAfterLogout = (await laptop.query(Me, {}).toPromise()).data?.me;
  const scriptAfterLogout = (await script.query(Me, {}).toPromise()).data?.me;

  return {
    user: signedUp.data?.signUp.user,
    me,
    sessions,
    revoked: revoked.data?.revokeSession,
    phoneAfterRevoke,
    scriptMe,
    loggedOut: loggedOut.data?.logout,
    laptopAfterLogout,
    scriptAfterLogout,
  };
}
