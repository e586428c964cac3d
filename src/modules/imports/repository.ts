import type { Knex } from 'knex';
import type { CursorPosition } from '../../http/pagination';
import type {
  ImportFormat,
  ImportListQuery,
  ImportMode,
  ImportResource,
  ImportStatus,
  Rejection,
} from './schemas';

export interface ImportJobRow {
  id: string;
  resource: ImportResource;
  format: ImportFormat;
  mode: ImportMode;
  batch_size: number;
  status: ImportStatus;
  lines_read: number;
  rows_written: number;
  rows_created: number;
  rows_updated: number;
  rows_unchanged: number;
  rows_rejected: number;
  rejections: Rejection[];
  last_committed_line: number;
  error: string | null;
  created_by: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  finished_at: Date | string | null;
  /** The instance key of the process receiving the job (src/db/instance-lease.ts). */
  owner_instance: number | null;
}

/** The counters a committed batch moves forward, written together with the batch. */
export type ImportProgressColumns = Pick<
  ImportJobRow,
  | 'lines_read'
  | 'rows_written'
  | 'rows_created'
  | 'rows_updated'
  | 'rows_unchanged'
  | 'rows_rejected'
  | 'rejections'
  | 'last_committed_line'
>;

export type ImportJobUpdate = Partial<Omit<ImportJobRow, 'id' | 'created_at' | 'created_by'>>;

const withJson = (update: ImportJobUpdate) =>
  update.rejections === undefined ? update : { ...update, rejections: JSON.stringify(update.rejections) };

export class ImportJobRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  async insert(row: ImportJobRow): Promise<ImportJobRow> {
    const [inserted] = await this.knex('import_jobs')
      .insert({ ...row, rejections: JSON.stringify(row.rejections) })
      .returning('*');
    return inserted as ImportJobRow;
  }

  async findById(id: string): Promise<ImportJobRow | undefined> {
    return this.knex('import_jobs').where({ id }).first();
  }

  /** Takes a job that is not receiving for a new upload; undefined when another upload holds it. */
  async claim(id: string, update: ImportJobUpdate): Promise<ImportJobRow | undefined> {
    const [row] = await this.knex('import_jobs')
      .where({ id })
      .whereNot('status', 'receiving')
      .update(withJson({ ...update, status: 'receiving' }))
      .returning('*');
    return row as ImportJobRow | undefined;
  }

  async update(id: string, update: ImportJobUpdate, trx?: Knex.Transaction): Promise<void> {
    await this.db(trx)('import_jobs').where({ id }).update(withJson(update));
  }

  /** Newest first (ids are time-ordered), of the given resources only. */
  async list(
    query: ImportListQuery,
    resources: readonly ImportResource[],
    limit: number,
    after?: CursorPosition,
  ): Promise<ImportJobRow[]> {
    const q = this.knex('import_jobs').select('*').whereIn('resource', resources);
    if (query.resource) q.where('resource', query.resource);
    if (query.status) q.where('status', query.status);
    if (after) q.where('id', '<', after.id);
    return q.orderBy('id', 'desc').limit(limit + 1);
  }

  /** Jobs receiving an upload, here or in another process. */
  async receivingJobs(): Promise<Array<Pick<ImportJobRow, 'id' | 'owner_instance'>>> {
    return this.knex('import_jobs').where('status', 'receiving').select('id', 'owner_instance');
  }

  /** Marks the named jobs, if they are still receiving. */
  async markReceivingAs(ids: string[], status: ImportStatus, error: string, now: Date): Promise<number> {
    if (ids.length === 0) return 0;
    return this.knex('import_jobs')
      .whereIn('id', ids)
      .where('status', 'receiving')
      .update({ status, error, updated_at: now, finished_at: now });
  }
}
