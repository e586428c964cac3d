import type { Knex } from 'knex';

/**
 * Survey responses (CSAT and NPS), the customer's lunar birthday for care occasions, and
 * sales opportunities (docs/domain.md sections 3 and 4, docs/care.md).
 *
 * A survey response links to exactly one order, service record, complaint or interaction.
 * Only the order has a foreign key: the other three tables are built beside this one and may
 * not exist yet when this migration runs, so their ids are plain uuid columns the service
 * checks.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('survey_responses', (t) => {
    t.uuid('id').primary();
    t.text('external_id').unique();
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    // 'csat' (1-5) | 'nps' (0-10)
    t.text('kind').notNullable();
    t.smallint('score').notNullable();
    t.text('comment');
    t.timestamp('responded_at', { useTz: true }).notNullable();
    t.uuid('order_id').references('id').inTable('orders');
    t.uuid('service_record_id');
    t.uuid('complaint_id');
    t.uuid('interaction_id');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['responded_at', 'id']);
    t.index(['customer_id', 'responded_at']);
    t.index(['order_id']);
  });
  await knex.raw(`ALTER TABLE survey_responses ADD CONSTRAINT survey_responses_score CHECK (
    (kind = 'csat' AND score BETWEEN 1 AND 5) OR (kind = 'nps' AND score BETWEEN 0 AND 10))`);
  await knex.raw(`ALTER TABLE survey_responses ADD CONSTRAINT survey_responses_one_link CHECK (
    (order_id IS NOT NULL)::int + (service_record_id IS NOT NULL)::int
    + (complaint_id IS NOT NULL)::int + (interaction_id IS NOT NULL)::int = 1)`);

  // A customer keeps a Gregorian birthday, a lunar one (month, day, leap month), or both.
  await knex.schema.alterTable('customers', (t) => {
    t.text('birthday_calendar').notNullable().defaultTo('gregorian');
    t.smallint('lunar_birthday_month');
    t.smallint('lunar_birthday_day');
    t.boolean('lunar_birthday_leap');
  });
  await knex.raw(`ALTER TABLE customers ADD CONSTRAINT customers_lunar_birthday CHECK (
    birthday_calendar IN ('gregorian', 'lunar')
    AND (lunar_birthday_month IS NULL OR lunar_birthday_month BETWEEN 1 AND 12)
    AND (lunar_birthday_day IS NULL OR lunar_birthday_day BETWEEN 1 AND 30))`);

  await knex.schema.createTable('opportunities', (t) => {
    t.uuid('id').primary();
    t.text('external_id').unique();
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    t.text('name').notNullable();
    // The pipeline is configured (OPPORTUNITY_STAGES), so the stage is checked by the service.
    t.text('stage').notNullable();
    t.decimal('amount', 19, 4).notNullable();
    t.text('currency').notNullable();
    t.date('expected_close_date');
    t.text('owner');
    t.double('probability').notNullable();
    t.uuid('order_id').references('id').inTable('orders');
    t.text('lost_reason');
    t.timestamp('closed_at', { useTz: true });
    t.text('notes');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['customer_id']);
    t.index(['stage', 'id']);
    t.index(['owner', 'id']);
  });
  await knex.raw(
    'ALTER TABLE opportunities ADD CONSTRAINT opportunities_probability CHECK (probability >= 0 AND probability <= 1)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('opportunities');
  await knex.raw('ALTER TABLE customers DROP CONSTRAINT customers_lunar_birthday');
  await knex.schema.alterTable('customers', (t) => {
    t.dropColumn('birthday_calendar');
    t.dropColumn('lunar_birthday_month');
    t.dropColumn('lunar_birthday_day');
    t.dropColumn('lunar_birthday_leap');
  });
  await knex.schema.dropTable('survey_responses');
}
