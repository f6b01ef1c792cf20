/**
 * The one way the page talks to the server: JSON POSTs to /graphql. The session lives in an HttpOnly
 * cookie the page never sees; `credentials: 'same-origin'` lets the browser send it, and the JSON
 * content type is what the server's CSRF rule requires.
 */

export interface ErrorExtensions {
  code?: string;
  field?: string;
  retryAfter?: number;
  methods?: string[];
  challenge?: string;
  until?: string;
}

/** A GraphQL error: clients branch on `code`, never on the message. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly extensions: ErrorExtensions = {},
  ) {
    super(message);
  }

  get field(): string | undefined {
    return this.extensions.field;
  }
}

/** The server does not know a field the page asked for: a feature it does not have yet. */
export const isUnsupported = (error: unknown) =>
  error instanceof ApiError && error.code === 'GRAPHQL_VALIDATION_FAILED';

type Listener = () => void;
const sessionEndedListeners = new Set<Listener>();

/** Called whenever the server says this browser has no live session (revoked, expired, signed out). */
export function onSessionEnded(listener: Listener): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

export interface RequestOptions {
  /**
   * Ask as a plain `application/json` client: a server that lacks a field then answers 200 with the
   * error rather than 400, so probing for a newer feature leaves no failed request in the console.
   */
  probe?: boolean;
}

/*
 * Mutations go one at a time and never beside another request; queries go together. A mutation may
 * give the session a new token (a factor change, re-authentication, a password change), and the answer
 * to a request that left with the old token clears the cookie, new token and all: no request of this
 * page may be on its way while a token changes.
 */
let shared = 0;
let sharedDone: Promise<void> = Promise.resolve();
let releaseShared: () => void = () => {};
let exclusive: Promise<void> = Promise.resolve();

/** Runs a request that cannot change the token (a query), beside other such requests. */
export async function runShared<T>(run: () => Promise<T>): Promise<T> {
  let current: Promise<void>;
  do {
    current = exclusive;
    await current;
  } while (current !== exclusive);
  if (shared++ === 0) sharedDone = new Promise((resolve) => (releaseShared = resolve));
  try {
    return await run();
  } finally {
    if (--shared === 0) releaseShared();
  }
}

async function runExclusive<T>(run: () => Promise<T>): Promise<T> {
  const previous = exclusive;
  let release: () => void = () => {};
  exclusive = new Promise((resolve) => (release = resolve));
  await previous;
  while (shared > 0) await sharedDone;
  try {
    return await run();
  } finally {
    release();
  }
}

export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<T> {
  const run = () => send<T>(query, variables, options);
  return /^\s*mutation\b/.test(query) ? runExclusive(run) : runShared(run);
}

async function send<T>(
  query: string,
  variables: Record<string, unknown>,
  options: RequestOptions,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'content-type': 'application/json',
        accept: options.probe
          ? 'application/json'
          : 'application/graphql-response+json, application/json',
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError(
      'The server cannot be reached. Check your connection and try again.',
      'NETWORK',
    );
  }
  const body = (await response.json().catch(() => ({}))) as {
    data?: T | null;
    errors?: { message: string; extensions?: ErrorExtensions }[];
  };
  const error = body.errors?.[0];
  if (error) {
    const extensions = error.extensions ?? {};
    if (extensions.code === 'UNAUTHENTICATED')
      for (const listener of sessionEndedListeners) listener();
    const retry = extensions.retryAfter;
    const message = retry ? `${error.message} Try again in ${waitText(retry)}.` : error.message;
    throw new ApiError(message, extensions.code, extensions);
  }
  if (!body.data) throw new ApiError(`The server answered ${response.status}.`, undefined);
  return body.data;
}

function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
