import type { Knex } from 'knex';
import { arrayLiteral } from '../../db/array-literal';
import { queryGrams } from '../../domain/text/cjk-grams';
import type { CursorPosition } from '../../http/pagination';
import {
  NO_LIFECYCLE,
  type CustomerColumns,
  type CustomerLifecycleColumns,
  type CustomerRow,
  type CustomerValueColumns,
} from './customer-row';
import type { CustomerListQuery } from './schemas';
import type { CustomerInsert, CustomerUpdate } from './table';
// The current run's figures live in customer_values and are joined on, not copied onto customers,
// so publishing a run rewrites no customer rows.
import { CURRENT_RUN_SQL } from '../shared/value-at-stake';

/** Sort keys: the SQL expression ordered by, and the row field the cursor takes its value from. */
const SORT_COLUMNS = {
  name: { sql: 'customers.sort_name', field: 'sort_name' },
  createdAt: { sql: 'customers.created_at', field: 'created_at' },
  updatedAt: { sql: 'customers.updated_at', field: 'updated_at' },
  clv: { sql: 'v.clv_predicted', field: 'clv' },
  pAlive: { sql: 'v.p_alive', field: 'p_alive' },
} as const;

const VALUE_SELECT = [
  'v.value_class',
  'v.rfm_segment',
  'v.rfm_code',
  'v.clv_predicted as clv',
  'v.p_alive',
  'v.run_id as value_run_id',
];

/**
 * Where the customer stands (customer_lifecycle, joined as `l`): no row is stage selection and
 * no churn status. And the stars shown: the override, else the current run's (`v`).
 */
const LIFECYCLE_SELECT = [
  'l.churn_status',
  'l.churn_since',
  'l.churn_reason',
  'l.churn_cause',
  "COALESCE(l.stage, 'selection') AS lifecycle_stage",
  'COALESCE(l.version, 0) AS lifecycle_version',
];
const STARS_SELECT = 'COALESCE(customers.stars_override, v.stars) AS stars';

/**
 * The customers columns a read answers with: every column of CustomerColumns (the compiler
 * checks the list is complete), named rather than `customers.*`, so the search grams no answer
 * shows are not read and parsed, and a column added by a migration does not change the result
 * of the prepared statement below under a running server ("cached plan must not change result
 * type").
 */
const CUSTOMER_COLUMNS = [
  'id',
  'external_id',
  'kind',
  'category',
  'name',
  'sort_name',
  'given_name',
  'family_name',
  'emails',
  'phones',
  'addresses',
  'birthday',
  'birthday_calendar',
  'lunar_birthday_month',
  'lunar_birthday_day',
  'lunar_birthday_leap',
  'preferences',
  'hobbies',
  'habits',
  'notes',
  'via_channel_id',
  'interests',
  'region',
  'owner',
  'stars_override',
  'stars_override_reason',
  'stars_override_by',
  'stars_override_at',
  'value_orientation',
  'custom_fields',
  'tags',
  'search_text',
  'version',
  'created_at',
  'updated_at',
  'deleted_at',
] as const satisfies ReadonlyArray<keyof CustomerColumns>;
const everyColumnRead: Exclude<keyof CustomerColumns, (typeof CUSTOMER_COLUMNS)[number]> extends never
  ? true
  : never = true;
void everyColumnRead;

/**
 * A customer by id with where it stands and the current run's figures (null when the run did
 * not value it), in one statement. It runs as a named prepared statement: the join onto the partitioned values table
 * costs the database several times the execution in planning, and a prepared statement is
 * planned once per connection. FOR UPDATE OF customers: the row lock a write needs (the outer
 * join's nullable side cannot be locked).
 */
const FIND_BY_ID_SQL = `SELECT ${CUSTOMER_COLUMNS.map((c) => `customers.${c}`).join(', ')},
       ${[...LIFECYCLE_SELECT, ...VALUE_SELECT, STARS_SELECT].join(', ')}
  FROM customers
  LEFT JOIN customer_lifecycle AS l ON l.customer_id = customers.id
  LEFT JOIN customer_values AS v ON v.customer_id = customers.id AND v.run_id = ${CURRENT_RUN_SQL}
 WHERE customers.id = ?`;
const FIND_BY_ID = { sql: FIND_BY_ID_SQL, name: 'customers.find-by-id' };
const FIND_BY_ID_FOR_UPDATE = {
  sql: `${FIND_BY_ID_SQL} FOR UPDATE OF customers`,
  name: 'customers.find-by-id-for-update',
};

/** What a customer the current run did not value shows. */
const NO_VALUE: CustomerValueColumns & { value_stars: number | null } = {
  value_class: null,
  rfm_segment: null,
  rfm_code: null,
  clv: null,
  p_alive: null,
  value_run_id: null,
  value_stars: null,
};

/**
 * The customers table with where each customer stands and its current figures, as every list
 * and page reads it: the customers' columns, the lifecycle state, the figures and the stars
 * shown. Exports page through it too, so that a file shows each customer as its GET does.
 */
export function customerReadQuery(knex: Knex): Knex.QueryBuilder {
  return knex('customers')
    .select(
      'customers.*',
      ...LIFECYCLE_SELECT.map((c) => knex.raw(c)),
      ...VALUE_SELECT,
      knex.raw(STARS_SELECT),
    )
    .leftJoin('customer_lifecycle as l', 'l.customer_id', 'customers.id')
    .leftJoin('customer_values as v', (on) => {
      on.on('v.customer_id', '=', 'customers.id').andOn('v.run_id', '=', knex.raw(CURRENT_RUN_SQL));
    });
}

/**
 * Value sorts rank the customers the latest analytics run valued; those it did not value (no
 * run yet, created since, or no purchase) follow them, in either direction, by id.
 */
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

export function sortValueOf(row: CustomerRow, sort: SortSpec): string | null {
  const value = row[SORT_COLUMNS[sort.key].field];
  if (value === null || value === undefined) return null;
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

/** What a write that names a customer needs to know of it. */
export interface CustomerRef {
  id: string;
  external_id: string | null;
  category: string;
  region: string | null;
  deleted_at: Date | null;
  assigned_regions: string[];
  /** True when the customer has a credit evaluation on record, and so a limit new orders are checked against. */
  has_credit_limit: boolean;
}

export class CustomerRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  /**
   * Adds where each customer stands and the current run's figures to rows read or written
   * without the joins (one query for both).
   */
  async withValues(rows: CustomerColumns[], trx?: Knex.Transaction): Promise<CustomerRow[]> {
    if (rows.length === 0) return [];
    type Joined = CustomerLifecycleColumns &
      CustomerValueColumns & { id: string; has_lifecycle: boolean; value_stars: number | null };
    const { rows: joined } = await this.db(trx).raw<{ rows: Joined[] }>(
      `SELECT x.id, l.customer_id IS NOT NULL AS has_lifecycle, ${LIFECYCLE_SELECT.join(', ')},
              ${VALUE_SELECT.join(', ')}, v.stars AS value_stars
         FROM unnest(?::uuid[]) AS x(id)
         LEFT JOIN customer_lifecycle AS l ON l.customer_id = x.id
         LEFT JOIN customer_values AS v ON v.customer_id = x.id AND v.run_id = ${CURRENT_RUN_SQL}`,
      [arrayLiteral(rows.map((r) => r.id))],
    );
    const byId = new Map(joined.map((j) => [j.id, j]));
    return rows.map((row) => {
      const j = byId.get(row.id);
      const lifecycle: CustomerLifecycleColumns = j?.has_lifecycle
        ? {
            churn_status: j.churn_status,
            churn_since: j.churn_since,
            churn_reason: j.churn_reason,
            churn_cause: j.churn_cause,
            lifecycle_stage: j.lifecycle_stage,
            lifecycle_version: j.lifecycle_version,
          }
        : NO_LIFECYCLE;
      const value = j?.value_run_id
        ? {
            value_class: j.value_class,
            rfm_segment: j.rfm_segment,
            rfm_code: j.rfm_code,
            clv: j.clv,
            p_alive: j.p_alive,
            value_run_id: j.value_run_id,
            value_stars: j.value_stars,
          }
        : NO_VALUE;
      const { value_stars: valueStars, ...figures } = value;
      return { ...row, ...lifecycle, ...figures, stars: row.stars_override ?? valueStars };
    });
  }

  async insert(rows: CustomerInsert[], trx?: Knex.Transaction): Promise<CustomerRow[]> {
    return this.withValues(await this.db(trx)('customers').insert(rows).returning('*'), trx);
  }

  /** Customers with their current value figures, in no particular order. */
  async findByIds(ids: string[], trx: Knex.Transaction): Promise<CustomerRow[]> {
    if (ids.length === 0) return [];
    return customerReadQuery(trx).whereIn('customers.id', ids);
  }

  /**
   * One customer with its current figures, one round trip: a read by id is the API's commonest
   * request (bench/README.md "Read path"). The SQL text is fixed, so knex builds nothing per call.
   */
  async findById(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<CustomerRow | undefined> {
    const statement = forUpdate ? FIND_BY_ID_FOR_UPDATE : FIND_BY_ID;
    const { rows } = await this.db(trx)
      .raw<{ rows: CustomerRow[] }>(statement.sql, [id])
      // pg prepares a named statement once per connection (PGlite ignores the name).
      .options({ name: statement.name });
    return rows[0];
  }

  async findByExternalId(
    externalId: string,
    trx?: Knex.Transaction,
    forUpdate = false,
  ): Promise<CustomerRow | undefined> {
    const query = this.db(trx)('customers').where({ external_id: externalId }).first();
    if (forUpdate) query.forUpdate();
    const row = await query;
    return row ? (await this.withValues([row], trx))[0] : undefined;
  }

  async findByExternalIds(externalIds: string[], trx: Knex.Transaction): Promise<CustomerRow[]> {
    return this.withValues(await trx('customers').whereIn('external_id', externalIds).forUpdate(), trx);
  }

  /**
   * The customers a batch names, by id and by external id, in one query. Only channel
   * customers' assigned regions mean anything (cross-region flags); not looking them up for
   * the others is most of this query's cost on a batch. Whether a customer has a credit limit
   * comes along, so that balances are asked for only when some customer has one.
   */
  async findRefs(ids: string[], externalIds: string[], trx?: Knex.Transaction): Promise<CustomerRef[]> {
    if (ids.length === 0 && externalIds.length === 0) return [];
    const { rows } = await this.db(trx).raw<{ rows: CustomerRef[] }>(
      `SELECT c.id, c.external_id, c.category, c.region, c.deleted_at,
              CASE WHEN c.category = 'channel'
                   THEN ARRAY(SELECT r.region FROM channel_regions r WHERE r.customer_id = c.id ORDER BY r.region)
                   ELSE '{}' END AS assigned_regions,
              EXISTS (SELECT 1 FROM customer_credit cc WHERE cc.customer_id = c.id) AS has_credit_limit
         FROM customers c
        WHERE c.id = ANY(?::uuid[]) OR c.external_id = ANY(?::text[])`,
      [arrayLiteral(ids), arrayLiteral(externalIds)],
    );
    return rows;
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
    columns: Omit<CustomerUpdate, 'version'>,
    trx?: Knex.Transaction,
  ): Promise<CustomerRow | undefined> {
    const [row] = await this.db(trx)('customers')
      .where({ id, version })
      .update({ ...columns, version: version + 1 })
      .returning('*');
    return row ? (await this.withValues([row], trx))[0] : undefined;
  }

  async list(
    query: CustomerListQuery,
    sort: SortSpec,
    limit: number,
    after?: CursorPosition,
  ): Promise<CustomerRow[]> {
    const column = SORT_COLUMNS[sort.key].sql;
    const direction = sort.descending ? 'desc' : 'asc';
    const past = sort.descending ? '<' : '>';
    if (!VALUE_SORTS.has(sort.key)) {
      const q = this.filtered(query);
      if (after) q.whereRaw(`(${column}, customers.id) ${past} (?, ?)`, [after.value, after.id]);
      return q
        .orderBy([
          { column, order: direction },
          { column: 'customers.id', order: direction },
        ])
        .limit(limit + 1);
    }
    // Two index-ordered reads rather than one sort of everything under NULLS LAST: the valued
    // customers in value order, then, when the page has room, the unvalued ones by id.
    let valued: CustomerRow[] = [];
    if (after?.value !== null) {
      const q = this.filtered(query).whereNotNull(column);
      if (after) q.whereRaw(`(${column}, customers.id) ${past} (?, ?)`, [after.value, after.id]);
      valued = await q
        .orderBy([
          { column, order: direction },
          { column: 'customers.id', order: direction },
        ])
        .limit(limit + 1);
      if (valued.length > limit) return valued;
    }
    const unvalued = this.filtered(query).whereNull(column);
    if (after?.value === null) unvalued.whereRaw(`customers.id ${past} ?`, [after.id]);
    const rest = await unvalued.orderBy('customers.id', direction).limit(limit + 1 - valued.length);
    return [...valued, ...rest];
  }

  /**
   * The ids of the customers the list would show for these filters (its own filtering, so a
   * segment means what the list means: docs/segments.md), as a query to embed in SQL; in `trx`
   * it reads the values that transaction sees (an analytics run's, while it publishes).
   */
  matchingIds(query: CustomerListQuery, trx?: Knex.Transaction): Knex.QueryBuilder {
    return this.filtered(query, this.db(trx)).clearSelect().select('customers.id');
  }

  /** Live (or all) customers with their current value, narrowed by the list's filters. */
  private filtered(query: CustomerListQuery, db: Knex = this.knex): Knex.QueryBuilder {
    const q = customerReadQuery(db);
    if (!query.includeDeleted) q.whereNull('customers.deleted_at');
    if (query.q) {
      const text = query.q.toLowerCase();
      const grams = queryGrams(text);
      if (grams.length === 0) q.where('customers.search_text', 'like', `%${escapeLike(text)}%`);
      else {
        // CJK characters or pairs find the candidates (a one-character query has no trigram);
        // strpos, which no index serves, confirms them. A LIKE would invite the trigram
        // index into a bitmap AND whose estimate misses how often a street or a surname occurs
        // (bench/search: 1.2 s instead of 1 ms for a common street at a million customers).
        q.whereRaw('customers.search_grams @> ?::text[]', [arrayLiteral(grams)]);
        q.whereRaw('strpos(customers.search_text, ?) > 0', [text]);
      }
    }
    if (query.category) q.where('customers.category', query.category);
    if (query.kind) q.where('customers.kind', query.kind);
    if (query.tag?.length) q.whereRaw('customers.tags @> ?::text[]', [query.tag]);
    if (query.region) q.where('customers.region', query.region);
    if (query.owner) q.where('customers.owner', query.owner);
    // On the lifecycle row's own columns, not their COALESCE: the (stage, customer_id) and
    // (churn_status, customer_id) indexes then find the customers. Selection is also every
    // customer without a row.
    if (query.lifecycleStage === 'selection') {
      q.where((w) => w.whereNull('l.customer_id').orWhere('l.stage', 'selection'));
    } else if (query.lifecycleStage) q.where('l.stage', query.lifecycleStage);
    if (query.churnStatus) q.where('l.churn_status', query.churnStatus);
    // The override wins; the run's stars count only where there is none.
    if (query.stars) {
      const stars = query.stars;
      q.where((w) =>
        w
          .where('customers.stars_override', stars)
          .orWhere((o) => o.whereNull('customers.stars_override').andWhere('v.stars', stars)),
      );
    }
    if (query.valueClass) q.where('v.value_class', query.valueClass);
    if (query.rfmSegment) q.where('v.rfm_segment', query.rfmSegment);
    if (query.clvMin !== undefined) q.where('v.clv_predicted', '>=', query.clvMin);
    if (query.clvMax !== undefined) q.where('v.clv_predicted', '<=', query.clvMax);
    if (query.pAliveMin !== undefined) q.where('v.p_alive', '>=', query.pAliveMin);
    if (query.pAliveMax !== undefined) q.where('v.p_alive', '<=', query.pAliveMax);
    if (query.viaChannelId) q.where('customers.via_channel_id', query.viaChannelId);
    if (query.createdFrom) q.where('customers.created_at', '>=', query.createdFrom);
    if (query.createdTo) q.where('customers.created_at', '<', query.createdTo);
    if (query.updatedFrom) q.where('customers.updated_at', '>=', query.updatedFrom);
    if (query.updatedTo) q.where('customers.updated_at', '<', query.updatedTo);
    for (const [param, value] of Object.entries(query)) {
      if (!param.startsWith('cf.') || typeof value !== 'string') continue;
      const key = param.slice(3);
      q.where((w) => {
        for (const candidate of customFieldCandidates(value)) {
          w.orWhereRaw('customers.custom_fields @> ?::jsonb', [JSON.stringify({ [key]: candidate })]);
        }
      });
    }
    return q;
  }
}
