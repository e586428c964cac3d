import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';

const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Lists migrations by name without their extension, so a database migrated from the `.ts`
 * sources (tests, tsx) and later from compiled `.js` files is the same history to knex.
 */
export class ExtensionlessMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    const names = fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((file) => /^\d{14}_.+\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'))
      .map((file) => file.replace(/\.(ts|js)$/, ''));
    return [...new Set(names)].sort();
  }

  getMigrationName(migration: string): string {
    return migration;
  }

  async getMigration(migration: string): Promise<MigrationModule> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(MIGRATIONS_DIR, migration)) as MigrationModule;
  }
}

export async function migrateToLatest(knex: Knex): Promise<void> {
  await knex.migrate.latest({ migrationSource: new ExtensionlessMigrationSource() });
}

/** True when every known migration has been applied. */
export async function migrationsAreCurrent(knex: Knex): Promise<boolean> {
  const [, pending] = (await knex.migrate.list({ migrationSource: new ExtensionlessMigrationSource() })) as [
    unknown[],
    unknown[],
  ];
  return pending.length === 0;
}
