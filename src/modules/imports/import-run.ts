import type { Knex } from 'knex';
import { HttpError } from '../../http/http-errors';
import { describeValidation, type AjvError } from '../../http/validation-errors';
import type { Actor } from '../events/actor';
import type { ImportJobRepository, ImportJobRow, ImportProgressColumns } from './repository';
import type { SourceRow } from './row-sources';
import { MAX_REJECTIONS, type Rejection } from './schemas';
import type { ImportTarget, RowOutcome } from './targets';

/** Validates one row against the resource's batch item schema; `errors` as Ajv leaves them. */
export interface RowValidator {
  (value: unknown): boolean;
  errors?: unknown[] | null;
}

/** mode=atomic ended with rejected rows: the transaction is rolled back and the job fails. */
export class AtomicRejectionError extends Error {
  constructor(readonly rejected: number) {
    super(`${rejected} row(s) were rejected; with mode=atomic nothing was written.`);
  }
}

interface PendingRow {
  line: number;
  externalId: string;
  item: Record<string, unknown>;
}

export interface ImportRunDependencies {
  knex: Knex;
  repository: ImportJobRepository;
  clock: () => Date;
}

const byLine = (a: Rejection, b: Rejection) => a.line - b.line;

/** `body/items/3/customerExternalId` or `/items/3/name` -> the field inside the row. */
const fieldOf = (path: string) => path.replace(/^(body)?\/?items\/\d+\/?/, '').replace(/^\//, '') || 'row';

/**
 * The rows a batch service refused, by the `index` its problem names, and the rest to retry.
 * Undefined when the error is not about particular rows (it then stops the import).
 */
function refusedRows(
  error: unknown,
  rows: PendingRow[],
): { rejected: Rejection[]; rest: PendingRow[] } | undefined {
  if (!(error instanceof HttpError) || error.status >= 500 || !error.errors?.length) return undefined;
  const reasons = new Map<number, string[]>();
  for (const e of error.errors) {
    if (e.index === undefined || e.index < 0 || e.index >= rows.length) return undefined;
    reasons.set(e.index, [...(reasons.get(e.index) ?? []), `${fieldOf(e.path)} ${e.message}`]);
  }
  return {
    rejected: [...reasons].map(([index, messages]) => ({
      line: rows[index]!.line,
      externalId: rows[index]!.externalId,
      code: error.code,
      reason: messages.join('; '),
    })),
    rest: rows.filter((_, index) => !reasons.has(index)),
  };
}

/**
 * One upload of one job: reads rows, validates each, collects batches and writes them.
 * mode=partial commits each batch with the job's progress in one transaction, so a committed
 * batch is acknowledged and an uncommitted one leaves no trace. mode=atomic writes every batch
 * under a savepoint of one transaction that commits only if no row was rejected.
 */
export class ImportRun {
  private progress: ImportProgressColumns;
  private linesRead: number;
  private consumedThrough: number;
  private pending: PendingRow[] = [];
  private pendingIds = new Set<string>();
  private pendingRejections: Rejection[] = [];
  private readonly skipThrough: number;

  constructor(
    private readonly deps: ImportRunDependencies,
    readonly job: ImportJobRow,
    private readonly target: ImportTarget,
    private readonly validate: RowValidator,
    private readonly actor: Actor,
  ) {
    this.progress = {
      lines_read: job.lines_read,
      rows_written: job.rows_written,
      rows_created: job.rows_created,
      rows_updated: job.rows_updated,
      rows_unchanged: job.rows_unchanged,
      rows_rejected: job.rows_rejected,
      rejections: job.rejections,
      last_committed_line: job.last_committed_line,
    };
    this.linesRead = job.lines_read;
    this.consumedThrough = job.last_committed_line;
    this.skipThrough = job.last_committed_line;
  }

  /** Progress as a reader should see it now: committed counters, lines read so far. */
  snapshot(): ImportProgressColumns {
    return { ...this.progress, lines_read: this.linesRead };
  }

  async runPartial(rows: AsyncIterable<SourceRow>): Promise<void> {
    const flush = (final: boolean) => this.commitBatch(final);
    for await (const row of rows) await this.take(row, () => flush(false));
    await flush(true);
  }

  async runAtomic(rows: AsyncIterable<SourceRow>): Promise<void> {
    await this.deps.knex.transaction(async (trx) => {
      const flush = () => this.writeUnderSavepoint(trx);
      for await (const row of rows) await this.take(row, flush);
      await flush();
      if (this.progress.rows_rejected > 0) throw new AtomicRejectionError(this.progress.rows_rejected);
      await this.deps.repository.update(this.job.id, this.finalColumns(), trx);
    });
  }

  private finalColumns() {
    const now = this.deps.clock();
    return { ...this.progress, status: 'done' as const, updated_at: now, finished_at: now };
  }

  private async take(row: SourceRow, flush: () => Promise<void>): Promise<void> {
    if (row.line <= this.skipThrough) return;
    let accepted: PendingRow | undefined;
    if ('empty' in row) {
      // A header or blank line: nothing to write, but read (and committed with the rows before it).
    } else if ('error' in row) {
      this.pendingRejections.push({ line: row.line, ...row.error });
    } else if (!this.validate(row.value)) {
      const errors = describeValidation((this.validate.errors ?? []) as AjvError[], '');
      const externalId = typeof row.value.externalId === 'string' ? { externalId: row.value.externalId } : {};
      this.pendingRejections.push({
        line: row.line,
        ...externalId,
        code: 'validation_failed',
        reason: errors.map((e) => `${fieldOf(e.path)} ${e.message}`).join('; '),
      });
    } else {
      accepted = { line: row.line, externalId: row.value.externalId as string, item: row.value };
      // A later line for the same record updates it: write the earlier one first.
      if (this.pendingIds.has(accepted.externalId)) await flush();
    }
    // Both are file line numbers (see ImportJob in schemas.ts), so a finished job shows one figure.
    this.linesRead = Math.max(this.linesRead, row.line);
    this.consumedThrough = row.line;
    if (accepted) {
      this.pending.push(accepted);
      this.pendingIds.add(accepted.externalId);
    }
    if (this.pending.length >= this.job.batch_size) await flush();
  }

  private advance(outcomes: Array<{ outcome: RowOutcome }>, rejected: Rejection[]): ImportProgressColumns {
    const count = (outcome: RowOutcome) => outcomes.filter((r) => r.outcome === outcome).length;
    const p = this.progress;
    return {
      lines_read: this.linesRead,
      rows_written: p.rows_written + outcomes.length,
      rows_created: p.rows_created + count('created'),
      rows_updated: p.rows_updated + count('updated'),
      rows_unchanged: p.rows_unchanged + count('unchanged'),
      rows_rejected: p.rows_rejected + rejected.length,
      rejections:
        rejected.length === 0
          ? p.rejections
          : [...p.rejections, ...rejected].sort(byLine).slice(0, MAX_REJECTIONS),
      last_committed_line: this.consumedThrough,
    };
  }

  private async commitBatch(final: boolean): Promise<void> {
    const rejected: Rejection[] = [];
    this.progress = await this.writeRetryingWith(rejected, async (items) =>
      this.deps.knex.transaction(async (trx) => {
        const outcomes = items.length > 0 ? await this.target.upsert(items, this.actor, trx) : [];
        const next = this.advance(outcomes, rejected);
        const now = this.deps.clock();
        await this.deps.repository.update(
          this.job.id,
          { ...next, updated_at: now, ...(final ? { status: 'done' as const, finished_at: now } : {}) },
          trx,
        );
        return next;
      }),
    );
  }

  private async writeUnderSavepoint(trx: Knex.Transaction): Promise<void> {
    const rejected: Rejection[] = [];
    this.progress = await this.writeRetryingWith(rejected, async (items) => {
      const outcomes =
        items.length > 0
          ? await trx.transaction((savepoint) => this.target.upsert(items, this.actor, savepoint))
          : [];
      return this.advance(outcomes, rejected);
    });
  }

  /**
   * Takes the pending rows and rejections and writes them with `write`; a row the service
   * refuses is moved into `rejected` and the rest retried.
   */
  private async writeRetryingWith(
    rejected: Rejection[],
    write: (items: Array<Record<string, unknown>>) => Promise<ImportProgressColumns>,
  ): Promise<ImportProgressColumns> {
    let rows = this.pending;
    rejected.push(...this.pendingRejections);
    this.pending = [];
    this.pendingIds = new Set();
    this.pendingRejections = [];
    for (;;) {
      try {
        return await write(rows.map((r) => r.item));
      } catch (error) {
        const refused = refusedRows(error, rows);
        if (!refused) throw error;
        rejected.push(...refused.rejected);
        rows = refused.rest;
      }
    }
  }
}
