/**
 * The one table of expected failures. Auth code throws AppError; the GraphQL layer turns it into a
 * GraphQLError with `extensions.code` (and `field` / `retryAfter`). Anything else is masked. Guards that
 * answer before GraphQL runs (host, route, CSRF, body size, start-up) write the same shape from here.
 */
export const ERROR_MESSAGES = {
  BAD_USER_INPUT: 'The input is not valid.',
  CONFLICT: 'That value is already taken.',
  INVALID_CREDENTIALS: 'The name, e-mail or password is not correct.',
  UNAUTHENTICATED: 'You need to be signed in.',
  INVALID_OTP: 'The code is wrong, expired or already used.',
  NOT_FOUND: 'No such session.',
  FORBIDDEN: 'You are not allowed to do this.',
  RATE_LIMITED: 'Too many attempts. Try again later.',
  REAUTHENTICATION_REQUIRED: 'Confirm it is you: sign in again to do this.',
  SECOND_FACTOR_REQUIRED:
    'Enter a code from your authenticator, a recovery code, or use a passkey.',
  EMAIL_NOT_VERIFIED: 'Verify your e-mail address first.',
  ACCOUNT_DISABLED: 'This account is disabled.',
  // HTTP 503 with Retry-After while the database cannot be reached, and while the server starts.
  UNAVAILABLE: 'Temporarily unavailable. Try again shortly.',
  REQUEST_ENTITY_TOO_LARGE: 'The request body is too large.',
  // What GraphQL calls a masked failure; the HTTP routes beside it (REST, /whoami) answer it with 500.
  INTERNAL_SERVER_ERROR: 'Unexpected error.',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

/** Codes answered with an HTTP status of their own; the rest keep GraphQL's usual 200. */
export const ERROR_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAVAILABLE: 503,
  REQUEST_ENTITY_TOO_LARGE: 413,
};

/** A GraphQL-shaped error response body, for answers given before (or without) GraphQL. */
export function errorBody(
  code: ErrorCode,
  message: string = ERROR_MESSAGES[code],
  details: { field?: string; retryAfter?: number } = {},
): string {
  return JSON.stringify({ errors: [{ message, extensions: { code, ...details } }] });
}

export interface ErrorDetails {
  field?: string;
  retryAfter?: number;
  /** REAUTHENTICATION_REQUIRED and SECOND_FACTOR_REQUIRED: what the viewer may prove. */
  methods?: readonly string[];
  /** SECOND_FACTOR_REQUIRED: the opaque, single-use challenge of the password step. */
  challenge?: string;
  /** ACCOUNT_DISABLED: when the disabling ends (ISO 8601), when it does. */
  until?: string;
}

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_MESSAGES[code],
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

export const badInput = (field: string, message: string) =>
  new AppError('BAD_USER_INPUT', message, { field });

export const rateLimited = (retryAfterSeconds: number) =>
  new AppError('RATE_LIMITED', ERROR_MESSAGES.RATE_LIMITED, {
    retryAfter: Math.max(1, Math.ceil(retryAfterSeconds)),
  });
