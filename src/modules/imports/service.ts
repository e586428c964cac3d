import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import type { InstanceLease } from '../../db/instance-lease';
import type { Knex } from 'knex';
import { isUuid, newId } from '../../db/ids';
import { ConflictError, HttpError, NotFoundError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import { createValidatorCompiler } from '../../plugins/validator-compiler';
import type { Actor } from '../events/actor';
import { AtomicRejectionError, ImportRun, type RowValidator } from './import-run';
import type { ImportJobRepository, ImportJobRow, ImportJobUpdate } from './repository';
import { ImportFileError, UploadInterruptedError, csvRows, ndjsonRows } from './row-sources';
import {
  DEFAULT_BATCH_SIZE,
  IMPORT_RESOURCES,
  type ImportFormat,
  type ImportJob,
  type ImportJobSummary,
  type ImportListQuery,
  type ImportMode,
  type ImportResource,
} from './schemas';
import type { ImportTarget } from './targets';

const iso = (value: Date | string) => new Date(value).toISOString();

function toJob(row: ImportJobRow): ImportJob {
  return {
    ...toSummary(row),
    rejections: row.rejections,
  };
}

function toSummary(row: ImportJobRow): ImportJobSummary {
  return {
    id: row.id,
    resource: row.resource,
    format: row.format,
    mode: row.mode,
    batchSize: row.batch_size,
    status: row.status,
    linesRead: row.lines_read,
    rowsWritten: row.rows_written,
    rowsCreated: row.rows_created,
    rowsUpdated: row.rows_updated,
    rowsUnchanged: row.rows_unchanged,
    rowsRejected: row.rows_rejected,
    lastCommittedLine: row.last_committed_line,
    error: row.error,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    finishedAt: row.finished_at === null ? null : iso(row.finished_at),
  };
}

const ZERO_PROGRESS = {
  lines_read: 0,
  rows_written: 0,
  rows_created: 0,
  rows_updated: 0,
  rows_unchanged: 0,
  rows_rejected: 0,
  rejections: [],
  last_committed_line: 0,
};

export interface ImportRequest {
  resource: ImportResource;
  format: ImportFormat;
  mode: ImportMode;
  batchSize?: number;
  jobId?: string;
}

/**
 * Import jobs: a file of customers, orders or payments streamed in and written in batches
 * through the resource's batch upsert. Progress lives in import_jobs; a job that is still
 * receiving in this process is read from memory, so progress shows between commits (and while
 * an atomic job's transaction holds PGlite's only connection).
 */
export class ImportService {
  private readonly active = new Map<string, ImportRun>();
  private readonly validators: Record<ImportResource, RowValidator>;

  constructor(
    private readonly knex: Knex,
    private readonly repository: ImportJobRepository,
    private readonly targets: Record<ImportResource, ImportTarget>,
    private readonly clock: () => Date,
    private readonly log: FastifyBaseLogger,
    private readonly lease: InstanceLease,
  ) {
    // The same strict validation as a batch body: no coercion, unknown fields are errors.
    const compile = createValidatorCompiler();
    this.validators = Object.fromEntries(
      IMPORT_RESOURCES.map((resource) => [
        resource,
        compile({
          schema: targets[resource].itemSchema,
          method: 'POST',
          url: '/v1/imports',
          httpPart: 'body',
        }),
      ]),
    ) as Record<ImportResource, RowValidator>;
  }

  private notFound(id: string) {
    return new NotFoundError('import_not_found', { id });
  }

  private view(row: ImportJobRow): ImportJob {
    const run = this.active.get(row.id);
    return toJob(run ? { ...row, ...run.snapshot() } : row);
  }

  /** A job; one receiving in this process is answered from memory, without the database. */
  async get(id: string): Promise<ImportJob> {
    const run = this.active.get(id);
    if (run) return toJob({ ...run.job, ...run.snapshot(), updated_at: this.clock() });
    const row = isUuid(id) ? await this.repository.findById(id) : undefined;
    if (!row) throw this.notFound(id);
    return toJob(row);
  }

  async list(query: ImportListQuery, resources: ImportResource[]) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, '-createdAt') : undefined;
    const rows = await this.repository.list(query, resources, limit, after);
    return pageFrom(
      rows,
      limit,
      (row) => {
        const { rejections: _rejections, ...summary } = this.view(row);
        return summary;
      },
      (row) => ({ sort: '-createdAt', value: null, id: row.id }),
    );
  }

  /** A new job, or the named one taken over for a resumed upload. */
  private async open(request: ImportRequest, actor: Actor): Promise<{ job: ImportJobRow; resumed: boolean }> {
    const now = this.clock();
    if (request.jobId === undefined) {
      const job = await this.repository.insert({
        id: newId(),
        resource: request.resource,
        format: request.format,
        mode: request.mode,
        batch_size: request.batchSize ?? DEFAULT_BATCH_SIZE,
        status: 'receiving',
        owner_instance: await this.lease.key(),
        ...ZERO_PROGRESS,
        error: null,
        created_by: actor.keyId,
        created_at: now,
        updated_at: now,
        finished_at: null,
      });
      return { job, resumed: false };
    }
    const existing = await this.repository.findById(request.jobId);
    if (!existing) throw this.notFound(request.jobId);
    const mismatch = (['resource', 'format', 'mode'] as const).filter(
      (field) => existing[field] !== request[field],
    );
    if (mismatch.length > 0) {
      throw new ConflictError('import_mismatch', {
        id: existing.id,
        mode: existing.mode,
        format: existing.format,
        resource: existing.resource,
        fields: mismatch.join(', '),
      });
    }
    // An upload a dead process was receiving can be resumed at once, without waiting for a restart.
    if (existing.status === 'receiving') await this.interruptJobsOfStoppedProcesses();
    const job = await this.repository.claim(existing.id, {
      owner_instance: await this.lease.key(),
      // An atomic job commits nothing until it is done: its resume starts from the top.
      ...(existing.mode === 'atomic' ? ZERO_PROGRESS : {}),
      batch_size: request.batchSize ?? existing.batch_size,
      error: null,
      updated_at: now,
      finished_at: null,
    });
    if (!job) throw new ConflictError('import_in_progress', { id: existing.id });
    return { job, resumed: true };
  }

  /**
   * Streams `body` into the job and answers the job when the stream ends or the job stops.
   * Only a fault of the server itself (the database gone) is thrown after the job is marked.
   */
  async run(
    request: ImportRequest,
    body: Readable,
    actor: Actor,
  ): Promise<{ job: ImportJob; resumed: boolean }> {
    const { job, resumed } = await this.open(request, actor);
    const target = this.targets[job.resource];
    const run = new ImportRun(
      { knex: this.knex, repository: this.repository, clock: this.clock },
      job,
      target,
      this.validators[job.resource],
      actor,
    );
    this.active.set(job.id, run);
    try {
      const rows = job.format === 'csv' ? csvRows(body, target.itemSchema) : ndjsonRows(body);
      await (job.mode === 'atomic' ? run.runAtomic(rows) : run.runPartial(rows));
    } catch (error) {
      await this.settle(run, error);
    } finally {
      this.active.delete(job.id);
    }
    const final = await this.repository.findById(job.id);
    return { job: toJob(final!), resumed };
  }

  /** Records why a job stopped; its committed batches stay. */
  private async settle(run: ImportRun, error: unknown): Promise<void> {
    const now = this.clock();
    const progress = run.snapshot();
    let update: ImportJobUpdate;
    if (error instanceof AtomicRejectionError) {
      update = {
        ...ZERO_PROGRESS,
        lines_read: progress.lines_read,
        rows_rejected: progress.rows_rejected,
        rejections: progress.rejections,
        status: 'failed',
        error: error.message,
      };
    } else if (error instanceof UploadInterruptedError) {
      // Resume with jobId: the batches committed so far are skipped.
      update = { status: 'interrupted', error: error.message };
    } else if (error instanceof ImportFileError) {
      update = { status: 'failed', error: `Line ${error.line}: ${error.message}` };
    } else if (error instanceof HttpError && error.status < 500) {
      update = { status: 'failed', error: error.message };
    } else {
      this.log.error({ err: error, importJobId: run.job.id }, 'import failed');
      await this.repository
        .update(run.job.id, {
          status: 'failed',
          error: 'An unexpected fault stopped the import; the batches committed before it stay.',
          updated_at: now,
          finished_at: now,
        })
        .catch((markError: unknown) =>
          this.log.error({ err: markError }, 'could not mark the import failed'),
        );
      throw error;
    }
    await this.repository.update(run.job.id, { ...update, updated_at: now, finished_at: now });
  }

  /**
   * Jobs that were receiving when their process stopped will get no more rows from it; those
   * another live instance is receiving go on (docs/SCALING.md "What runs once").
   */
  async recoverInterrupted(): Promise<number> {
    return this.interruptJobsOfStoppedProcesses();
  }

  private async interruptJobsOfStoppedProcesses(): Promise<number> {
    const stopped: string[] = [];
    for (const job of await this.repository.receivingJobs()) {
      if (job.owner_instance === null || !(await this.lease.isAlive(job.owner_instance)))
        stopped.push(job.id);
    }
    return this.repository.markReceivingAs(
      stopped,
      'interrupted',
      'The server stopped during the upload; resume with jobId to skip the committed lines.',
      this.clock(),
    );
  }
}
