import type { RunStatement, Statement } from '../../db/statements.js';
import type { Session, User } from '../../generated/prisma/client.js';

/**
 * The cache-miss read: a session by token hash, joined to its user, in one named statement. Through
 * Prisma the same read spent more time in the query engine's general machinery than in PostgreSQL
 * (bench: cache-miss), and every request of a big site's working set, or of the minute after a deploy,
 * takes this path.
 */

// Typed as complete maps: a column added to either model fails to compile here until it is read too.
const SESSION_COLUMNS: Record<keyof Session, string> = {
  id: 'id',
  tokenHash: 'token_hash',
  userId: 'user_id',
  createdAt: 'created_at',
  lastSeenAt: 'last_seen_at',
  expiresAt: 'expires_at',
  absoluteExpiresAt: 'absolute_expires_at',
  keepSignedIn: 'keep_signed_in',
  userAgent: 'user_agent',
  ip: 'ip',
  authenticatedAt: 'authenticated_at',
  // An enum array arrives as its text form ('{PASSWORD}') unless cast: pg parses text[] into an array.
  methods: 'methods::text[]',
  previousTokenHash: 'previous_token_hash',
  rotatedAt: 'rotated_at',
};

export const USER_COLUMNS: Record<keyof User, string> = {
  id: 'id',
  name: 'name',
  nameKey: 'name_key',
  nameSkeleton: 'name_skeleton',
  displayName: 'display_name',
  email: 'email',
  emailKey: 'email_key',
  passwordHash: 'password_hash',
  role: 'role',
  credentialVersion: 'credential_version',
  emailVerifiedAt: 'email_verified_at',
  disabledAt: 'disabled_at',
  disabledUntil: 'disabled_until',
  secondFactors: 'second_factors::text[]',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export const selected = (alias: string, columns: Record<string, string>) =>
  Object.entries(columns).map(([field, column]) => `${alias}.${column} AS "${alias}.${field}"`);

const SESSION_WITH_USER: Statement = {
  name: 'session_with_user',
  text: `SELECT ${[...selected('s', SESSION_COLUMNS), ...selected('u', USER_COLUMNS)].join(', ')}
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.token_hash = $1`,
};

const SESSION_FIELDS = Object.keys(SESSION_COLUMNS) as (keyof Session)[];
export const USER_FIELDS = Object.keys(USER_COLUMNS) as (keyof User)[];

export function pick<T>(row: Record<string, unknown>, alias: string, fields: (keyof T)[]): T {
  const picked: Partial<Record<keyof T, unknown>> = {};
  for (const field of fields) picked[field] = row[`${alias}.${String(field)}`];
  return picked as T;
}

const ROTATED_AWAY: Statement = {
  name: 'session_rotated_away',
  text: 'SELECT 1 FROM sessions WHERE previous_token_hash = $1 AND rotated_at > $2 LIMIT 1',
};

/** Whether a rotation since `since` replaced this token hash (in any instance). */
export async function rotatedAwaySince(
  run: RunStatement,
  tokenHash: string,
  since: Date,
): Promise<boolean> {
  return (await run(ROTATED_AWAY, [tokenHash, since])).length > 0;
}

export async function sessionWithUser(
  run: RunStatement,
  tokenHash: string,
): Promise<{ session: Session; user: User } | null> {
  const [row] = await run<Record<string, unknown>>(SESSION_WITH_USER, [tokenHash]);
  if (!row) return null;
  return { session: pick(row, 's', SESSION_FIELDS), user: pick(row, 'u', USER_FIELDS) };
}
