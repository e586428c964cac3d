import knex from 'knex';
import { CDNOW_DIR, cdnowAvailable } from './cdnow';
import { assertTestDatabaseUrl } from './test-database';

/**
 * Runs once before every test file. Says here, where Jest shows it, that the CDNOW tests are
 * skipped: a warning printed by a skipped suite itself is never shown. On a server, installs the
 * shared extension once, before test files race to create it.
 */
export default async function globalSetup(): Promise<void> {
  if (!cdnowAvailable)
    process.stderr.write(
      `\nNOTICE: ${CDNOW_DIR} is absent, so the tests that check the value models against the ` +
        'published CDNOW figures are skipped (test/domain/cdnow.test.ts, test/api/analytics-cdnow.test.ts).\n\n',
    );
  const url = process.env.DATABASE_URL;
  if (!url) return;
  assertTestDatabaseUrl(url);
  const admin = knex({ client: 'pg', connection: url });
  try {
    await admin.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');
  } finally {
    await admin.destroy();
  }
}
