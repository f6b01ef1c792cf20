import type { Session, User } from '../../generated/prisma/client.js';
import type { Context } from '../../schema/context.js';
import type { RestAnswer } from './answers.js';
import type { JsonObject } from './body.js';
import type { ResetRequestIds } from './reset-request-id.js';

/** What a REST handler gets: the same request context GraphQL's resolvers get, and the parsed body. */
export interface RestRequest {
  context: Context;
  /** The JSON object a POST sent; empty for GET and DELETE. */
  body: JsonObject;
  url: URL;
  resetIds: ResetRequestIds;
}

export interface RestRoute {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  handle(request: RestRequest): Promise<RestAnswer>;
}

/** A session as the seed's routes answered it; the public id, never the token. */
export const sessionJson = (session: Session) => ({
  id: session.id,
  userId: session.userId,
  keepSignedIn: session.keepSignedIn,
  startedAt: session.createdAt,
  expiresAt: session.expiresAt,
});

/** A user as the seed's routes answered it, without the password hash or any other stored secret. */
export const userJson = (user: User) => ({
  id: user.id,
  name: user.name,
  displayName: user.displayName,
  email: user.email,
  createdAt: user.createdAt,
});
