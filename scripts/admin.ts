/**
 * `npm run admin -- grant <email>` / `npm run admin -- revoke <email>`: sets a user's role on the
 * configured database. On PostgreSQL servers may be running, and every one of them hears of the change
 * when it commits; the embedded database belongs to one process, so run it there while no server runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config.js';
import { announceEvents } from '../src/core/auth/events/event-feed.js';
import { SecurityEvents } from '../src/core/auth/events/security-events.js';
import { normaliseEmail } from '../src/core/auth/validation.js';
import { notifyChange } from '../src/core/sessions/sync.js';
import { type Database, openDatabase } from '../src/db/client.js';
import { DataDirLockedError } from '../src/db/data-dir-lock.js';
import { databaseUnavailableReason } from '../src/db/unavailable.js';
import { AppError } from '../src/errors.js';
import type { Role } from '../src/generated/prisma/enums.js';

const ROLE_BY_COMMAND: Record<string, Role> = { grant: 'ADMIN', revoke: 'USER' };

function exit(line: string, code: number): never {
  console.error(line);
  process.exit(code);
}

const [command = '', address, ...extra] = process.argv.slice(2);
const role = ROLE_BY_COMMAND[command];
if (!role || !address || extra.length > 0) exit('usage: npm run admin -- grant|revoke <email>', 2);

let emailKey: string;
try {
  ({ emailKey } = normaliseEmail('email', address));
} catch (error) {
  if (!(error instanceof AppError)) throw error;
  exit(`not an e-mail address: ${address}`, 2);
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  exit(error.message, 1);
}
const { database } = config;
if (database.kind === 'memory')
  exit('DATABASE_URL=memory: is an empty database of its own; nothing to change', 1);
// Opening a missing directory would create an empty, unmigrated database there.
if (database.kind === 'pglite' && !existsSync(join(database.dataDir, 'PG_VERSION'))) {
  exit(`no embedded database in ${database.dataDir}: start the server once to create it`, 1);
}

let db: Database;
try {
  db = await openDatabase(database);
} catch (error) {
  // A running server holds the embedded database: writing beside it would corrupt it.
  if (!(error instanceof DataDirLockedError)) throw error;
  exit(error.message, 1);
}
try {
  const user = await db.prisma.$transaction(async (tx) => {
    const found = await tx.user.findUnique({
      where: { emailKey },
      select: { id: true, email: true, role: true },
    });
    if (!found) return null;
    if (found.role === role) return found;
    await tx.user.update({ where: { id: found.id }, data: { role } });
    // In the user's own log, like every change to the account; an operator acted, so no actor or client.
    // On PostgreSQL announced too, so the user's open sessionEvents streams on every server see it.
    const events = new SecurityEvents(
      () => new Date(),
      database.kind === 'postgres' ? announceEvents : async () => {},
    );
    await events.record(tx, { userId: found.id, kind: 'ROLE_CHANGED' });
    // Servers cache sessions with their user row: announced in this transaction, every instance drops
    // the user's entries the moment the new role is visible.
    if (database.kind === 'postgres') await notifyChange(tx, { users: [found.id] });
    return found;
  });
  if (user) {
    console.log(`${user.email}: role ${role} (was ${user.role})`);
  } else {
    process.exitCode = 1;
    console.error(`no user with the e-mail address ${address} in ${db.location}`);
  }
} catch (error) {
  const reason = databaseUnavailableReason(error);
  if (!reason) throw error;
  process.exitCode = 1;
  console.error(`cannot reach ${db.location}: ${reason}`);
} finally {
  await db.close();
}
