import type { Knex } from 'knex';

/**
 * Contact and service (docs/domain.md section 3, docs/service.md): interactions (calls, visits,
 * e-mails, ... a call centre syncs them by external_id) and follow-up visits (planned, then
 * completed with content and outcome, possibly planning the next one).
 *
 * Links to service records and complaints are plain uuid columns without foreign keys: those
 * tables belong to other migrations and are validated by their own services. Orders exist,
 * so an interaction's order is a foreign key.
 *
 * Every source of the customer timeline (GET /v1/customers/{id}/timeline) is read newest first
 * by (customer_id, occurred_at DESC, id DESC) with a keyset condition, so each has that index:
 * interactions and follow-ups here, lifecycle events added beside their own index (which
 * orders by seq, not id). Orders and payments have (customer_id, <time>, id) already, which a
 * backward scan serves.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('interactions', (t) => {
    t.uuid('id').primary();
    t.text('external_id').unique();
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    // A contact person removed from the customer leaves the interaction standing.
    t.uuid('contact_id').references('id').inTable('customer_contacts').onDelete('SET NULL');
    t.text('channel').notNullable();
    t.text('direction').notNullable();
    t.text('employee');
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.integer('duration_seconds');
    t.text('subject');
    t.text('summary');
    t.uuid('order_id').references('id').inTable('orders');
    t.uuid('service_record_id');
    t.uuid('complaint_id');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw(
    'CREATE INDEX interactions_customer_time ON interactions (customer_id, occurred_at DESC, id DESC)',
  );
  await knex.raw('CREATE INDEX interactions_time ON interactions (occurred_at DESC, id DESC)');
  await knex.raw(
    'CREATE INDEX interactions_employee_time ON interactions (employee, occurred_at DESC, id DESC)',
  );
  await knex.raw(
    'CREATE INDEX interactions_contact ON interactions (contact_id) WHERE contact_id IS NOT NULL',
  );

  await knex.schema.createTable('follow_ups', (t) => {
    t.uuid('id').primary();
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    t.uuid('contact_id').references('id').inTable('customer_contacts').onDelete('SET NULL');
    t.text('owner').notNullable();
    t.timestamp('planned_at', { useTz: true }).notNullable();
    t.text('purpose');
    t.text('content');
    t.text('outcome');
    t.timestamp('completed_at', { useTz: true });
    // The follow-up whose completion planned this one, and the one this one's completion planned.
    t.uuid('previous_id').references('id').inTable('follow_ups');
    t.uuid('next_id').references('id').inTable('follow_ups');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });
  await knex.raw('CREATE INDEX follow_ups_planned ON follow_ups (planned_at, id)');
  await knex.raw('CREATE INDEX follow_ups_owner_planned ON follow_ups (owner, planned_at, id)');
  // The overdue list: open ones whose planned time has passed.
  await knex.raw(
    'CREATE INDEX follow_ups_open ON follow_ups (owner, planned_at, id) WHERE completed_at IS NULL',
  );
  // The timeline places a follow-up at its completion once done, else at its plan.
  await knex.raw(
    'CREATE INDEX follow_ups_customer_time ON follow_ups (customer_id, (COALESCE(completed_at, planned_at)) DESC, id DESC)',
  );

  await knex.raw(
    'CREATE INDEX lifecycle_events_customer_id_time ON lifecycle_events (customer_id, at DESC, id DESC)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS lifecycle_events_customer_id_time');
  await knex.schema.dropTable('follow_ups');
  await knex.schema.dropTable('interactions');
}
