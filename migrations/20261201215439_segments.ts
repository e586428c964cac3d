import type { Knex } from 'knex';

/**
 * Segments (docs/segments.md): a dynamic segment's saved customer-list filter or a static
 * segment's hand-picked list, the stored membership of both, and each materialisation of a
 * dynamic segment (at an analytics run or on demand) with who entered and who left.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('segments', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable();
    t.text('kind').notNullable();
    // The customer-list parameters of a dynamic segment, checked by the service when saved.
    t.jsonb('filter');
    t.timestamp('refreshed_at', { useTz: true });
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('deleted_at', { useTz: true });
  });
  await knex.raw(
    `ALTER TABLE segments ADD CONSTRAINT segments_kind_filter
       CHECK ((kind = 'dynamic' AND filter IS NOT NULL) OR (kind = 'static' AND filter IS NULL))`,
  );

  await knex.schema.createTable('segment_members', (t) => {
    t.uuid('segment_id').notNullable().references('id').inTable('segments').onDelete('CASCADE');
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    t.timestamp('added_at', { useTz: true }).notNullable();
    t.primary(['segment_id', 'customer_id']);
  });

  // One row per materialisation of a dynamic segment; run_id null for an on-demand refresh.
  await knex.schema.createTable('segment_refreshes', (t) => {
    t.uuid('id').primary();
    t.uuid('segment_id').notNullable().references('id').inTable('segments').onDelete('CASCADE');
    t.uuid('run_id');
    t.timestamp('refreshed_at', { useTz: true }).notNullable();
    t.integer('entered').notNullable();
    t.integer('left').notNullable();
    t.integer('member_count').notNullable();
    t.index(['segment_id', 'run_id']);
  });

  // Who entered and who left at a materialisation; paged in (change, customer_id) order.
  await knex.schema.createTable('segment_changes', (t) => {
    t.uuid('refresh_id').notNullable().references('id').inTable('segment_refreshes').onDelete('CASCADE');
    t.text('change').notNullable();
    t.uuid('customer_id').notNullable();
    t.primary(['refresh_id', 'change', 'customer_id']);
  });
  await knex.raw(
    `ALTER TABLE segment_changes ADD CONSTRAINT segment_changes_change CHECK (change IN ('entered', 'left'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('segment_changes');
  await knex.schema.dropTable('segment_refreshes');
  await knex.schema.dropTable('segment_members');
  await knex.schema.dropTable('segments');
}
