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
 * of each kind (by `at`), bumping its version (part of the customer's ETag).
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

  /** Moves each customer's state to its latest change of each kind. */
  private async applyToState(rows: LifecycleEventRow[], trx: Knex.Transaction): Promise<void> {
    const latest = new Map<string, { churn?: LifecycleEventRow; stage?: LifecycleEventRow }>();
    for (const row of rows) {
      const entry = latest.get(row.customer_id) ?? {};
      const key = row.kind === 'stage' ? 'stage' : 'churn';
      const held = entry[key];
      if (!held || new Date(row.at).getTime() >= new Date(held.at).getTime()) entry[key] = row;
      latest.set(row.customer_id, entry);
    }
    const states = [...latest.entries()].map(([customerId, { churn, stage }]) => ({
      customer_id: customerId,
      churn_status: churn?.to_value ?? null,
      churn_since: churn ? new Date(churn.at).toISOString() : null,
      churn_cause: churn?.cause ?? null,
      churn_reason: churn?.reason ?? null,
      churn_run_id: churn?.run_id ?? null,
      stage: stage?.to_value ?? 'selection',
      stage_since: stage ? new Date(stage.at).toISOString() : null,
      stage_cause: stage?.cause ?? null,
    }));
    // A kind with no change here has a null `since`, which leaves that half of the row as it is.
    const newerChurn =
      'excluded.churn_since IS NOT NULL AND (l.churn_since IS NULL OR excluded.churn_since >= l.churn_since)';
    const newerStage =
      'excluded.stage_since IS NOT NULL AND (l.stage_since IS NULL OR excluded.stage_since >= l.stage_since)';
    const churnSet = ['churn_status', 'churn_cause', 'churn_reason', 'churn_run_id', 'churn_since']
      .map((c) => `${c} = CASE WHEN ${newerChurn} THEN excluded.${c} ELSE l.${c} END`)
      .join(', ');
    const stageSet = ['stage', 'stage_cause', 'stage_since']
      .map((c) => `${c} = CASE WHEN ${newerStage} THEN excluded.${c} ELSE l.${c} END`)
      .join(', ');
    for (let from = 0; from < states.length; from += CHUNK) {
      await trx.raw(
        `INSERT INTO customer_lifecycle AS l (customer_id, churn_status, churn_since, churn_cause, churn_reason,
                                             churn_run_id, stage, stage_since, stage_cause)
         SELECT customer_id, churn_status, churn_since, churn_cause, churn_reason, churn_run_id,
                stage, stage_since, stage_cause
           FROM json_to_recordset(?::json) AS x(customer_id uuid, churn_status text, churn_since timestamptz,
                churn_cause text, churn_reason text, churn_run_id uuid, stage text, stage_since timestamptz,
                stage_cause text)
         ON CONFLICT (customer_id) DO UPDATE SET ${churnSet}, ${stageSet}, version = l.version + 1`,
        [JSON.stringify(states.slice(from, from + CHUNK))],
      );
    }
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
