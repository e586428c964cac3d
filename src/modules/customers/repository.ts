import type { Knex } from 'knex';
import type { CursorPosition } from '../../plugins/pagination';
import type { CustomerRow } from './customer-row';
import type { CustomerListQuery } from './schemas';

type Columns = Record<string, unknown>;

const SORT_COLUMNS = {
  name: 'sort_name',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  clv: 'clv',
  pAlive: 'p_alive',
} as const;

/** Value sorts rank the customers the latest analytics run valued; the others have no place in them. */
const VALUE_SORTS = new Set<SortSpec['key']>(['clv', 'pAlive']);

export interface SortSpec {
  key: keyof typeof SORT_COLUMNS;
  descending: boolean;
}

export function parseSort(sort: string | undefined): SortSpec {
  const raw = sort ?? 'createdAt';
  const descending = raw.startsWith('-');
  return { key: (descending ? raw.slice(1) : raw) as SortSpec['key'], descending };
}

export function sortValueOf(row: CustomerRow, sort: SortSpec): string {
  const value = row[SORT_COLUMNS[sort.key]];
  return value instanceof Date ? value.toISOString() : String(value);
}

/** Candidate JSON values for a `cf.key=text` filter: the text, and the number or boolean it spells. */
function customFieldCandidates(text: string): Array<string | number | boolean> {
  const out: Array<string | number | boolean> = [text];
  if (text !== '' && Number.isFinite(Number(text))) out.push(Number(text));
  if (text === 'true' || text === 'false') out.push(text === 'true');
  return out;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export class CustomerRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  async insert(rows: Columns[], trx?: Knex.Transaction): Promise<CustomerRow[]> {
    return this.db(trx)('customers').insert(rows).returning('*');
  }

  async findById(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<CustomerRow | undefined> {
    const query = this.db(trx)('customers').where({ id }).first();
    if (forUpdate) query.forUpdate();
    return query;
  }

  async findByExternalId(
    externalId: string,
    trx?: Knex.Transaction,
    forUpdate = false,
  ): Promise<CustomerRow | undefined> {
    const query = this.db(trx)('customers').where({ external_id: externalId }).first();
    if (forUpdate) query.forUpdate();
    return query;
  }

  async findByExternalIds(externalIds: string[], trx: Knex.Transaction): Promise<CustomerRow[]> {
    return trx('customers').whereIn('external_id', externalIds).forUpdate();
  }

  /** Channel customers among `ids` that exist and are not deleted. */
  async findLiveChannels(ids: string[], trx?: Knex.Transaction): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.db(trx)('customers')
      .whereIn('id', ids)
      .where({ category: 'channel' })
      .whereNull('deleted_at')
      .select('id');
    return new Set(rows.map((r) => r.id));
  }

  /** Updates when the version still matches; undefined when another writer got there first. */
  async update(
    id: string,
    version: number,
    columns: Columns,
    trx?: Knex.Transaction,
  ): Promise<CustomerRow | undefined> {
    const [row] = await this.db(trx)('customers')
      .where({ id, version })
      .update({ ...columns, version: version + 1 })
      .returning('*');
    return row as CustomerRow | undefined;
  }

  async list(
    query: CustomerListQuery,
    sort: SortSpec,
    limit: number,
    after?: CursorPosition,
  ): Promise<CustomerRow[]> {
    const q = this.knex('customers').select('*');
    if (!query.includeDeleted) q.whereNull('deleted_at');
    if (query.q) q.where('search_text', 'like', `%${escapeLike(query.q.toLowerCase())}%`);
    if (query.category) q.where('category', query.category);
    if (query.kind) q.where('kind', query.kind);
    if (query.tag?.length) q.whereRaw('tags @> ?::text[]', [query.tag]);
    if (query.region) q.where('region', query.region);
    if (query.owner) q.where('owner', query.owner);
    if (query.lifecycleStage) q.where('lifecycle_stage', query.lifecycleStage);
    if (query.churnStatus) q.where('churn_status', query.churnStatus);
    if (query.stars) q.where('stars', query.stars);
    if (query.valueClass) q.where('value_class', query.valueClass);
    if (query.rfmSegment) q.where('rfm_segment', query.rfmSegment);
    if (query.clvMin !== undefined) q.where('clv', '>=', query.clvMin);
    if (query.clvMax !== undefined) q.where('clv', '<=', query.clvMax);
    if (query.pAliveMin !== undefined) q.where('p_alive', '>=', query.pAliveMin);
    if (query.pAliveMax !== undefined) q.where('p_alive', '<=', query.pAliveMax);
    if (query.viaChannelId) q.where('via_channel_id', query.viaChannelId);
    if (query.createdFrom) q.where('created_at', '>=', query.createdFrom);
    if (query.createdTo) q.where('created_at', '<', query.createdTo);
    if (query.updatedFrom) q.where('updated_at', '>=', query.updatedFrom);
    if (query.updatedTo) q.where('updated_at', '<', query.updatedTo);
    for (const [param, value] of Object.entries(query)) {
      if (!param.startsWith('cf.') || typeof value !== 'string') continue;
      const key = param.slice(3);
      q.where((w) => {
        for (const candidate of customFieldCandidates(value)) {
          w.orWhereRaw('custom_fields @> ?::jsonb', [JSON.stringify({ [key]: candidate })]);
        }
      });
    }
    const column = SORT_COLUMNS[sort.key];
    const direction = sort.descending ? 'desc' : 'asc';
    if (VALUE_SORTS.has(sort.key)) q.whereNotNull(column);
    if (after) {
      q.whereRaw(`(${column}, id) ${sort.descending ? '<' : '>'} (?, ?)`, [after.value, after.id]);
    }
    return q
      .orderBy([
        { column, order: direction },
        { column: 'id', order: direction },
      ])
      .limit(limit + 1);
  }
}
