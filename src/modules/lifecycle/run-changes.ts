import type { Knex } from 'knex';
import type { BulkCopy } from '../../db/bulk-copy';
import { isUuid, newId } from '../../db/ids';
import type { EventRepository } from '../events/repository';
import type { LifecycleRepository } from './repository';

/** One change a run's replay found: the customer, what moved, the day it did, and why. */
export interface RunLifecycleChange {
  customerId: string;
  kind: 'stage' | 'churn_status';
  from: string | null;
  to: string | null;
  /** Epoch day (UTC); the event is dated at its start. */
  day: number;
  cause: 'rule' | 'model' | 'purchase';
}

export function stagingTable(runId: string): string {
  if (!isUuid(runId)) throw new Error(`not a run id: ${runId}`);
  return `lifecycle_changes_${runId.toLowerCase().replace(/-/g, '')}`;
}

const text = (value: string | null) => (value === null ? '\\N' : value);
/** The day's start as a timestamptz, whatever the session's time zone. */
const DAY_START = "((DATE '1970-01-01' + s.day)::timestamp AT TIME ZONE 'UTC')";

/**
 * The lifecycle changes of an analytics run (docs/lifecycle.md "Replay during a run"): streamed
 * during scoring into a table of the run's own with COPY (a first run over imported history
 * finds several changes per customer), then published in the run's publishing transaction by
 * three set statements: the history (lifecycle_events), each customer's state
 * (customer_lifecycle) and the outbox events, which the database builds from the history rows
 * without a round trip per event.
 */
export class RunLifecycleChanges {
  constructor(
    private readonly knex: Knex,
    private readonly bulk: BulkCopy,
    private readonly events: EventRepository,
    private readonly lifecycle: LifecycleRepository,
  ) {}

  /** Creates the run's staging table, empty (a failed run's is replaced). */
  async create(runId: string): Promise<void> {
    const table = stagingTable(runId);
    await this.knex.raw(`DROP TABLE IF EXISTS ${table}`);
    await this.knex.raw(
      `CREATE TABLE ${table} (ord int NOT NULL, id uuid NOT NULL DEFAULT gen_random_uuid(),
         customer_id uuid NOT NULL, kind text NOT NULL, from_value text, to_value text, day int NOT NULL,
         cause text NOT NULL)`,
    );
  }

  /** Appends COPY text lines from `encode` to the run's staging table. */
  async append(runId: string, lines: string): Promise<void> {
    if (lines === '') return;
    await this.bulk.copyIn(
      `${stagingTable(runId)} (ord, customer_id, kind, from_value, to_value, day, cause)`,
      [lines],
    );
  }

  /** COPY text lines for changes; `ord` numbers them in the order the history keeps. */
  static encode(changes: readonly RunLifecycleChange[], firstOrd: number): string {
    let out = '';
    let ord = firstOrd;
    for (const c of changes) {
      out += `${ord++}\t${c.customerId}\t${c.kind}\t${text(c.from)}\t${text(c.to)}\t${c.day}\t${c.cause}\n`;
    }
    return out;
  }

  /**
   * In the publishing transaction: the staged changes become lifecycle events of the run, move
   * each customer's state (unless a change recorded meanwhile is later than the run's), and
   * become outbox events, one batch. Answers how many events were written.
   */
  async publish(runId: string, occurredAt: Date, trx: Knex.Transaction): Promise<number> {
    const table = stagingTable(runId);
    const inserted = await trx.raw<{ rowCount: number }>(
      `INSERT INTO lifecycle_events (id, customer_id, kind, from_value, to_value, at, cause, run_id)
       SELECT s.id, s.customer_id, s.kind, s.from_value, s.to_value, ${DAY_START}, s.cause, ?::uuid
         FROM ${table} s ORDER BY s.ord`,
      [runId],
    );
    const count = Number(inserted.rowCount ?? 0);
    if (count === 0) return 0;
    await this.lifecycle.moveStates(
      `SELECT customer_id, kind, to_value, ${DAY_START} AS at, cause, NULL::text AS reason,
              ?::uuid AS run_id, ord
         FROM ${table} s`,
      [runId],
      trx,
    );
    const batchId = newId();
    // The outbox rows are made from the staged rows (the same ids), not read back from the
    // history: one pass, no index needed on the history for it.
    await trx.raw(
      `INSERT INTO events (batch_id, n, id, type, occurred_at, entity_type, entity_id, customer_id, run_id, data, changes)
       SELECT ?::uuid, s.ord + 1, gen_random_uuid(),
              CASE s.kind WHEN 'stage' THEN 'customer.lifecycle_stage_changed' ELSE 'customer.churn_status_changed' END,
              ?::timestamptz, 'customer', s.customer_id, s.customer_id, ?::uuid,
              json_build_object('id', s.id, 'customerId', s.customer_id, 'kind', s.kind, 'from', s.from_value,
                                'to', s.to_value,
                                'at', to_char(DATE '1970-01-01' + s.day, 'YYYY-MM-DD"T00:00:00.000Z"'),
                                'cause', s.cause, 'runId', ?::uuid, 'reason', NULL, 'note', NULL,
                                'predictedClv', v.clv_predicted),
              json_build_array(json_build_object(
                'field', CASE s.kind WHEN 'stage' THEN 'lifecycleStage' ELSE 'churnStatus' END,
                'from', s.from_value, 'to', s.to_value))
         FROM ${table} s
         -- The run's own values (its snapshot is attached by now): what a receiver has at stake.
         LEFT JOIN customer_values v ON v.run_id = ?::uuid AND v.customer_id = s.customer_id`,
      [batchId, occurredAt.toISOString(), runId, runId, runId],
    );
    await this.events.closeBatch(batchId, trx);
    await trx.raw(`DROP TABLE ${table}`);
    return count;
  }

  /**
   * Fresh statistics after a run that moved many customers (a first run writes every buyer's
   * state and history): lists filter by churn status and stage, and the churn report scans the
   * history, on plans that would otherwise rest on the table as it was before, until autovacuum
   * (if it runs at all) gets there.
   */
  async analyze(): Promise<void> {
    await this.knex.raw('ANALYZE customer_lifecycle');
    await this.knex.raw('ANALYZE lifecycle_events');
  }

  /** The staging table of a run that did not publish. */
  async discard(runId: string): Promise<void> {
    await this.knex.raw(`DROP TABLE IF EXISTS ${stagingTable(runId)}`);
  }
}
