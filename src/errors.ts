/**
 * The one table of expected failures. Auth code throws AppError; the GraphQL layer turns it into a
 * GraphQLError with `extensions.code` (and `field` / `retryAfter`). Anything else is masked.
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
  // HTTP 503 with Retry-After while the database cannot be reached (server.ts gives start-up this code too).
  UNAVAILABLE: 'Temporarily unavailable. Try again shortly.',
} as const;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export interface ErrorDetails {
  field?: string;
  retryAfter?: number;
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
