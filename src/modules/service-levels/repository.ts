import type { Knex } from 'knex';
import type { CursorPosition } from '../../http/pagination';
import type { ServiceLevelListQuery } from './schemas';

export interface ServiceLevelRow {
  id: string;
  type: string;
  priority: string;
  first_response_minutes: number;
  resolve_minutes: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export class ServiceLevelRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  async insert(row: Omit<ServiceLevelRow, 'version'>, trx: Knex.Transaction): Promise<ServiceLevelRow> {
    const [created] = await trx('service_levels').insert(row).returning('*');
    return created as ServiceLevelRow;
  }

  async findById(
    id: string,
    trx?: Knex.Transaction,
    forUpdate = false,
  ): Promise<ServiceLevelRow | undefined> {
    const q = this.db(trx)('service_levels').where({ id }).first();
    if (forUpdate) q.forUpdate();
    return q as Promise<ServiceLevelRow | undefined>;
  }

  async findFor(
    type: string,
    priority: string,
    trx?: Knex.Transaction,
  ): Promise<ServiceLevelRow | undefined> {
    return this.db(trx)('service_levels').where({ type, priority }).first();
  }

  async update(
    id: string,
    version: number,
    columns: Partial<Pick<ServiceLevelRow, 'first_response_minutes' | 'resolve_minutes'>> & {
      updated_at: Date;
    },
    trx: Knex.Transaction,
  ): Promise<ServiceLevelRow | undefined> {
    const [row] = await trx('service_levels')
      .where({ id, version })
      .update({ ...columns, version: version + 1 })
      .returning('*');
    return row as ServiceLevelRow | undefined;
  }

  async delete(id: string, trx: Knex.Transaction): Promise<void> {
    await trx('service_levels').where({ id }).delete();
  }

  async list(
    query: ServiceLevelListQuery,
    limit: number,
    after?: CursorPosition,
  ): Promise<ServiceLevelRow[]> {
    const q = this.knex('service_levels').select('*');
    if (query.type) q.where('type', query.type);
    if (query.priority) q.where('priority', query.priority);
    if (after) q.where('id', '>', after.id);
    return q.orderBy('id').limit(limit + 1);
  }
}
