import type { Knex } from 'knex';

/**
 * The customer timeline (GET /v1/customers/{id}/timeline) reads every source newest first by
 * (customer_id, occurred_at DESC, id DESC) with a keyset condition (src/modules/timeline/
 * sources.ts); service records, complaints and survey responses had no such index.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'CREATE INDEX service_records_customer_time ON service_records (customer_id, opened_at DESC, id DESC)',
  );
  await knex.raw('CREATE INDEX complaints_customer_time ON complaints (customer_id, filed_at DESC, id DESC)');
  await knex.raw(
    'CREATE INDEX survey_responses_customer_time ON survey_responses (customer_id, responded_at DESC, id DESC)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX survey_responses_customer_time');
  await knex.raw('DROP INDEX complaints_customer_time');
  await knex.raw('DROP INDEX service_records_customer_time');
}
