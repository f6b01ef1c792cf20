import { parseSetCookie, type SetCookie } from 'cookie';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data: T | null | undefined;
  errors: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] | undefined;
  /** Every Set-Cookie of the response, parsed. */
  setCookies: SetCookie[];
}

export interface RequestOptions {
  headers?: Record<string, string>;
}

/**
 * A GraphQL client over real HTTP with a one-origin cookie jar, as a browser tab would hold it.
 * `bearer` switches it to the Authorization header, as a non-browser client would.
 */
export class TestClient {
  readonly jar = new Map<string, string>();

  constructor(
    readonly graphqlUrl: string,
    readonly userAgent = 'vitest-client',
  ) {}

  async request<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: RequestOptions = {},
  ): Promise<GraphQLResponse<T>> {
    const cookieHeader = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(this.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        'user-agent': this.userAgent,
        ...(cookieHeader ? { cookie: cookieHeader } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const setCookies = response.headers.getSetCookie().map((header) => parseSetCookie(header));
    for (const cookie of setCookies) {
      if (cookie.maxAge === 0 || cookie.value === '') this.jar.delete(cookie.name);
      else this.jar.set(cookie.name, cookie.value ?? '');
    }
    const body = (await response.json()) as { data?: T | null; errors?: GraphQLResponse['errors'] };
    return {
      status: response.status,
      headers: response.headers,
      data: body.data,
      errors: body.errors,
      setCookies,
    };
  }

  /** The session cookie's value (whatever its name), or undefined when signed out. */
  get sessionValue(): string | undefined {
    return this.jar.get('sessionId') ?? this.jar.get('__Host-sessionId');
  }

  /** A second client holding a copy of this one's cookies (another tab, or a thief with the cookie). */
  clone(userAgent = this.userAgent): TestClient {
    const copy = new TestClient(this.graphqlUrl, userAgent);
    for (const [k, v] of this.jar) copy.jar.set(k, v);
    return copy;
  }
}

/** The code of the first error, for terse assertions. */
export const errorCode = (response: GraphQLResponse<unknown>) =>
  response.errors?.[0]?.extensions?.code;
