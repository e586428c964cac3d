import type { Knex } from 'knex';

// An analytics run and an import job that is receiving record the instance key of the process
// doing them, as idempotency claims do (20261201115101), so that a starting instance fails only
// the work of processes that died, not the work another live instance is doing
// (docs/SCALING.md "What runs once"). Null on rows made before this column existed.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('analytics_runs', (t) => {
    t.integer('owner_instance');
  });
  await knex.schema.alterTable('import_jobs', (t) => {
    t.integer('owner_instance');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('analytics_runs', (t) => {
    t.dropColumn('owner_instance');
  });
  await knex.schema.alterTable('import_jobs', (t) => {
    t.dropColumn('owner_instance');
  });
}
