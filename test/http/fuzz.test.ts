import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/client.js';
import { AUTH_PAYLOAD, SESSION_FIELDS, signUp, UNLIMITED, USER_FIELDS } from '../support/flows.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * Property-based fuzzing (fast-check) of every query and mutation, and of the HTTP body itself, with
 * malformed and hostile input: random and huge strings, every Unicode plane, NUL and control
 * characters, wrong types, random JSON bodies and variables. For every answer:
 * - never a 5xx;
 * - every error carries a documented code, or is a request/validation error (GraphQL's own);
 * - no stack, SQL or internals in the body;
 * - a failed mutation writes nothing (users, sessions and password hashes as before).
 * Run counts are bounded so the file finishes well under a minute; set FUZZ_RUNS to dig deeper.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);

const DOCUMENTED = new Set([
  'BAD_USER_INPUT',
  'CONFLICT',
  'INVALID_CREDENTIALS',
  'UNAUTHENTICATED',
  'INVALID_OTP',
  'NOT_FOUND',
  'RATE_LIMITED',
]);
// GraphQL's own request errors: the document or variables are wrong, not the server.
const REQUEST_ERRORS = new Set([
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'FORBIDDEN',
  'OPERATION_RESOLUTION_FAILURE',
  'REQUEST_ENTITY_TOO_LARGE',
]);
const LEAKS =
  /prisma|invalid `|node_modules|\bat [\w.<>]+ \(|\.ts:\d+:\d+|duplicate key|violates|syntax error at or near|SQLSTATE|PGlite/i;

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    env: {
      ...UNLIMITED,
      RATE_LIMIT_FORGOT_PASSWORD: '100000',
      RATE_LIMIT_RESET_IP: '100000',
      MAIL_NOTIFY_NEW_SIGN_IN: 'false',
      // users open to every signed-in user, so fuzzed arguments reach its checks, not the role check.
      USERS_QUERY_ACCESS: 'signed-in',
    },
  });
});
afterAll(() => server.close());

// ---- arbitraries -------------------------------------------------------------------------------

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'binary-ascii', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.emailAddress(),
  fc.uuid(),
  fc.integer({ min: 0, max: 999_999 }).map((n) => String(n).padStart(6, '0')),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b@example.test',
    'nul\u0000@example.test',
    '\uD800',
    'x\uDFFFy',
    '\u202Eevil\u202C',
    '\u200B',
    'İ'.repeat(101),
    '🦄'.repeat(129),
    "' OR 1=1 --",
    '"; DROP TABLE users; --',
    '$1',
    '%s%s%s%n',
    '../../../../etc/passwd',
    '<script>alert(1)</script>',
    '__proto__',
    'constructor',
    '{"$ne":null}',
    'x'.repeat(10_000),
    `${'a'.repeat(300)}@example.test`,
    'ａｄｍｉｎ',
  ),
);

/** Anything a JSON client could send where a string is expected. */
const wrongTyped = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** Values that pass GraphQL's type checks, so that the resolvers and the database see the input. */
const plausible: Record<string, fc.Arbitrary<unknown>> = {
  name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
  email: fc.emailAddress(),
  password: fc.string({ unit: 'binary', minLength: 8, maxLength: 40 }),
  newPassword: fc.string({ unit: 'binary', minLength: 8, maxLength: 40 }),
  currentPassword: fc.string({ minLength: 8, maxLength: 40 }),
  displayName: fc.option(fc.string({ unit: 'grapheme', maxLength: 60 })),
  otp: fc.integer({ min: 0, max: 999_999 }).map((n) => String(n).padStart(6, '0')),
  keepSignedIn: fc.boolean(),
};

const input = (fields: string[]) =>
  fc.oneof(
    {
      // Each field plausible or hostile, any of them missing: most of these reach the resolver.
      weight: 6,
      arbitrary: fc.record(
        Object.fromEntries(
          fields.map((field) => [
            field,
            fc.oneof(plausible[field] ?? hostileString, hostileString, wrongTyped),
          ]),
        ),
        { requiredKeys: [] },
      ),
    },
    {
      weight: 3,
      arbitrary: fc.dictionary(fc.constantFrom(...fields, 'extra', '__proto__'), wrongTyped, {
        maxKeys: fields.length + 1,
      }),
    },
    { weight: 1, arbitrary: wrongTyped },
  );

interface Operation {
  name: string;
  document: string;
  variables: fc.Arbitrary<Record<string, unknown>>;
  mutation: boolean;
  signedIn: boolean;
}

const withInput = (fields: string[]) => input(fields).map((value) => ({ input: value }));
const noVariables = fc.constant({});

const OPERATIONS: Operation[] = [
  {
    name: 'signUp',
    document: `mutation ($input: SignUpInput!) { signUp(input: $input) { ${AUTH_PAYLOAD} } }`,
    variables: withInput(['name', 'email', 'password', 'displayName', 'keepSignedIn']),
    mutation: true,
    signedIn: false,
  },
  {
    name: 'signIn',
    document: `mutation ($input: SignInInput!) { signIn(input: $input) { ${AUTH_PAYLOAD} } }`,
    variables: withInput(['name', 'email', 'password', 'keepSignedIn']),
    mutation: true,
    signedIn: false,
  },
  {
    name: 'forgetPassword',
    document: 'mutation ($input: ForgetPasswordInput!) { forgetPassword(input: $input) }',
    variables: withInput(['email']),
    mutation: true,
    signedIn: false,
  },
  {
    name: 'resetPassword',
    document: `mutation ($input: ResetPasswordInput!) { resetPassword(input: $input) { ${AUTH_PAYLOAD} } }`,
    variables: withInput(['email', 'otp', 'newPassword', 'keepSignedIn']),
    mutation: true,
    signedIn: false,
  },
  {
    name: 'changePassword',
    document: `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { ${AUTH_PAYLOAD} } }`,
    variables: withInput(['currentPassword', 'newPassword']),
    mutation: true,
    signedIn: true,
  },
  {
    name: 'revokeSession',
    document: 'mutation ($id: ID!) { revokeSession(id: $id) }',
    variables: wrongTyped.map((id) => ({ id })),
    mutation: true,
    signedIn: true,
  },
  {
    name: 'logout',
    document: 'mutation { logout }',
    variables: noVariables,
    mutation: true,
    signedIn: true,
  },
  {
    name: 'refreshSession',
    document: `mutation { refreshSession { ${SESSION_FIELDS} } }`,
    variables: noVariables,
    mutation: true,
    signedIn: true,
  },
  {
    name: 'revokeOtherSessions',
    document: 'mutation { revokeOtherSessions }',
    variables: noVariables,
    mutation: true,
    signedIn: true,
  },
  {
    name: 'me',
    document: `{ me { ${USER_FIELDS} } }`,
    variables: noVariables,
    mutation: false,
    signedIn: true,
  },
  {
    name: 'session',
    document: `{ session { ${SESSION_FIELDS} user { id } } }`,
    variables: noVariables,
    mutation: false,
    signedIn: true,
  },
  {
    name: 'sessions',
    document: `{ sessions { ${SESSION_FIELDS} } }`,
    variables: noVariables,
    mutation: false,
    signedIn: true,
  },
  {
    name: 'users',
    document: `query ($first: Int, $after: String) { users(first: $first, after: $after) { totalCount edges { cursor node { ${USER_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
    variables: fc.record(
      {
        first: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constant(2 ** 31), wrongTyped),
        after: wrongTyped,
      },
      { requiredKeys: [] },
    ),
    mutation: false,
    signedIn: true,
  },
];

// ---- checks ------------------------------------------------------------------------------------

interface Answer {
  status: number;
  text: string;
}

async function send(body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await server.fetch(server.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...headers,
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

interface ErrorShape {
  message?: unknown;
  extensions?: { code?: unknown };
  [key: string]: unknown;
}

/** The invariants every answer keeps, whatever was sent. */
function checkAnswer(answer: Answer): { data: unknown; errors: ErrorShape[] } {
  expect(answer.status, answer.text.slice(0, 500)).toBeLessThan(500);
  expect(answer.text).not.toMatch(LEAKS);
  let body: { data?: unknown; errors?: ErrorShape[] };
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    // Only refusals made before GraphQL (4xx) may answer without a JSON body.
    expect(answer.status).toBeGreaterThanOrEqual(400);
    return { data: undefined, errors: [] };
  }
  const errors = body.errors ?? [];
  for (const error of errors) {
    expect(Object.keys(error)).not.toContain('stack');
    expect(JSON.stringify(error.extensions ?? {})).not.toMatch(/stack|originalError|exception/i);
    const code = error.extensions?.code;
    if (code === undefined) {
      // Without a code only a request-level error of GraphQL's own, answered with a 4xx.
      expect(answer.status, JSON.stringify(error)).toBeGreaterThanOrEqual(400);
    } else {
      expect(
        DOCUMENTED.has(String(code)) || REQUEST_ERRORS.has(String(code)),
        JSON.stringify(error),
      ).toBe(true);
    }
  }
  return { data: body.data, errors };
}

/** What a failed mutation must leave untouched. */
async function snapshot() {
  const prisma = server.booted.db.prisma;
  const [users, sessions, hashes] = await Promise.all([
    prisma.user.count(),
    prisma.session.count(),
    prisma.user.findMany({ select: { id: true, passwordHash: true }, orderBy: { id: 'asc' } }),
  ]);
  return { users, sessions, hashes };
}

async function signedInHeaders(): Promise<Record<string, string>> {
  const client = new TestClient(server);
  await signUp(client);
  return { authorization: `Bearer ${client.sessionValue}` };
}

// ---- properties --------------------------------------------------------------------------------

describe('fuzzing every operation with hostile variables', () => {
  for (const operation of OPERATIONS) {
    it(`${operation.name}: no 5xx, only documented errors, no leaks, no half-written records`, async () => {
      const headers = operation.signedIn ? await signedInHeaders() : {};
      await fc.assert(
        fc.asyncProperty(operation.variables, fc.boolean(), async (variables, asSignedIn) => {
          const before = operation.mutation ? await snapshot() : undefined;
          const answer = await send(
            JSON.stringify({ query: operation.document, variables }),
            asSignedIn ? headers : {},
          );
          const { data, errors } = checkAnswer(answer);
          // A mutation that failed without data wrote nothing (a query has nothing to compare).
          const failed = errors.length > 0 && (data === null || data === undefined);
          expect(before && failed ? await snapshot() : before).toEqual(before);
        }),
        { numRuns: RUNS },
      );
    });
  }
});

describe('fuzzing the request itself', () => {
  it('random bodies, JSON or not', async () => {
    const bodies = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            query: fc.oneof(hostileString, fc.constantFrom(...OPERATIONS.map((o) => o.document))),
            variables: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string()),
            operationName: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
            extensions: fc.jsonValue({ maxDepth: 2 }),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const before = await snapshot();
        const { data } = checkAnswer(await send(body));
        // Whatever answered without data wrote nothing.
        const failed = data === null || data === undefined;
        expect(failed ? await snapshot() : before).toEqual(before);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('mangled documents: every operation with random cuts and insertions', async () => {
    const mangled = fc
      .tuple(
        fc.constantFrom(...OPERATIONS),
        fc.nat(),
        fc.nat(),
        fc.string({ unit: 'binary-ascii', maxLength: 12 }),
      )
      .map(([operation, at, cut, insert]) => {
        const doc = operation.document;
        const start = at % (doc.length + 1);
        return doc.slice(0, start) + insert + doc.slice(Math.min(doc.length, start + (cut % 8)));
      });
    await fc.assert(
      fc.asyncProperty(mangled, wrongTyped, async (query, variables) => {
        checkAnswer(
          await send(JSON.stringify({ query, variables: { input: variables, id: variables } })),
        );
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('odd headers: bogus cookies, bearer values, content types and origins', async () => {
    const header = fc.string({ unit: 'grapheme-ascii', maxLength: 200 });
    await fc.assert(
      fc.asyncProperty(
        header,
        header,
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-16',
          'application/graphql-response+json',
        ),
        async (cookie, bearer, type) => {
          const answer = await send(JSON.stringify({ query: '{ me { id } session { id } }' }), {
            cookie: `sessionId=${cookie}`,
            authorization: `Bearer ${bearer}`,
            'content-type': type,
          });
          checkAnswer(answer);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});
