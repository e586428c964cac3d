import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Trigram indexes serve the substring search on name, email and phone.
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public');

  await knex.schema.createTable('customers', (t) => {
    t.uuid('id').primary();
    t.text('external_id').unique();
    t.text('kind').notNullable();
    t.text('category').notNullable();
    t.text('name').notNullable();
    t.text('sort_name').notNullable();
    t.text('given_name');
    t.text('family_name');
    t.jsonb('emails').notNullable().defaultTo('[]');
    t.jsonb('phones').notNullable().defaultTo('[]');
    t.jsonb('addresses').notNullable().defaultTo('[]');
    t.date('birthday');
    t.jsonb('preferences').notNullable().defaultTo('[]');
    t.jsonb('hobbies').notNullable().defaultTo('[]');
    t.text('habits');
    t.text('notes');
    t.uuid('via_channel_id').references('id').inTable('customers');
    t.specificType('interests', 'text[]').notNullable().defaultTo('{}');
    t.text('region');
    t.text('owner');
    t.smallint('stars');
    t.smallint('stars_derived');
    t.smallint('stars_override');
    t.text('stars_override_reason');
    t.text('stars_override_by');
    t.timestamp('stars_override_at', { useTz: true });
    t.text('lifecycle_stage').notNullable();
    t.text('churn_status').notNullable().defaultTo('active');
    t.text('value_orientation');
    t.jsonb('custom_fields').notNullable().defaultTo('{}');
    t.specificType('tags', 'text[]').notNullable().defaultTo('{}');
    t.text('search_text').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('deleted_at', { useTz: true });
    t.index(['created_at', 'id']);
    t.index(['updated_at', 'id']);
    t.index(['sort_name', 'id']);
    t.index(['category']);
    t.index(['region']);
    t.index(['owner']);
    t.index(['lifecycle_stage']);
    t.index(['stars']);
    t.index(['churn_status']);
    t.index(['via_channel_id']);
  });
  await knex.raw('CREATE INDEX customers_tags_gin ON customers USING gin (tags)');
  await knex.raw(
    'CREATE INDEX customers_custom_fields_gin ON customers USING gin (custom_fields jsonb_path_ops)',
  );
  await knex.raw(
    'CREATE INDEX customers_search_trgm ON customers USING gin (search_text public.gin_trgm_ops)',
  );

  await knex.schema.createTable('customer_contacts', (t) => {
    t.uuid('id').primary();
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    t.text('name').notNullable();
    t.text('role');
    t.text('email');
    t.text('phone');
    t.text('notes');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['customer_id', 'id']);
  });

  await knex.schema.createTable('customer_relationships', (t) => {
    t.uuid('id').primary();
    t.uuid('from_customer_id').notNullable().references('id').inTable('customers');
    t.uuid('to_customer_id').notNullable().references('id').inTable('customers');
    t.text('type').notNullable();
    t.text('note');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['from_customer_id', 'to_customer_id', 'type']);
    t.index(['to_customer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_relationships');
  await knex.schema.dropTable('customer_contacts');
  await knex.schema.dropTable('customers');
}
