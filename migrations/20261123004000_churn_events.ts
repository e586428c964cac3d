import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Every change of a customer's churn status, with its time and cause, so the history of
  // who was active, at risk, churned or won back can be replayed for any period.
  await knex.schema.createTable('churn_events', (t) => {
    t.bigIncrements('seq').primary();
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    t.text('from_status');
    t.text('to_status').notNullable();
    t.text('cause').notNullable();
    t.text('reason');
    t.text('note');
    t.uuid('run_id');
    t.text('actor');
    t.timestamp('at', { useTz: true }).notNullable();
    t.index(['customer_id', 'at']);
    t.index(['to_status', 'at']);
  });
  await knex.schema.alterTable('customers', (t) => {
    t.text('churn_reason');
    t.timestamp('churn_status_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.dropColumns('churn_reason', 'churn_status_at');
  });
  await knex.schema.dropTable('churn_events');
}
