import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import type { BulkCopy } from '../../db/bulk-copy';
import { BinaryRowEncoder } from '../../db/copy-binary';
import { isUuid } from '../../db/ids';
import { VALUE_COLUMN_TYPES } from './repository';

/** A run's snapshot table: a partition of customer_values once the run is published. */
export function snapshotTable(runId: string): string {
  if (!isUuid(runId)) throw new Error(`not a run id: ${runId}`);
  return `customer_values_${runId.toLowerCase().replace(/-/g, '')}`;
}

const SNAPSHOT_TABLE_PATTERN = '^customer_values_[0-9a-f]{32}$';

/**
 * The indexes of customer_values (migration 20261123006000), by suffix: a partition built with
 * the same ones is attached without building them again.
 */
const LIST_INDEXES: ReadonlyArray<[suffix: string, columns: string]> = [
  ['class', 'value_class'],
  ['segment', 'rfm_segment'],
  ['clv', 'clv_predicted, customer_id'],
  ['p_alive', 'p_alive, customer_id'],
];

/** The snapshot columns in the order `SnapshotTables.write` expects each row's fields. */
export type SnapshotColumn = keyof typeof VALUE_COLUMN_TYPES;
export const SNAPSHOT_COLUMNS = Object.keys(VALUE_COLUMN_TYPES) as SnapshotColumn[];

/**
 * The life of a run's snapshot: a table of its own, loaded with COPY (no index to maintain row
 * by row), indexed in bulk (on a server, on two connections at once), attached to
 * customer_values in the transaction that publishes the run, and dropped once another run's
 * snapshot is current.
 */
export class SnapshotTables {
  constructor(
    private readonly knex: Knex,
    private readonly bulk: BulkCopy,
    /** Build indexes side by side (a server; the embedded database runs one statement at a time). */
    private readonly parallel: boolean,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** An encoder for snapshot rows: the fields of SNAPSHOT_COLUMNS, in that order. */
  static rowEncoder(): BinaryRowEncoder {
    return new BinaryRowEncoder(SNAPSHOT_COLUMNS.map((column) => VALUE_COLUMN_TYPES[column]));
  }

  /**
   * Creates the run's table and loads it, in one transaction: chunks from `rowEncoder()`. The
   * rows go in frozen (the table is new in this transaction), so the index builds that read
   * them next do not first rewrite every page to set hint bits.
   */
  async write(runId: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
    const table = snapshotTable(runId);
    await this.bulk.copyIn(`${table} (${SNAPSHOT_COLUMNS.join(', ')})`, chunks, {
      format: 'binary',
      freeze: true,
      before: [
        // The check lets ATTACH PARTITION skip its scan of the table for the partition constraint.
        `CREATE TABLE ${table} (LIKE customer_values INCLUDING DEFAULTS,
           CONSTRAINT ${table}_run CHECK (run_id = '${runId}'))`,
        `ALTER TABLE ${table} ALTER COLUMN run_id SET DEFAULT '${runId}'`,
      ],
    });
  }

  async index(runId: string): Promise<void> {
    const table = snapshotTable(runId);
    // The key is built as a plain unique index and made the primary key afterwards: ADD
    // PRIMARY KEY would lock the table against the other builds; CREATE INDEX takes a SHARE
    // lock, which does not conflict with itself.
    const primaryKey = `CREATE UNIQUE INDEX ${table}_pkey ON ${table} (run_id, customer_id)`;
    const [byClass, bySegment, byClv, byPAlive] = LIST_INDEXES.map(
      ([suffix, columns]) => `CREATE INDEX ${table}_${suffix} ON ${table} (${columns})`,
    ) as [string, string, string, string];
    // One transaction per index: an index build ends by updating the table's pg_class row,
    // which holds off a build on the other connection until its transaction commits.
    const build = async (batch: string[]) => {
      for (const statement of batch) {
        await this.knex.transaction(async (trx) => {
          await trx.raw('SET LOCAL statement_timeout = 0');
          await trx.raw(statement);
        });
      }
    };
    // Two connections, each with about half of the work (measured on 100,000 rows).
    if (this.parallel) await Promise.all([build([bySegment, byPAlive]), build([byClass, primaryKey, byClv])]);
    else await build([byClass, bySegment, primaryKey, byClv, byPAlive]);
    await this.knex.raw(
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY USING INDEX ${table}_pkey`,
    );
    // Statistics of the columns customer lists filter and sort by, before the table is
    // published: without them the planner guesses a value class holds 0.5% of the customers and
    // `valueClass=platinum&sort=-clv` joins the whole class and sorts it (215 ms instead of
    // 0.6 ms at 100,000 customers, bench/README.md "Read path") until autovacuum gets there.
    // run_id above all: lists join on `run_id = (the current run)`, and without its statistics
    // that condition alone is guessed to keep 0.5% of the rows, which shrinks every estimate
    // after it (measured: 168 ms instead of 0.55 ms for the same list).
    await this.knex.raw(
      `ANALYZE ${table} (run_id, customer_id, value_class, rfm_segment, clv_predicted, p_alive, stars)`,
    );
  }

  /** Makes the run's snapshot part of customer_values, in the publishing transaction. */
  async attach(runId: string, trx: Knex.Transaction): Promise<void> {
    await trx.raw(
      `ALTER TABLE customer_values ATTACH PARTITION ${snapshotTable(runId)} FOR VALUES IN ('${runId}')`,
    );
  }

  /**
   * Drops every snapshot table but the current run's: superseded snapshots and what failed or
   * interrupted runs left. Dropping a partition briefly locks customer_values; a table that
   * cannot be locked within seconds (a long read) is left for the next run to drop.
   */
  async dropAllBut(keptRunIds: string[]): Promise<void> {
    const keep = new Set(keptRunIds.map(snapshotTable));
    const result = await this.knex.raw(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname ~ ?`,
      [SNAPSHOT_TABLE_PATTERN],
    );
    for (const { name } of result.rows as Array<{ name: string }>) {
      if (keep.has(name)) continue;
      await this.knex
        .transaction(async (trx) => {
          await trx.raw("SET LOCAL lock_timeout = '5s'");
          await trx.raw(`DROP TABLE ${name}`);
        })
        .catch((error: unknown) =>
          this.log.warn({ err: error, table: name }, 'snapshot table not dropped yet'),
        );
    }
  }
}
