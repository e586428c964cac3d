import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('analytics_runs', (t) => {
    t.uuid('id').primary();
    t.text('status').notNullable();
    t.text('phase').notNullable();
    t.date('as_of').notNullable();
    t.text('time_unit').notNullable();
    t.integer('horizon_months').notNullable();
    t.double('annual_discount_rate').notNullable();
    t.double('margin').notNullable();
    t.integer('customers_total');
    t.integer('customers_done').notNullable().defaultTo(0);
    t.jsonb('models');
    t.jsonb('segments');
    t.jsonb('error');
    t.text('created_by');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('started_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.index(['status', 'finished_at']);
  });
  // One run at a time: a second queued or running row violates this index (answered 409).
  await knex.raw(
    "CREATE UNIQUE INDEX analytics_runs_one_active ON analytics_runs ((status IN ('queued', 'running'))) WHERE status IN ('queued', 'running')",
  );

  await knex.schema.createTable('customer_values', (t) => {
    t.uuid('run_id').notNullable().references('id').inTable('analytics_runs').onDelete('CASCADE');
    t.uuid('customer_id').notNullable();
    t.integer('purchases').notNullable();
    t.integer('frequency').notNullable();
    t.double('recency').notNullable();
    t.double('age').notNullable();
    t.double('since_last_purchase').notNullable();
    t.double('average_cycle');
    t.double('average_amount').notNullable();
    t.double('total_amount').notNullable();
    t.smallint('rfm_r').notNullable();
    t.smallint('rfm_f').notNullable();
    t.smallint('rfm_m').notNullable();
    t.text('rfm_code').notNullable();
    t.text('rfm_segment').notNullable();
    t.text('value_class').notNullable();
    t.double('clv_historical').notNullable();
    t.double('clv_current').notNullable();
    t.double('clv_predicted').notNullable();
    t.double('expected_purchases').notNullable();
    t.double('expected_average_amount').notNullable();
    t.text('churn_status').notNullable();
    t.double('p_alive');
    t.smallint('stars').notNullable();
    t.primary(['run_id', 'customer_id']);
  });

  // Lists filter and sort customers by the current run's figures through these (joined on
  // run_id): publishing a run then changes no customer row for figures that move every run.
  await knex.raw('CREATE INDEX customer_values_class ON customer_values (run_id, value_class, customer_id)');
  await knex.raw(
    'CREATE INDEX customer_values_segment ON customer_values (run_id, rfm_segment, customer_id)',
  );
  await knex.raw('CREATE INDEX customer_values_clv ON customer_values (run_id, clv_predicted, customer_id)');
  await knex.raw('CREATE INDEX customer_values_p_alive ON customer_values (run_id, p_alive, customer_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('customer_values');
  await knex.schema.dropTable('analytics_runs');
}
