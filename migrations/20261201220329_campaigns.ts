import type { Knex } from 'knex';

/**
 * Campaigns (docs/campaigns.md): a campaign targeting a segment, the recipients and control
 * group frozen from it at launch, and the touches (delivered, opened, responded, converted)
 * the sending tool reports back, by its own external id per campaign.
 *
 * `segment_id` has no foreign key: segments belong to their own migration and service, which
 * the campaign service asks (a deleted segment leaves launched campaigns standing).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('campaigns', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable();
    t.text('kind').notNullable();
    t.uuid('segment_id').notNullable();
    t.text('channel');
    t.timestamp('starts_at', { useTz: true });
    t.timestamp('ends_at', { useTz: true });
    t.decimal('cost', 19, 4).notNullable().defaultTo(0);
    t.integer('attribution_window_days').notNullable().defaultTo(30);
    t.decimal('control_share', 4, 3).notNullable().defaultTo(0);
    t.text('control_seed').notNullable();
    t.text('status').notNullable().defaultTo('draft');
    t.timestamp('launched_at', { useTz: true });
    t.integer('recipient_count');
    t.integer('control_count');
    t.integer('version').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('deleted_at', { useTz: true });
    t.index(['created_at', 'id']);
  });
  await knex.raw(
    `ALTER TABLE campaigns ADD CONSTRAINT campaigns_status CHECK (status IN ('draft', 'launched'))`,
  );

  // Frozen at launch; `control` marks the held-out members, who are not recipients.
  await knex.schema.createTable('campaign_recipients', (t) => {
    t.uuid('campaign_id').notNullable().references('id').inTable('campaigns').onDelete('CASCADE');
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    t.boolean('control').notNullable();
    t.primary(['campaign_id', 'customer_id']);
    t.index(['customer_id']);
  });

  await knex.schema.createTable('campaign_touches', (t) => {
    t.uuid('id').primary();
    t.uuid('campaign_id').notNullable().references('id').inTable('campaigns').onDelete('CASCADE');
    t.text('external_id').notNullable();
    t.uuid('customer_id').notNullable().references('id').inTable('customers');
    t.text('kind').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.integer('wave').notNullable().defaultTo(1);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.unique(['campaign_id', 'external_id']);
    // Attribution reads a customer's touches of every campaign up to an order's time.
    t.index(['customer_id', 'at']);
    t.index(['campaign_id', 'customer_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('campaign_touches');
  await knex.schema.dropTable('campaign_recipients');
  await knex.schema.dropTable('campaigns');
}
