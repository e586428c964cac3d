import type { Knex } from 'knex';

/**
 * Product associations of each analytics run (docs/associations.md): one row per run with the
 * basket count and the minimum support used, and one row per rule A -> B (both directions of
 * each frequent pair) with its counts, measures and rank. Rows of superseded runs are pruned
 * by the next run; deleting a run deletes its rules.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('association_runs', (t) => {
    t.uuid('run_id').primary().references('id').inTable('analytics_runs').onDelete('CASCADE');
    t.integer('baskets').notNullable();
    t.decimal('min_support', 10, 9).notNullable();
    t.integer('min_count').notNullable();
    t.integer('frequent_products').notNullable();
    t.integer('rules').notNullable();
    t.timestamp('computed_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('product_associations', (t) => {
    t.uuid('run_id').notNullable().references('run_id').inTable('association_runs').onDelete('CASCADE');
    // The rule's order in the run: lift, then confidence, descending; ties by the two ids.
    t.integer('rank').notNullable();
    t.uuid('antecedent_id').notNullable();
    t.uuid('consequent_id').notNullable();
    t.integer('both_count').notNullable();
    t.integer('antecedent_count').notNullable();
    t.integer('consequent_count').notNullable();
    t.double('support').notNullable();
    t.double('confidence').notNullable();
    t.double('lift').notNullable();
    t.primary(['run_id', 'rank']);
    t.index(['run_id', 'antecedent_id', 'rank']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('product_associations');
  await knex.schema.dropTable('association_runs');
}
