import type { Knex } from 'knex';
import type { CursorPosition } from '../../http/pagination';
import type { InstantRange } from '../../domain/service/day-range';
import type { SatisfactionCounts } from '../../domain/service/satisfaction';

/** The four things an answer can be about, and the table each lives in. */
export const LINK_TABLES = {
  orderId: 'orders',
  serviceRecordId: 'service_records',
  complaintId: 'complaints',
  interactionId: 'interactions',
} as const;
export type SurveyLink = keyof typeof LINK_TABLES;

export interface SurveyResponseRow {
  id: string;
  external_id: string | null;
  customer_id: string;
  kind: string;
  score: number;
  comment: string | null;
  responded_at: Date;
  order_id: string | null;
  service_record_id: string | null;
  complaint_id: string | null;
  interaction_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type SurveyResponseColumns = Omit<SurveyResponseRow, 'id' | 'version' | 'created_at' | 'updated_at'>;

export interface SurveyListFilter {
  customerId?: string;
  kind?: string;
  range: InstantRange;
}

export type SatisfactionGroupBy = 'month' | 'product' | 'owner';

export interface SatisfactionGroupRow extends SatisfactionCounts {
  key: string | null;
  label: string | null;
}

export interface OrderOwner {
  id: string;
  customer_id: string;
}

/** The counts a group needs, cast to int so that pg and PGlite both answer numbers (a bigint would be text). */
const COUNTS_SQL = `
  count(*) FILTER (WHERE s.kind = 'csat')::int AS "csatResponses",
  coalesce(sum(s.score) FILTER (WHERE s.kind = 'csat'), 0)::int AS "csatSum",
  count(*) FILTER (WHERE s.kind = 'nps')::int AS "npsResponses",
  count(*) FILTER (WHERE s.kind = 'nps' AND s.score >= 9)::int AS promoters,
  count(*) FILTER (WHERE s.kind = 'nps' AND s.score BETWEEN 7 AND 8)::int AS passives,
  count(*) FILTER (WHERE s.kind = 'nps' AND s.score <= 6)::int AS detractors`;

export class SurveyResponseRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  async insert(
    rows: Array<Omit<SurveyResponseRow, 'version'>>,
    trx: Knex.Transaction,
  ): Promise<SurveyResponseRow[]> {
    return trx('survey_responses').insert(rows).returning('*');
  }

  async findById(
    id: string,
    trx?: Knex.Transaction,
    forUpdate = false,
  ): Promise<SurveyResponseRow | undefined> {
    const q = this.db(trx)('survey_responses').where({ id }).first();
    if (forUpdate) q.forUpdate();
    return q;
  }

  async findByExternalIds(externalIds: string[], trx: Knex.Transaction): Promise<SurveyResponseRow[]> {
    return trx('survey_responses').whereIn('external_id', externalIds).forUpdate();
  }

  async update(
    id: string,
    version: number,
    columns: Partial<SurveyResponseColumns> & { updated_at: Date },
    trx: Knex.Transaction,
  ): Promise<SurveyResponseRow | undefined> {
    const [row] = await trx('survey_responses')
      .where({ id, version })
      .update({ ...columns, version: version + 1 })
      .returning('*');
    return row;
  }

  async delete(id: string, trx: Knex.Transaction): Promise<void> {
    await trx('survey_responses').where({ id }).delete();
  }

  /** The records of one kind the rows link to, with their customers (a link must name a real record). */
  async findLinked(link: SurveyLink, ids: string[], trx?: Knex.Transaction): Promise<OrderOwner[]> {
    if (ids.length === 0) return [];
    return this.db(trx)(LINK_TABLES[link]).whereIn('id', ids).select('id', 'customer_id');
  }

  /** Newest answer first; the cursor is (respondedAt, id). */
  async list(filter: SurveyListFilter, limit: number, after?: CursorPosition): Promise<SurveyResponseRow[]> {
    const q = this.knex('survey_responses').select('*');
    if (filter.customerId) q.where('customer_id', filter.customerId);
    if (filter.kind) q.where('kind', filter.kind);
    if (filter.range.start) q.where('responded_at', '>=', filter.range.start);
    if (filter.range.end) q.where('responded_at', '<', filter.range.end);
    if (after) {
      q.whereRaw('(responded_at, id) < (?::timestamptz, ?::uuid)', [String(after.value), after.id]);
    }
    return q
      .orderBy([
        { column: 'responded_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit + 1);
  }

  /**
   * The counts per group of the answers in the range. By product, an answer linked to an
   * order counts once for each distinct product on the order's lines (so a two-product order's
   * answer is in both groups, and the groups add up to more than the total); answers without
   * an order, or linked to an order without lines, are the group with key null.
   */
  async groupCounts(
    groupBy: SatisfactionGroupBy,
    range: InstantRange,
    customerId?: string,
  ): Promise<SatisfactionGroupRow[]> {
    const where: string[] = [];
    const bindings: unknown[] = [];
    if (customerId) {
      where.push('s.customer_id = ?');
      bindings.push(customerId);
    }
    if (range.start) {
      where.push('s.responded_at >= ?');
      bindings.push(range.start);
    }
    if (range.end) {
      where.push('s.responded_at < ?');
      bindings.push(range.end);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const sql = {
      month: `SELECT to_char(s.responded_at AT TIME ZONE 'UTC', 'YYYY-MM') AS key, NULL AS label, ${COUNTS_SQL}
                FROM survey_responses s ${filter} GROUP BY 1 ORDER BY 1`,
      owner: `SELECT c.owner AS key, c.owner AS label, ${COUNTS_SQL}
                FROM survey_responses s JOIN customers c ON c.id = s.customer_id ${filter}
               GROUP BY c.owner ORDER BY c.owner NULLS LAST`,
      product: `SELECT p.id::text AS key, p.name AS label, ${COUNTS_SQL}
                  FROM survey_responses s
                  LEFT JOIN (SELECT DISTINCT order_id, product_id FROM order_lines) ol ON ol.order_id = s.order_id
                  LEFT JOIN products p ON p.id = ol.product_id
                  ${filter}
                 GROUP BY p.id, p.name ORDER BY p.name NULLS LAST, p.id`,
    }[groupBy];
    const { rows } = await this.knex.raw<{ rows: SatisfactionGroupRow[] }>(sql, bindings as never);
    return rows;
  }

  /** The counts of every answer in the range, once each. */
  async totalCounts(range: InstantRange, customerId?: string): Promise<SatisfactionCounts> {
    const q = this.knex('survey_responses as s').select(this.knex.raw(COUNTS_SQL));
    if (customerId) q.where('s.customer_id', customerId);
    if (range.start) q.where('s.responded_at', '>=', range.start);
    if (range.end) q.where('s.responded_at', '<', range.end);
    const [row] = (await q) as unknown as SatisfactionCounts[];
    return row!;
  }
}
