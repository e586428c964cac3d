import type { Knex } from 'knex';

// An in-flight idempotency claim records the instance key of the process that holds it, so a
// retry can tell a claim whose process died (taken over at once) from one still being worked on
// (docs/design.md "Crashes and shutdown"). Null on claims made before this column existed.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.integer('owner_instance');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('idempotency_keys', (t) => {
    t.dropColumn('owner_instance');
  });
}
