import { randomBytes } from 'node:crypto';
import knex from 'knex';
import { createDatabase, type Database } from '../../src/db/create-database';
import { migrateToLatest } from '../../src/db/migration-source';

/** The suite must never touch a database that is not meant for tests. */
export function assertTestDatabaseUrl(url: string): void {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!/test/i.test(name)) {
    throw new Error(`Refusing to run tests against database "${name}": its name must contain "test".`);
  }
}

/**
 * A fresh, migrated database for one test file: a new in-memory PGlite, or with
 * DATABASE_URL a schema of its own on the server, dropped again by `close`.
 */
export async function createTestDatabase(): Promise<Database> {
  const db = await createEmptyTestDatabase();
  await migrateToLatest(db.knex);
  return db;
}

/** The same, not migrated (for tests of the migrations themselves). */
export async function createEmptyTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) return createDatabase({});
  assertTestDatabaseUrl(url);
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: url });
  await admin.raw(`CREATE SCHEMA ${schema}`);
  await admin.destroy();
  const db = await createDatabase({ url, schema, poolMax: 5 });
  return {
    ...db,
    close: async () => {
      await db.knex.raw(`DROP SCHEMA ${schema} CASCADE`);
      await db.close();
    },
  };
}
