import type { Knex } from 'knex';

/**
 * Lifecycle off the customer row (docs/lifecycle.md): every change of a customer's stage or
 * churn status is a row of lifecycle_events, dated when it happened (a rule's day, a purchase's
 * day, a manual churn's `at`), and customer_lifecycle holds where each customer stands now, so
 * that an analytics run that moves a million customers writes two narrow tables instead of
 * rewriting a million customer rows under their fifteen indexes. The derived stars leave the
 * row too: they are the current run's snapshot column (customer_values.stars); the manual
 * override stays on the customer, which is where it is written.
 *
 * churn_events (every churn status a run or a person set, dated at the run) becomes the first
 * lifecycle events; the customers' churn and stage columns become their lifecycle rows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('lifecycle_events', (t) => {
    t.bigIncrements('seq').primary();
    t.uuid('id').notNullable().unique();
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    // 'stage' | 'churn_status'
    t.text('kind').notNullable();
    t.text('from_value');
    t.text('to_value');
    t.timestamp('at', { useTz: true }).notNullable();
    // 'rule' | 'model' | 'manual' | 'purchase'
    t.text('cause').notNullable();
    t.uuid('run_id');
    t.text('reason');
    t.text('note');
    t.text('actor');
    t.timestamp('recorded_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // A customer's history newest first, and the churn report's scans by status and day.
  await knex.raw(
    'CREATE INDEX lifecycle_events_customer ON lifecycle_events (customer_id, at DESC, seq DESC)',
  );
  await knex.raw('CREATE INDEX lifecycle_events_kind_at ON lifecycle_events (kind, at, customer_id)');
  await knex.raw('CREATE INDEX lifecycle_events_run ON lifecycle_events (run_id) WHERE run_id IS NOT NULL');

  await knex.schema.createTable('customer_lifecycle', (t) => {
    t.uuid('customer_id').primary().references('id').inTable('customers');
    // Null until the customer first buys (or a churn is recorded by hand).
    t.text('churn_status');
    t.timestamp('churn_since', { useTz: true });
    t.text('churn_cause');
    t.text('churn_reason');
    t.uuid('churn_run_id');
    t.text('stage').notNullable().defaultTo('selection');
    t.timestamp('stage_since', { useTz: true });
    t.text('stage_cause');
    // Bumped at every change: part of the customer's ETag.
    t.integer('version').notNullable().defaultTo(1);
  });
  await knex.raw('CREATE INDEX customer_lifecycle_churn ON customer_lifecycle (churn_status, customer_id)');
  await knex.raw('CREATE INDEX customer_lifecycle_stage ON customer_lifecycle (stage, customer_id)');

  await knex.raw(`
    INSERT INTO lifecycle_events (id, customer_id, kind, from_value, to_value, at, cause, run_id, reason, note, actor)
    SELECT gen_random_uuid(), customer_id, 'churn_status', from_status, to_status, at,
           CASE cause WHEN 'manual' THEN 'manual' ELSE 'rule' END, run_id, reason, note, actor
      FROM churn_events ORDER BY seq`);
  await knex.raw(`
    INSERT INTO customer_lifecycle (customer_id, churn_status, churn_since, churn_cause, churn_reason, stage)
    SELECT id, CASE WHEN churn_status_at IS NULL THEN NULL ELSE churn_status END, churn_status_at,
           CASE WHEN churn_status_at IS NULL THEN NULL WHEN churn_reason IS NOT NULL THEN 'manual' ELSE 'rule' END,
           churn_reason, lifecycle_stage
      FROM customers
     WHERE churn_status_at IS NOT NULL OR lifecycle_stage <> 'selection'`);
  await knex.schema.dropTable('churn_events');
  await knex.schema.alterTable('customers', (t) => {
    t.dropColumns(
      'churn_status',
      'churn_reason',
      'churn_status_at',
      'lifecycle_stage',
      'stars',
      'stars_derived',
    );
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('customers', (t) => {
    t.smallint('stars');
    t.smallint('stars_derived');
    t.text('lifecycle_stage').notNullable().defaultTo('selection');
    t.text('churn_status').notNullable().defaultTo('active');
    t.text('churn_reason');
    t.timestamp('churn_status_at', { useTz: true });
  });
  await knex.raw(`
    UPDATE customers c SET lifecycle_stage = l.stage, churn_status = COALESCE(l.churn_status, 'active'),
           churn_reason = l.churn_reason, churn_status_at = l.churn_since,
           stars = c.stars_override
      FROM customer_lifecycle l WHERE l.customer_id = c.id`);
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
  await knex.raw(`
    INSERT INTO churn_events (customer_id, from_status, to_status, cause, reason, note, run_id, actor, at)
    SELECT customer_id, from_value, to_value, CASE cause WHEN 'manual' THEN 'manual' ELSE 'analytics_run' END,
           reason, note, run_id, actor, at
      FROM lifecycle_events WHERE kind = 'churn_status' AND to_value IS NOT NULL ORDER BY seq`);
  await knex.schema.dropTable('customer_lifecycle');
  await knex.schema.dropTable('lifecycle_events');
}
