import type { Knex } from 'knex';

/**
 * After-sales service (docs/service.md): SLA targets per type and priority, service records
 * with their status history, complaint categories with a standard-answer template, and
 * complaints numbered from a sequence (a number is never reused, even when its transaction
 * rolls back: a sequence does not give values back).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('service_levels', (t) => {
    t.uuid('id').primary();
    t.text('type').notNullable();
    t.text('priority').notNullable();
    t.integer('first_response_minutes').notNullable();
    t.integer('resolve_minutes').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['type', 'priority']);
  });

  await knex.schema.createTable('service_records', (t) => {
    t.uuid('id').primary();
    t.text('external_id').unique();
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    t.uuid('contact_id').references('id').inTable('customer_contacts');
    t.uuid('product_id').references('id').inTable('products');
    t.text('type').notNullable();
    t.text('priority').notNullable();
    t.text('status').notNullable();
    t.text('subject').notNullable();
    t.text('description');
    t.text('assignee');
    t.text('resolution');
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.timestamp('first_response_at', { useTz: true });
    t.timestamp('resolved_at', { useTz: true });
    t.timestamp('closed_at', { useTz: true });
    t.integer('reopen_count').notNullable().defaultTo(0);
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['customer_id', 'id']);
    t.index(['status', 'id']);
    t.index(['assignee', 'id']);
    t.index(['product_id']);
    t.index(['opened_at', 'id']);
  });

  await knex.schema.createTable('service_record_transitions', (t) => {
    t.uuid('id').primary();
    t.uuid('service_record_id').notNullable().references('id').inTable('service_records').onDelete('CASCADE');
    t.text('from_status').notNullable();
    t.text('to_status').notNullable();
    t.text('note');
    t.timestamp('at', { useTz: true }).notNullable();
    t.text('actor_name');
    t.index(['service_record_id', 'at', 'id']);
  });

  await knex.schema.createTable('complaint_categories', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable().unique();
    t.text('description');
    t.text('standard_answer').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.raw('CREATE SEQUENCE complaint_number_seq START 1');
  await knex.schema.createTable('complaints', (t) => {
    t.uuid('id').primary();
    t.text('number').notNullable().unique();
    t.text('external_id').unique();
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    t.uuid('category_id').notNullable().references('id').inTable('complaint_categories');
    t.uuid('product_id').references('id').inTable('products');
    t.uuid('service_record_id').references('id').inTable('service_records').onDelete('SET NULL');
    t.uuid('order_id').references('id').inTable('orders');
    t.text('severity').notNullable();
    t.text('status').notNullable();
    t.text('subject').notNullable();
    t.text('description');
    t.text('owner');
    t.text('resolution');
    t.text('standard_answer').notNullable();
    t.integer('reopen_count').notNullable().defaultTo(0);
    t.timestamp('filed_at', { useTz: true }).notNullable();
    t.timestamp('resolved_at', { useTz: true });
    t.timestamp('closed_at', { useTz: true });
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['customer_id', 'id']);
    t.index(['category_id', 'id']);
    t.index(['status', 'id']);
    t.index(['owner', 'id']);
    t.index(['product_id']);
    t.index(['filed_at', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('complaints');
  await knex.raw('DROP SEQUENCE complaint_number_seq');
  await knex.schema.dropTable('complaint_categories');
  await knex.schema.dropTable('service_record_transitions');
  await knex.schema.dropTable('service_records');
  await knex.schema.dropTable('service_levels');
}
