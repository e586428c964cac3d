import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';
import { ApiKeyRepository } from '../modules/api-keys/repository';
import { ApiKeyService } from '../modules/api-keys/service';
import { createDatabase, type Database } from './create-database';
import { migrateToLatest } from './migration-source';

/** Opens the configured database, applies pending migrations and makes sure an admin key exists. */
export async function openDatabase(config: Config, log: FastifyBaseLogger): Promise<Database> {
  const db = await createDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    statementTimeoutMs: config.STATEMENT_TIMEOUT_MS,
  });
  await migrateToLatest(db.knex);
  const apiKeys = new ApiKeyService(new ApiKeyRepository(db.knex), () => new Date(), 0);
  await apiKeys.ensureBootstrapKey(config.BOOTSTRAP_API_KEY, log);
  return db;
}
