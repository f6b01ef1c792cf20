import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { fetchWithBearer, fetchWithCookies, sessionToken } from './cookie-fetch.js';
import { Logout, Me, RevokeSession, Sessions, SignIn, SignUp } from './operations.js';
import type { Account } from './urql.js';

/** An Apollo Client for one device. In a browser, drop `fetch` and keep `credentials: 'include'`. */
export function apolloClient(uri: string, fetchImpl: typeof fetch): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({ uri, fetch: fetchImpl, credentials: 'include' }),
    cache: new InMemoryCache(),
    // Session data changes under the client (other devices revoke it): always ask the server.
    defaultOptions: { query: { fetchPolicy: 'network-only' } },
  });
}

/** Signs up on one device, signs in on another, lists and revokes, uses a bearer token, signs out. */
export async function runApolloExample(uri: string, account: Account) {
  const laptopFetch = fetchWithCookies();
  const laptop = apolloClient(uri, laptopFetch);
  const phone = apolloClient(uri, fetchWithCookies());

  const signedUp = await laptop.mutate({
    mutation: SignUp,
    variables: { input: { ...account, keepSignedIn: true } },
  });
  const signedIn = await phone.mutate({
    mutation: SignIn,
    variables: { input: { name: account.name, password: account.password } },
  });
  if (!signedIn.data) throw new Error('sign-in returned no data');

  const me = (await laptop.query({ query: Me })).data?.me;
  const sessions = (await laptop.query({ query: Sessions })).data?.sessions ?? [];

  const revoked = await laptop.mutate({
    mutation: RevokeSession,
    variables: { id: signedIn.data.signIn.session.id },
  });
  const phoneAfterRevoke = (await phone.query({ query: Me })).data?.me;

  // The same session from a script: the cookie's value as a bearer token.
  const token = await sessionToken(laptopFetch.jar, uri);
  if (!token) throw new Error('no session cookie');
  const script = apolloClient(uri, fetchWithBearer(token));
  const scriptMe = (await script.query({ query: Me })).data?.me;

  const loggedOut = await laptop.mutate({ mutation: Logout });
  // Signing out leaves cached data behind: clear it, as an app would on sign-out.
  await laptop.clearStore();
  const laptopAfterLogout = (await laptop.query({ query: Me })).data?.me;
  const scriptAfterLogout = (await script.query({ query: Me })).data?.me;

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
