import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row per streamed import. A batch of rows and the progress that acknowledges it are
  // committed in one transaction, so last_committed_line always says how far the file is in.
  await knex.schema.createTable('import_jobs', (t) => {
    t.uuid('id').primary();
    t.text('resource').notNullable();
    t.text('format').notNullable();
    t.text('mode').notNullable();
    t.integer('batch_size').notNullable();
    t.text('status').notNullable();
    t.integer('lines_read').notNullable().defaultTo(0);
    t.integer('rows_written').notNullable().defaultTo(0);
    t.integer('rows_created').notNullable().defaultTo(0);
    t.integer('rows_updated').notNullable().defaultTo(0);
    t.integer('rows_unchanged').notNullable().defaultTo(0);
    t.integer('rows_rejected').notNullable().defaultTo(0);
    t.jsonb('rejections').notNullable().defaultTo('[]');
    t.integer('last_committed_line').notNullable().defaultTo(0);
    t.text('error');
    t.text('created_by');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true });
    t.index(['status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('import_jobs');
}
