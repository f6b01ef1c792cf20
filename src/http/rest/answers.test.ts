import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AppError, rateLimited } from '../../errors.js';
import { answerForError, errorAnswer } from './answers.js';

const silent = pino({ level: 'silent' });

describe('the REST status table', () => {
  it("answers part two's codes as API.md says", () => {
    expect(errorAnswer('SECOND_FACTOR_REQUIRED', 'A second factor is required.')).toEqual({
      status: 401,
      body: { code: 'SECOND_FACTOR_REQUIRED', message: 'A second factor is required.' },
      headers: { 'www-authenticate': 'Bearer realm="sessiongraph"' },
    });
    const disabled = errorAnswer('ACCOUNT_DISABLED', 'Disabled.', {
      until: '2030-01-01T00:00:00.000Z',
    });
    expect(disabled.status).toBe(403);
    expect(disabled.body).toEqual({
      code: 'ACCOUNT_DISABLED',
      message: 'Disabled.',
      until: '2030-01-01T00:00:00.000Z',
    });
  });

  it('maps the core errors, also when GraphQL wrapped them, and puts retryAfter in Retry-After', () => {
    expect(answerForError(new AppError('UNAUTHENTICATED'), silent).status).toBe(401);
    expect(answerForError(new AppError('FORBIDDEN'), silent).status).toBe(403);
    expect(answerForError(new AppError('INVALID_CREDENTIALS'), silent).status).toBe(400);
    const wrapped = new GraphQLError('x', { originalError: new AppError('BAD_USER_INPUT') });
    expect(answerForError(wrapped, silent).status).toBe(400);
    const limited = answerForError(rateLimited(42), silent);
    expect(limited.status).toBe(429);
    expect(limited.headers).toEqual({ 'retry-after': '42' });
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 42 });
  });

  it('masks anything unexpected as 500 INTERNAL_SERVER_ERROR, saying nothing of it', () => {
    const answer = answerForError(new Error('relation "users" does not exist'), silent);
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error.' });
  });
});
