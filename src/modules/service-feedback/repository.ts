import type { Knex } from 'knex';

export type FeedbackGrouping = 'product' | 'category';

/** [from, to) in timestamps for the day range of the query. */
export interface Window {
  from: Date | null;
  until: Date | null;
}

/**
 * The three reads of the feedback report, each grouped in SQL by the product's id or its
 * category (a record without a product, or a product without a category, is the null group).
 */
export class ServiceFeedbackRepository {
  constructor(private readonly knex: Knex) {}

  private within(q: Knex.QueryBuilder, column: string, window: Window) {
    if (window.from) q.where(column, '>=', window.from);
    if (window.until) q.where(column, '<', window.until);
    return q;
  }

  private groupColumn(by: FeedbackGrouping) {
    return by === 'product' ? 'p.id' : 'p.category';
  }

  async complaints(by: FeedbackGrouping, window: Window) {
    const group = this.groupColumn(by);
    const q = this.knex('complaints as c')
      .join('complaint_categories as cc', 'cc.id', 'c.category_id')
      .leftJoin('products as p', 'p.id', 'c.product_id')
      .select(
        this.knex.raw(`${group} AS "group"`),
        'c.severity as severity',
        'cc.id as categoryId',
        'cc.name as categoryName',
        this.knex.raw('count(*)::int AS count'),
      )
      .groupByRaw(`${group}, c.severity, cc.id, cc.name`);
    return (await this.within(q, 'c.filed_at', window)) as Array<{
      group: string | null;
      severity: string;
      categoryId: string;
      categoryName: string;
      count: number;
    }>;
  }

  async serviceRecords(by: FeedbackGrouping, window: Window) {
    const group = this.groupColumn(by);
    const q = this.knex('service_records as sr')
      .leftJoin('products as p', 'p.id', 'sr.product_id')
      .select(
        this.knex.raw(`${group} AS "group"`),
        'sr.type as type',
        this.knex.raw('count(*)::int AS count'),
      )
      .groupByRaw(`${group}, sr.type`);
    return (await this.within(q, 'sr.opened_at', window)) as Array<{
      group: string | null;
      type: string;
      count: number;
    }>;
  }

  /**
   * Survey responses with the product they are about: that of the linked complaint or service
   * record, or each product on the linked order's lines (an interaction names none).
   */
  async surveys(by: FeedbackGrouping, window: Window) {
    const group = this.groupColumn(by);
    const bindings: Knex.RawBinding[] = [];
    let where = 'TRUE';
    if (window.from) {
      where += ' AND s.responded_at >= ?';
      bindings.push(window.from);
    }
    if (window.until) {
      where += ' AND s.responded_at < ?';
      bindings.push(window.until);
    }
    const { rows } = await this.knex.raw<{
      rows: Array<{ group: string | null; responseId: string; kind: 'csat' | 'nps'; score: number }>;
    }>(
      `SELECT DISTINCT ${group} AS "group", s.id AS "responseId", s.kind, s.score
         FROM survey_responses s
         LEFT JOIN complaints c ON c.id = s.complaint_id
         LEFT JOIN service_records sr ON sr.id = s.service_record_id
         LEFT JOIN order_lines ol ON ol.order_id = s.order_id
         LEFT JOIN products p ON p.id = COALESCE(c.product_id, sr.product_id, ol.product_id)
        WHERE ${where}`,
      bindings,
    );
    return rows.map((r) => ({ ...r, score: Number(r.score) }));
  }

  async productNames(ids: string[]): Promise<Map<string, { name: string; sku: string }>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; name: string; sku: string }> = await this.knex('products')
      .whereIn('id', ids)
      .select('id', 'name', 'sku');
    return new Map(rows.map((r) => [r.id, { name: r.name, sku: r.sku }]));
  }
}
