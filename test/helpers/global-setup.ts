import knex from 'knex';
import { assertTestDatabaseUrl } from './test-database';

/** On a server, install the shared extension once, before test files race to create it. */
export default async function globalSetup(): Promise<void> {
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
