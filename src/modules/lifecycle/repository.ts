import type { Knex } from 'knex';
import { newId } from '../../db/ids';

export type LifecycleKind = 'stage' | 'churn_status';
export type LifecycleCause = 'rule' | 'model' | 'manual' | 'purchase';

/** A change of stage or churn status to record (docs/lifecycle.md). */
export interface LifecycleChange {
  customerId: string;
  kind: LifecycleKind;
  from: string | null;
  to: string | null;
  at: Date;
  cause: LifecycleCause;
  runId?: string | null;
  reason?: string | null;
  note?: string | null;
  actor?: string | null;
}

/** One lifecycle_events row. */
export interface LifecycleEventRow {
  seq: string;
  id: string;
  customer_id: string;
  kind: LifecycleKind;
  from_value: string | null;
  to_value: string | null;
  at: Date;
  cause: LifecycleCause;
  run_id: string | null;
  reason: string | null;
  note: string | null;
  actor: string | null;
}

/** Where a customer stands now: its customer_lifecycle row (none: stage selection, no churn status). */
export interface LifecycleStateRow {
  customer_id: string;
  churn_status: string | null;
  churn_since: Date | null;
  churn_cause: LifecycleCause | null;
  churn_reason: string | null;
  churn_run_id: string | null;
  stage: string;
  stage_since: Date | null;
  stage_cause: LifecycleCause | null;
  version: number;
}

/** A lifecycle event as the API shows it (GET /v1/customers/{id}/lifecycle). */
export interface LifecycleEventView {
  id: string;
  kind: LifecycleKind;
  from: string | null;
  to: string | null;
  at: string;
  cause: LifecycleCause;
  runId: string | null;
  reason: string | null;
  note: string | null;
}

export function toLifecycleEvent(row: LifecycleEventRow): LifecycleEventView {
  return {
    id: row.id,
    kind: row.kind,
    from: row.from_value,
    to: row.to_value,
    at: new Date(row.at).toISOString(),
    cause: row.cause,
    runId: row.run_id,
    reason: row.reason,
    note: row.note,
  };
}

/** Changes written per statement: bounded parameters whatever their number. */
const CHUNK = 5_000;

/**
 * The lifecycle history and each customer's current state, written together: every change is
 * a lifecycle_events row, and the customer's customer_lifecycle row takes the latest change
 * of each kind (by `at`), bumping its version (part of the customer's ETag; `moveStates`).
 */
export class LifecycleRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Records changes in the caller's transaction and answers the rows written, in the order
   * given. The state of a customer follows the change of each kind with the latest `at`
   * (ties: the later in the list); a change older than the state's `since` enters the
   * history without moving the state.
   */
  async record(changes: readonly LifecycleChange[], trx: Knex.Transaction): Promise<LifecycleEventRow[]> {
    const written: LifecycleEventRow[] = [];
    for (let from = 0; from < changes.length; from += CHUNK) {
      const chunk = changes.slice(from, from + CHUNK);
      const rows = chunk.map((c) => ({
        id: newId(),
        customer_id: c.customerId,
        kind: c.kind,
        from_value: c.from,
        to_value: c.to,
        at: c.at.toISOString(),
        cause: c.cause,
        run_id: c.runId ?? null,
        reason: c.reason ?? null,
        note: c.note ?? null,
        actor: c.actor ?? null,
      }));
      const { rows: inserted } = await trx.raw<{ rows: LifecycleEventRow[] }>(
        `INSERT INTO lifecycle_events (id, customer_id, kind, from_value, to_value, at, cause, run_id, reason, note, actor)
         SELECT id, customer_id, kind, from_value, to_value, at, cause, run_id, reason, note, actor
           FROM json_to_recordset(?::json) AS x(id uuid, customer_id uuid, kind text, from_value text,
                to_value text, at timestamptz, cause text, run_id uuid, reason text, note text, actor text)
         RETURNING seq, id, customer_id, kind, from_value, to_value, at, cause, run_id, reason, note, actor`,
        [JSON.stringify(rows)],
      );
      const order = new Map(rows.map((r, i) => [r.id, i]));
      inserted.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
      for (const row of inserted) written.push(row);
    }
    await this.applyToState(written, trx);
    return written;
  }

  /** Moves each customer's state to the changes just written (their seq numbers). */
  private async applyToState(rows: LifecycleEventRow[], trx: Knex.Transaction): Promise<void> {
    for (let from = 0; from < rows.length; from += CHUNK) {
      await this.moveStates(
        `SELECT customer_id, kind, to_value, at, cause, reason, run_id, seq AS ord
           FROM lifecycle_events WHERE seq = ANY(?::bigint[])`,
        [rows.slice(from, from + CHUNK).map((r) => r.seq)],
        trx,
      );
    }
  }

  /**
   * The one rule by which history moves state: each customer's state of each kind takes the
   * latest of the changes `source` selects (by `at`, then `ord`), unless the state already
   * stands at a later time (a change recorded meanwhile, or an older one entering the history).
   * `source` is a SELECT of (customer_id, kind, to_value, at, cause, reason, run_id, ord): the
   * rows a request just wrote, or the staged changes of an analytics run
   * (src/modules/lifecycle/run-changes.ts).
   */
  async moveStates(
    source: string,
    bindings: readonly Knex.RawBinding[],
    trx: Knex.Transaction,
  ): Promise<void> {
    await trx.raw(
      `INSERT INTO customer_lifecycle AS l (customer_id, churn_status, churn_since, churn_cause, churn_reason, churn_run_id)
       SELECT DISTINCT ON (s.customer_id) s.customer_id, s.to_value, s.at, s.cause, s.reason, s.run_id
         FROM (${source}) s WHERE s.kind = 'churn_status' ORDER BY s.customer_id, s.at DESC, s.ord DESC
       ON CONFLICT (customer_id) DO UPDATE SET
         churn_status = excluded.churn_status, churn_since = excluded.churn_since,
         churn_cause = excluded.churn_cause, churn_reason = excluded.churn_reason,
         churn_run_id = excluded.churn_run_id, version = l.version + 1
       WHERE l.churn_since IS NULL OR excluded.churn_since >= l.churn_since`,
      bindings,
    );
    await trx.raw(
      `INSERT INTO customer_lifecycle AS l (customer_id, stage, stage_since, stage_cause)
       SELECT DISTINCT ON (s.customer_id) s.customer_id, s.to_value, s.at, s.cause
         FROM (${source}) s WHERE s.kind = 'stage' ORDER BY s.customer_id, s.at DESC, s.ord DESC
       ON CONFLICT (customer_id) DO UPDATE SET
         stage = excluded.stage, stage_since = excluded.stage_since, stage_cause = excluded.stage_cause,
         version = l.version + 1
       WHERE l.stage_since IS NULL OR excluded.stage_since >= l.stage_since`,
      bindings,
    );
  }

  /** A customer's state now; undefined when nothing was ever recorded for it. */
  async state(customerId: string, trx?: Knex.Transaction): Promise<LifecycleStateRow | undefined> {
    return (trx ?? this.knex)('customer_lifecycle').where({ customer_id: customerId }).first();
  }

  /** A customer's history, newest first, after a cursor position (at, seq). */
  async history(
    customerId: string,
    options: { kind?: LifecycleKind; after?: { at: string; seq: string }; limit: number },
  ): Promise<LifecycleEventRow[]> {
    const query = this.knex('lifecycle_events')
      .where({ customer_id: customerId })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'seq', order: 'desc' },
      ])
      .limit(options.limit)
      .select(
        'seq',
        'id',
        'customer_id',
        'kind',
        'from_value',
        'to_value',
        'at',
        'cause',
        'run_id',
        'reason',
        'note',
        'actor',
      );
    if (options.kind) query.where({ kind: options.kind });
    if (options.after) {
      const { at, seq } = options.after;
      query.whereRaw('(at, seq) < (?::timestamptz, ?::bigint)', [at, seq]);
    }
    return query;
  }
}
