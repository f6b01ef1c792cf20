import { type App, createApp } from './app.js';
import type { PasswordHasher } from './auth/password.js';
import type { Config } from './config.js';
import { type Database, type DatabaseOptions, openDatabase } from './db/client.js';
import { applyMigrations } from './db/migrations.js';
import { waitForDatabase } from './db/wait.js';
import type { Logger } from './logger.js';

export interface Booted {
  app: App;
  db: Database;
  /** Stops background work and closes the database. */
  close(): Promise<void>;
}

/** Database up, migrations applied, app built: what server.ts and the tests share. */
export interface BootOptions extends DatabaseOptions {
  hasher?: PasswordHasher;
}

export async function boot(config: Config, logger: Logger, options: BootOptions = {}): Promise<Booted> {
  const db = await openDatabase(config.database, options);
  try {
    await waitForDatabase(db, config.dbWaitMs, (attempt) => {
      if (attempt === 1) logger.warn(`waiting up to ${config.dbWaitMs / 1000}s for ${db.location}`);
    });
    if (config.migrateOnStart) {
      const applied = await applyMigrations(db.adapterFactory);
      if (applied.length) logger.info({ applied }, `applied ${applied.length} migration(s) to ${db.location}`);
    }
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  const app = createApp({ config, db, logger, ...(options.hasher ? { hasher: options.hasher } : {}) });
  return { app, db, close: () => db.close() };
}
