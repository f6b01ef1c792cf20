import type { Database } from './client.js';
import { readMigrations } from './migrations.js';

/** Ready = the database answers and every migration in the folder has been applied. */
export function createReadinessCheck(db: Database): () => Promise<boolean> {
  const expected = readMigrations().then((list) => list.migrationDirectories.map((d) => d.path));
  return async () => {
    try {
      const rows = await db.prisma.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
      const applied = new Set(rows.map((r) => r.migration_name));
      return (await expected).every((name) => applied.has(name));
    } catch {
      return false;
    }
  };
}
