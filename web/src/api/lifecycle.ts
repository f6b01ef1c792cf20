import { isUnsupported, gql as request } from './client.js';

/**
 * Part two of the API (account lifecycle). Every field here is asked for in an operation of its own,
 * never beside part one's, so a server without them fails only these requests: `optional` turns that
 * failure into `undefined` and the page leaves the feature out.
 */

/** Every part-two operation probes (see RequestOptions.probe): the server may not have it yet. */
const gql = <T = unknown>(query: string, variables: Record<string, unknown> = {}) =>
  request<T>(query, variables, { probe: true });

export async function optional<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (isUnsupported(error)) return undefined;
    throw error;
  }
}

export interface DeviceDetails {
  id: string;
  deviceName: string | null;
  authenticatedAt: string;
  methods: string[];
}

export async function loadDeviceDetails(): Promise<DeviceDetails[]> {
  const { sessions } = await gql<{ sessions: DeviceDetails[] }>(
    'query SessionDetails { sessions { id deviceName authenticatedAt methods } }',
  );
  return sessions;
}

export async function loadEmailVerified(): Promise<boolean | null> {
  const { me } = await gql<{ me: { emailVerified: boolean } | null }>(
    'query EmailVerified { me { emailVerified } }',
  );
  return me ? me.emailVerified : null;
}

export const verifyEmail = (code: string) =>
  gql('mutation VerifyEmail($input: VerifyEmailInput!) { verifyEmail(input: $input) { id } }', {
    input: { code },
  });

export const resendEmailVerification = () =>
  gql('mutation ResendEmailVerification { resendEmailVerification }');

export const requestEmailChange = (newEmail: string) =>
  gql(
    'mutation RequestEmailChange($input: RequestEmailChangeInput!) { requestEmailChange(input: $input) }',
    { input: { newEmail } },
  );

export const confirmEmailChange = (code: string) =>
  gql<{ confirmEmailChange: { id: string; email: string } }>(
    'mutation ConfirmEmailChange($input: ConfirmEmailChangeInput!) { confirmEmailChange(input: $input) { id email } }',
    { input: { code } },
  );

export const revertEmailChange = (token: string) =>
  gql(
    'mutation RevertEmailChange($input: RevertEmailChangeInput!) { revertEmailChange(input: $input) }',
    { input: { token } },
  );

export interface ReauthenticateInput {
  password?: string;
  totp?: string;
  recoveryCode?: string;
  passkey?: { challengeId: string; response: unknown };
}

export const reauthenticate = (input: ReauthenticateInput) =>
  gql(
    'mutation Reauthenticate($input: ReauthenticateInput!) { reauthenticate(input: $input) { id authenticatedAt } }',
    { input },
  );

export const deleteAccount = () => gql('mutation DeleteAccount { deleteAccount }');

export interface SecurityEvent {
  id: string;
  kind: string;
  at: string;
  ip: string | null;
  userAgent: string | null;
  deviceName: string | null;
  sessionId: string | null;
}

export interface SecurityEventPage {
  events: SecurityEvent[];
  next: string | null;
}

export async function loadSecurityEvents(
  after: string | null,
  first = 20,
): Promise<SecurityEventPage> {
  const { securityEvents } = await gql<{
    securityEvents: {
      edges: { node: SecurityEvent }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  }>(
    `query SecurityEvents($first: Int, $after: String) {
      securityEvents(first: $first, after: $after) {
        edges { node { id kind at ip userAgent deviceName sessionId } }
        pageInfo { hasNextPage endCursor }
      }
    }`,
    { first, after },
  );
  return {
    events: securityEvents.edges.map((edge) => edge.node),
    next: securityEvents.pageInfo.hasNextPage ? securityEvents.pageInfo.endCursor : null,
  };
}
