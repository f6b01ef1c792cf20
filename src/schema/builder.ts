import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { AppError } from '../errors.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import type { Context, SignedInContext } from './context.js';
import { prismaFor } from './context.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { signedIn: boolean; admin: boolean; self: string };
  AuthContexts: { signedIn: SignedInContext; admin: SignedInContext };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    // WebAuthn options and responses: checked by @simplewebauthn/server, never trusted as typed.
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    // A subscription is authorised when it opens, not per event: a signed-out caller gets
    // UNAUTHENTICATED instead of a stream whose subscribe function has no viewer to read.
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      signedIn: context.viewer !== null,
      admin: context.viewer?.user.role === 'ADMIN',
      // { self: userId }: the viewer is that user (their own private fields).
      self: (userId) => context.viewer?.user.id === userId,
    }),
    // Signed out, any refusal means "sign in first"; signed in, it means this viewer may not.
    unauthorizedError: (_parent, context) =>
      new AppError(context.viewer ? 'FORBIDDEN' : 'UNAUTHENTICATED'),
  },
  prisma: {
    // The client lives outside the Context type (it slows type-checking); each request maps to its app's client.
    client: (context) => prismaFor(context),
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', JSONResolver);
builder.queryType();
builder.mutationType();
