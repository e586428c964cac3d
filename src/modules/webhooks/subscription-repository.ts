import type { Knex } from 'knex';
import { arrayLiteral } from '../../db/array-literal';

export interface SubscriptionRow {
  id: string;
  url: string;
  event_types: string[];
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  from_seq: string;
  failing_since: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type SubscriptionChanges = Partial<
  Pick<
    SubscriptionRow,
    | 'url'
    | 'event_types'
    | 'description'
    | 'enabled'
    | 'disabled_reason'
    | 'secret'
    | 'previous_secret'
    | 'previous_secret_until'
    | 'failing_since'
  >
>;

/** Webhook subscriptions (docs/webhooks.md "Tables"). */
export class SubscriptionRepository {
  constructor(private readonly knex: Knex) {}

  /** A new subscription hears the events committed after the outbox's head as it is now. */
  async insert(
    row: Omit<SubscriptionRow, 'from_seq' | 'version' | 'failing_since'>,
    trx: Knex.Transaction,
  ): Promise<SubscriptionRow> {
    const { rows } = await trx.raw<{ rows: SubscriptionRow[] }>(
      `INSERT INTO webhook_subscriptions (id, url, event_types, description, enabled, disabled_reason, secret,
                                          previous_secret, previous_secret_until, from_seq, created_at, updated_at)
       SELECT ?::uuid, ?, ?::text[], ?, ?, ?, ?, ?, ?::timestamptz, COALESCE(max(seq), 0), ?::timestamptz, ?::timestamptz
         FROM event_batches
       RETURNING *`,
      [
        row.id,
        row.url,
        arrayLiteral(row.event_types),
        row.description,
        row.enabled,
        row.disabled_reason,
        row.secret,
        row.previous_secret,
        row.previous_secret_until?.toISOString() ?? null,
        row.created_at.toISOString(),
        row.updated_at.toISOString(),
      ],
    );
    return rows[0]!;
  }

  async find(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<SubscriptionRow | undefined> {
    const q = (trx ?? this.knex)<SubscriptionRow>('webhook_subscriptions').where({ id }).first();
    if (forUpdate) q.forUpdate();
    return q;
  }

  async findMany(ids: readonly string[]): Promise<Map<string, SubscriptionRow>> {
    const rows =
      ids.length === 0 ? [] : await this.knex<SubscriptionRow>('webhook_subscriptions').whereIn('id', ids);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Newest first, after the cursor's id (ids are time-ordered). */
  async list(limit: number, beforeId?: string): Promise<SubscriptionRow[]> {
    const q = this.knex<SubscriptionRow>('webhook_subscriptions').orderBy('id', 'desc').limit(limit);
    if (beforeId !== undefined) q.where('id', '<', beforeId);
    return q;
  }

  async update(
    id: string,
    changes: SubscriptionChanges,
    now: Date,
    trx: Knex.Transaction,
  ): Promise<SubscriptionRow> {
    const [row] = await trx('webhook_subscriptions')
      .where({ id })
      .update({
        ...changes,
        ...(changes.event_types && {
          event_types: trx.raw('?::text[]', [arrayLiteral(changes.event_types)]),
        }),
        updated_at: now,
        version: trx.raw('version + 1'),
      })
      .returning('*');
    return row as SubscriptionRow;
  }

  async delete(id: string, trx: Knex.Transaction): Promise<boolean> {
    return (await trx('webhook_subscriptions').where({ id }).delete()) > 0;
  }
}
