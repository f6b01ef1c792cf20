import { CookieJar } from 'tough-cookie';

/**
 * Node has no cookie jar, so a Node client keeps one itself: this fetch stores every Set-Cookie and
 * sends matching cookies back, as a browser does with `credentials: 'include'`. A browser app needs
 * none of this.
 */
export function fetchWithCookies(jar = new CookieJar()): typeof fetch & { jar: CookieJar } {
  const cookieFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const headers = new Headers(
      init?.headers ?? (input instanceof Request ? input.headers : undefined),
    );
    const cookie = await jar.getCookieString(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(input, { ...init, headers });
    for (const setCookie of response.headers.getSetCookie()) await jar.setCookie(setCookie, url);
    return response;
  };
  return Object.assign(cookieFetch, { jar });
}

/** The session cookie's value, which a non-browser client may send as `Authorization: Bearer <value>`. */
export async function sessionToken(jar: CookieJar, url: string): Promise<string | undefined> {
  const cookies = await jar.getCookies(url);
  return cookies.find((c) => c.key === 'sessionId' || c.key === '__Host-sessionId')?.value;
}

/** A fetch that sends a bearer token and no cookies (a script, a server, a mobile app). */
export function fetchWithBearer(token: string): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
}
