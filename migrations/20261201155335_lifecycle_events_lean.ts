import type { Knex } from 'knex';

/**
 * A first analytics run over imported history writes several lifecycle events per customer
 * (bench/analytics: about eight), so every index and check on lifecycle_events is paid that
 * many times over. Three of them buy nothing: the unique index on `id` (ids are generated,
 * and nothing looks an event up by it), the foreign key to customers (customers are never
 * deleted, only marked so; it cost a look-up per row), and the index by run (the outbox rows
 * of a run are made from its staged changes, not read back from the history).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE lifecycle_events DROP CONSTRAINT lifecycle_events_id_unique');
  await knex.raw('ALTER TABLE lifecycle_events DROP CONSTRAINT lifecycle_events_customer_id_foreign');
  await knex.raw('DROP INDEX lifecycle_events_run');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX lifecycle_events_run ON lifecycle_events (run_id) WHERE run_id IS NOT NULL');
  await knex.raw(
    'ALTER TABLE lifecycle_events ADD CONSTRAINT lifecycle_events_customer_id_foreign FOREIGN KEY (customer_id) REFERENCES customers (id)',
  );
  await knex.raw('ALTER TABLE lifecycle_events ADD CONSTRAINT lifecycle_events_id_unique UNIQUE (id)');
}
