/** `npm run db:migrate`: applies pending migrations to the configured database (DATABASE_URL or PGlite). */
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrations.js';

const config = loadConfig();
const db = await openDatabase(config.database);
try {
  const applied = await applyMigrations(db.adapterFactory);
  console.log(
    applied.length
      ? `applied ${applied.join(', ')} to ${db.location}`
      : `${db.location} is up to date`,
  );
} finally {
  await db.close();
}
