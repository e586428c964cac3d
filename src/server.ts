import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { buildApp } from './app';
import { loadConfig } from './config';
import { connectionDrain } from './connection-drain';
import { openDatabase } from './db/prepare-database';
import { ensureBootstrapKey } from './modules/api-keys/bootstrap';

const FEED_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`Invalid configuration: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const log = pino({ level: config.LOG_LEVEL });
  const db = await openDatabase(config);
  await ensureBootstrapKey(db.knex, config.BOOTSTRAP_API_KEY, log);
  const app = await buildApp({ config, db });
  // A run that was under way when the last process stopped can never finish now.
  await app.services.analyticsRuns.recoverInterrupted();
  // Likewise an import that was receiving: its committed batches stay, and it can be resumed.
  await app.services.imports.recoverInterrupted();
  // The feed serves events for EVENT_RETENTION_DAYS; older ones keep only what the audit trail needs.
  const pruneFeed = () =>
    app.services.events
      .pruneFeed()
      .catch((err: unknown) => app.log.error({ err }, 'pruning the event feed failed'));
  await pruneFeed();
  const pruning = setInterval(pruneFeed, FEED_PRUNE_INTERVAL_MS).unref();
  app.addHook('onClose', async () => clearInterval(pruning));

  const drain = connectionDrain(app);

  // On SIGTERM/SIGINT stop accepting connections, answer the requests in flight (each answer
  // closes its keep-alive connection), then close the database and exit 0; a second signal or
  // 10 s ends the process regardless, with status 1.
  closeWithGrace({ delay: 10000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    drain.start();
    await app.close();
    await db.close();
    app.log.info('shut down');
  });

  await app.listen({ port: config.PORT, host: config.HOST });
  app.log.info(
    `database: ${db.kind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}` : 'PostgreSQL server'}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
