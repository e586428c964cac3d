import pino from 'pino';
import { loadConfig } from '../config';
import { openDatabase } from '../db/prepare-database';
import { ensureBootstrapKey } from '../modules/api-keys/bootstrap';

/** `npm run migrate`: applies pending migrations to the configured database and exits. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.LOG_LEVEL });
  const db = await openDatabase(config);
  await ensureBootstrapKey(db.knex, config.BOOTSTRAP_API_KEY, log);
  log.info('migrations applied');
  await db.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
