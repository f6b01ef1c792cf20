import type { RunStatement, Statement } from '../../db/statements.js';
import type { User } from '../../generated/prisma/client.js';
import { pick, selected, USER_COLUMNS, USER_FIELDS } from '../sessions/lookup.js';

/**
 * The account a sign-in names, by its name key or e-mail key, in one named statement: every sign-in,
 * right or wrong, starts here, and through the ORM the read cost more than the statement (bench:
 * signin-rate, storm).
 */

const byKey = (column: 'name_key' | 'email_key'): Statement => ({
  name: `user_by_${column}`,
  text: `SELECT ${selected('u', USER_COLUMNS).join(', ')} FROM users u WHERE u.${column} = $1`,
});

const BY_NAME_KEY = byKey('name_key');
const BY_EMAIL_KEY = byKey('email_key');

export async function userByKey(
  run: RunStatement,
  key: { nameKey: string } | { emailKey: string },
): Promise<User | null> {
  const [row] =
    'nameKey' in key
      ? await run<Record<string, unknown>>(BY_NAME_KEY, [key.nameKey])
      : await run<Record<string, unknown>>(BY_EMAIL_KEY, [key.emailKey]);
  return row ? pick<User>(row, 'u', USER_FIELDS) : null;
}
