import type { Knex } from 'knex';

/**
 * Webhook subscriptions and their deliveries from the event outbox (docs/webhooks.md).
 *
 * A delivery is one event for one subscription; `(seq, n)` is the event's place in the outbox
 * and `order_key` the customer (or the record) whose events go out in that order. The partial
 * index on open deliveries serves the claim's check that no earlier delivery of the same
 * subscription and key is still open; the due index serves the claim itself. Attempts are kept
 * per delivery for the delivery log.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE webhook_subscriptions (
      id uuid PRIMARY KEY,
      url text NOT NULL,
      event_types text[] NOT NULL,
      description text,
      enabled boolean NOT NULL DEFAULT true,
      disabled_reason text,
      secret text NOT NULL,
      previous_secret text,
      previous_secret_until timestamptz,
      from_seq bigint NOT NULL,
      failing_since timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
  await knex.raw(`
    CREATE TABLE webhook_dispatch (
      id smallint PRIMARY KEY CHECK (id = 1),
      seq bigint NOT NULL
    )`);
  // Fan-out starts at the outbox's head when webhooks arrive: there is no subscription older.
  await knex.raw('INSERT INTO webhook_dispatch (id, seq) SELECT 1, COALESCE(max(seq), 0) FROM event_batches');
  await knex.raw(`
    CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY,
      ord bigint GENERATED ALWAYS AS IDENTITY,
      subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
      batch_id uuid NOT NULL,
      n integer NOT NULL,
      seq bigint NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      order_key uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'delivering', 'succeeded', 'failed')),
      attempt_count integer NOT NULL DEFAULT 0,
      attempts_total integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      lease_until timestamptz,
      lease_owner text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
  await knex.raw(
    `CREATE INDEX webhook_deliveries_open ON webhook_deliveries (subscription_id, order_key, seq, n, id)
      WHERE status IN ('pending', 'delivering')`,
  );
  await knex.raw(
    `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
      WHERE status IN ('pending', 'delivering')`,
  );
  await knex.raw('CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, ord)');
  await knex.raw(`
    CREATE TABLE webhook_attempts (
      delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
      attempt integer NOT NULL,
      at timestamptz NOT NULL,
      status_code integer,
      latency_ms integer NOT NULL,
      response_body text,
      error text,
      PRIMARY KEY (delivery_id, attempt)
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE webhook_attempts');
  await knex.raw('DROP TABLE webhook_deliveries');
  await knex.raw('DROP TABLE webhook_dispatch');
  await knex.raw('DROP TABLE webhook_subscriptions');
}
