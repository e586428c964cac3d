import type { Knex } from 'knex';

/**
 * Channel rebate programmes (docs/rebates.md): the programme with its tier table, the channel
 * customers it covers, and the settlements of its closed periods. A settlement's rebates
 * become rows of rebate_credits, which the receivables core takes as payments received on
 * the settlement day (src/modules/payments/repository.ts), so a channel's outstanding
 * balance is lower by its rebate. Money is NUMERIC(19,4) in the reporting currency.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rebate_programs', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable();
    t.text('period_kind').notNullable();
    t.text('mode').notNullable();
    /** [{ from, rate }] as canonical decimal text, ascending. */
    t.jsonb('tiers').notNullable();
    t.boolean('credit_indirect').notNullable();
    t.boolean('exclude_cross_region').notNullable();
    t.text('currency').notNullable();
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('deleted_at', { useTz: true });
  });
  await knex.raw(
    "ALTER TABLE rebate_programs ADD CONSTRAINT rebate_programs_kind CHECK (period_kind IN ('year', 'quarter') AND mode IN ('whole', 'marginal'))",
  );

  await knex.schema.createTable('rebate_program_channels', (t) => {
    t.uuid('program_id').notNullable().references('id').inTable('rebate_programs').onDelete('CASCADE');
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    /** The place in the programme's list, as the caller gave it. */
    t.integer('position').notNullable();
    t.primary(['program_id', 'customer_id']);
    t.index(['customer_id']);
  });

  await knex.schema.createTable('rebate_settlements', (t) => {
    t.uuid('id').primary();
    t.uuid('program_id').notNullable().references('id').inTable('rebate_programs');
    t.text('period').notNullable();
    t.date('period_start').notNullable();
    t.date('period_end').notNullable();
    t.text('currency').notNullable();
    t.text('mode').notNullable();
    t.jsonb('tiers').notNullable();
    t.decimal('total', 19, 4).notNullable();
    /** Per channel: its purchases, tier, rate, rebate and credit id, as the answer shows them. */
    t.jsonb('lines').notNullable();
    t.timestamp('settled_at', { useTz: true }).notNullable();
    t.unique(['program_id', 'period']);
  });

  await knex.schema.createTable('rebate_credits', (t) => {
    t.uuid('id').primary();
    t.uuid('settlement_id').notNullable().references('id').inTable('rebate_settlements');
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    t.decimal('amount', 19, 4).notNullable();
    t.timestamp('credited_at', { useTz: true }).notNullable();
    t.index(['customer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rebate_credits');
  await knex.schema.dropTable('rebate_settlements');
  await knex.schema.dropTable('rebate_program_channels');
  await knex.schema.dropTable('rebate_programs');
}
