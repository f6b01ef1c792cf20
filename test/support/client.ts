import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { parseSetCookie, type SetCookie } from 'cookie';
import type { Fetch } from './server.js';

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

/** Where a client sends its requests: a TestServer (in process), or a URL (over the network). */
export type Target = string | { graphqlUrl: string; fetch?: Fetch };

/** A document from test/generated (`graphql(...)`): its text, and the types of its result and variables. */
export type TypedDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & {
  toString(): string;
};

/**
 * A GraphQL client with a one-origin cookie jar, as a browser tab would hold it. Given a TestServer it
 * talks to the app in process; given a URL, over real HTTP.
 */
export class TestClient {
  readonly jar = new Map<string, string>();
  readonly graphqlUrl: string;
  private readonly send: Fetch;

  constructor(
    readonly target: Target,
    readonly userAgent = 'vitest-client',
  ) {
    this.graphqlUrl = typeof target === 'string' ? target : target.graphqlUrl;
    this.send = (typeof target === 'string' ? undefined : target.fetch) ?? fetch;
  }

  /** A typed document: the response's data has the document's type. */
  request<TResult, TVariables>(
    query: TypedDocument<TResult, TVariables>,
    variables?: TVariables,
    options?: RequestOptions,
  ): Promise<GraphQLResponse<TResult>>;
  /**
   * Any text, hostile or malformed included: the data is whatever came back, unless a library types it
   * (graphql's IntrospectionQuery); operations of our schema are typed by codegen, not here.
   */
  request<TResult = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<GraphQLResponse<TResult>>;
  async request(
    query: string | TypedDocument<unknown, unknown>,
    variables: unknown = {},
    options: RequestOptions = {},
  ): Promise<GraphQLResponse<unknown>> {
    const cookieHeader = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await this.send(this.graphqlUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        'user-agent': this.userAgent,
        ...(cookieHeader ? { cookie: cookieHeader } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query: query.toString(), variables }),
    });
    const setCookies = response.headers.getSetCookie().map((header) => parseSetCookie(header));
    for (const cookie of setCookies) {
      if (cookie.maxAge === 0 || cookie.value === '') this.jar.delete(cookie.name);
      else this.jar.set(cookie.name, cookie.value ?? '');
    }
    const body = (await response.json()) as {
      data?: unknown;
      errors?: GraphQLResponse['errors'];
    };
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
    const copy = new TestClient(this.target, userAgent);
    for (const [k, v] of this.jar) copy.jar.set(k, v);
    return copy;
  }
}

/** The code of the first error, for terse assertions. */
export const errorCode = (response: GraphQLResponse<unknown>) =>
  response.errors?.[0]?.extensions?.code;
