import type { Config } from '../config';
import { createDatabase, type Database } from './create-database';
import { migrateToLatest } from './migration-source';

/** Opens the configured database and applies pending migrations. */
export async function openDatabase(config: Config): Promise<Database> {
  const db = await createDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    statementTimeoutMs: config.STATEMENT_TIMEOUT_MS,
  });
  await migrateToLatest(db.knex);
  return db;
}
