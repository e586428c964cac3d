import type { Knex } from 'knex';

/**
 * Products, orders (shipments) with lines, payments (receipts) with explicit allocations and
 * refunds, channel customers' assigned regions and the last credit evaluation per customer.
 * Money is NUMERIC(19,4): 15 integer digits and 4 decimals, the range the API accepts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('products', (t) => {
    t.uuid('id').primary();
    t.text('sku').notNullable().unique();
    t.text('name').notNullable();
    t.text('category');
    t.decimal('list_price', 19, 4);
    t.text('currency');
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['category']);
  });

  await knex.schema.createTable('channel_regions', (t) => {
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    t.text('region').notNullable();
    t.primary(['customer_id', 'region']);
  });

  // Few indexes on purpose: bulk loads pay for every one of them.
  await knex.schema.createTable('orders', (t) => {
    t.uuid('id').primary();
    t.text('external_id').unique();
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    t.timestamp('ordered_at', { useTz: true }).notNullable();
    t.decimal('amount', 19, 4).notNullable();
    t.text('currency').notNullable();
    t.decimal('fx_rate', 20, 10).notNullable().defaultTo(1);
    t.text('region');
    t.text('status').notNullable();
    t.integer('payment_terms_days').notNullable().defaultTo(30);
    t.boolean('cross_region').notNullable().defaultTo(false);
    t.boolean('over_credit_limit').notNullable().defaultTo(false);
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['ordered_at', 'id']);
    t.index(['customer_id', 'ordered_at', 'id']);
  });
  await knex.raw(
    'ALTER TABLE orders ADD COLUMN reporting_amount numeric(19,4) GENERATED ALWAYS AS (round(amount * fx_rate, 4)) STORED',
  );

  await knex.schema.createTable('order_lines', (t) => {
    t.uuid('order_id').notNullable().references('id').inTable('orders').onDelete('CASCADE');
    t.integer('line_no').notNullable();
    t.uuid('product_id').notNullable().references('id').inTable('products');
    t.integer('quantity').notNullable();
    t.decimal('unit_price', 19, 4).notNullable();
    t.primary(['order_id', 'line_no']);
    t.index(['product_id']);
  });

  await knex.schema.createTable('payments', (t) => {
    t.uuid('id').primary();
    t.text('external_id').unique();
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    t.decimal('amount', 19, 4).notNullable();
    t.text('currency').notNullable();
    t.decimal('fx_rate', 20, 10).notNullable().defaultTo(1);
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.text('method');
    t.text('reference');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['received_at', 'id']);
    t.index(['customer_id', 'received_at', 'id']);
  });
  await knex.raw(
    'ALTER TABLE payments ADD COLUMN reporting_amount numeric(19,4) GENERATED ALWAYS AS (round(amount * fx_rate, 4)) STORED',
  );

  await knex.schema.createTable('payment_allocations', (t) => {
    t.uuid('payment_id').notNullable().references('id').inTable('payments').onDelete('CASCADE');
    t.uuid('order_id').notNullable().references('id').inTable('orders');
    /** In the reporting currency, like every receivables figure. */
    t.decimal('amount', 19, 4).notNullable();
    t.primary(['payment_id', 'order_id']);
    t.index(['order_id']);
  });

  await knex.schema.createTable('payment_refunds', (t) => {
    t.uuid('id').primary();
    t.uuid('payment_id').notNullable().references('id').inTable('payments');
    t.decimal('amount', 19, 4).notNullable();
    t.decimal('reporting_amount', 19, 4).notNullable();
    t.timestamp('refunded_at', { useTz: true }).notNullable();
    t.text('reason');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['payment_id']);
  });

  await knex.schema.createTable('customer_credit', (t) => {
    t.uuid('customer_id').primary().references('id').inTable('customers');
    t.smallint('score').notNullable();
    t.text('grade').notNullable();
    t.decimal('suggested_limit', 19, 4).notNullable();
    t.timestamp('evaluated_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_credit');
  await knex.schema.dropTable('payment_refunds');
  await knex.schema.dropTable('payment_allocations');
  await knex.schema.dropTable('payments');
  await knex.schema.dropTable('order_lines');
  await knex.schema.dropTable('orders');
  await knex.schema.dropTable('channel_regions');
  await knex.schema.dropTable('products');
}
