import type { Knex } from 'knex';

/**
 * One record of every change: the event outbox that the feed (/v1/events) and webhooks read,
 * and the audit trail that /history reads (docs/design.md "One write path"). A transaction
 * writes its events as one or more batches: the event rows first, in parallel with other
 * writers, then, last and under a transaction-level advisory lock held to commit, one
 * event_batches row whose `seq` places the whole batch in commit order. A reader therefore
 * never skips the events of a slower transaction. `data` is the resource after the change;
 * it is cleared once the feed no longer serves the event, while `changes`, the actor and the
 * request id stay for the audit trail.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('event_batches', (t) => {
    t.bigIncrements('seq').primary();
    t.uuid('batch_id').notNullable();
  });
  await knex.raw('CREATE UNIQUE INDEX event_batches_batch ON event_batches (batch_id)');
  await knex.schema.createTable('events', (t) => {
    t.uuid('batch_id').notNullable();
    t.integer('n').notNullable();
    t.uuid('id').notNullable();
    t.text('type').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.text('entity_type').notNullable();
    t.uuid('entity_id').notNullable();
    t.uuid('customer_id');
    t.uuid('run_id');
    t.uuid('actor_key_id');
    t.text('actor_name');
    t.text('request_id');
    t.json('data');
    t.json('changes');
    t.primary(['batch_id', 'n']);
  });
  await knex.raw('CREATE INDEX events_entity ON events (entity_id, id)');
  await knex.raw('CREATE INDEX events_customer ON events (customer_id) WHERE customer_id IS NOT NULL');

  // The audit trail so far becomes the first events, with no resource data (the feed never
  // served them), in the order it was written.
  const batch = '00000000-0000-7000-8000-000000000000';
  await knex.raw(`
    INSERT INTO events (batch_id, n, id, type, occurred_at, entity_type, entity_id, customer_id, actor_key_id,
                        actor_name, request_id, data, changes)
    SELECT '${batch}', row_number() OVER (ORDER BY a.at, a.id), a.id, a.entity_type || '.' || a.action, a.at,
           a.entity_type, a.entity_id,
           CASE WHEN a.entity_type = 'customer' THEN a.entity_id END,
           a.actor_key_id, a.actor_name, a.request_id, NULL,
           (SELECT coalesce(jsonb_agg(jsonb_build_object('field', c->'field', 'from', c->'old', 'to', c->'new')), '[]'::jsonb)
              FROM jsonb_array_elements(a.changes) AS c)::json
      FROM audit_log a`);
  await knex.raw(
    `INSERT INTO event_batches (batch_id) SELECT '${batch}' WHERE EXISTS (SELECT 1 FROM events)`,
  );
  await knex.schema.dropTable('audit_log');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.uuid('id').primary();
    t.text('entity_type').notNullable();
    t.uuid('entity_id').notNullable();
    t.text('action').notNullable();
    t.uuid('actor_key_id');
    t.text('actor_name');
    t.text('request_id');
    t.jsonb('changes').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.index(['entity_type', 'entity_id', 'id']);
  });
  await knex.raw(`
    INSERT INTO audit_log (id, entity_type, entity_id, action, actor_key_id, actor_name, request_id, changes, at)
    SELECT id, entity_type, entity_id, substr(type, length(entity_type) + 2), actor_key_id, actor_name, request_id,
           (SELECT coalesce(jsonb_agg(jsonb_build_object('field', c->'field', 'old', c->'from', 'new', c->'to')), '[]'::jsonb)
              FROM jsonb_array_elements(coalesce(changes::jsonb, '[]'::jsonb)) AS c),
           occurred_at
      FROM events WHERE actor_key_id IS NOT NULL OR request_id IS NOT NULL OR run_id IS NULL`);
  await knex.schema.dropTable('events');
  await knex.schema.dropTable('event_batches');
}
