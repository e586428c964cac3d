import type { Knex } from 'knex';
import { arrayLiteral } from '../../db/array-literal';
import type { Tier } from '../../domain/rebates';

export interface RebateProgramRow {
  id: string;
  name: string;
  period_kind: string;
  mode: string;
  tiers: Tier[];
  credit_indirect: boolean;
  exclude_cross_region: boolean;
  currency: string;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export type RebateProgramColumns = Pick<
  RebateProgramRow,
  'name' | 'period_kind' | 'mode' | 'tiers' | 'credit_indirect' | 'exclude_cross_region' | 'currency'
>;

export interface SettlementLineRow {
  channelCustomerId: string;
  netPurchases: string;
  tierIndex: number | null;
  rate: string;
  rebate: string;
  creditId: string | null;
}

export interface RebateSettlementRow {
  id: string;
  program_id: string;
  period: string;
  period_start: string | Date;
  period_end: string | Date;
  currency: string;
  mode: string;
  tiers: Tier[];
  total: string;
  lines: SettlementLineRow[];
  settled_at: Date;
}

export interface RebateCreditRow {
  id: string;
  settlement_id: string;
  customer_id: string;
  amount: string;
  credited_at: Date;
}

/** A customer as a programme needs it: whether it is a live channel, and its regions. */
export interface ChannelRow {
  id: string;
  category: string;
  region: string | null;
  deleted_at: Date | null;
}

/** Summed counted orders of a period, per channel credited, own or indirect, and region. */
export interface PurchaseSumRow {
  channel_id: string;
  own: boolean;
  region: string | null;
  amount: string;
}

/** JSONB columns go in as text: pg would send a JS array as a PostgreSQL array literal. */
const json = (value: unknown) => JSON.stringify(value);

export class RebateRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  async insert(
    row: RebateProgramColumns & { id: string; created_at: Date; updated_at: Date },
    trx: Knex.Transaction,
  ): Promise<void> {
    await trx('rebate_programs').insert({ ...row, tiers: json(row.tiers) });
  }

  async findById(
    id: string,
    trx?: Knex.Transaction,
    forUpdate = false,
  ): Promise<RebateProgramRow | undefined> {
    const q = this.db(trx)('rebate_programs').where({ id }).first();
    if (forUpdate) q.forUpdate();
    return q as Promise<RebateProgramRow | undefined>;
  }

  async update(
    id: string,
    version: number,
    columns: Partial<RebateProgramColumns> & { updated_at: Date; deleted_at?: Date | null },
    trx: Knex.Transaction,
  ): Promise<void> {
    const values: Record<string, unknown> = { ...columns, version: version + 1 };
    if (columns.tiers) values.tiers = json(columns.tiers);
    await trx('rebate_programs').where({ id, version }).update(values);
  }

  async list(
    includeDeleted: boolean,
    limit: number,
    afterId: string | undefined,
  ): Promise<RebateProgramRow[]> {
    const q = this.knex('rebate_programs').select('*');
    if (!includeDeleted) q.whereNull('deleted_at');
    if (afterId) q.where('id', '>', afterId);
    return (await q.orderBy('id').limit(limit + 1)) as RebateProgramRow[];
  }

  /** Each programme's channel customers, in the order they were given. */
  async channelsOf(programIds: string[], trx?: Knex.Transaction): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(programIds.map((id) => [id, []]));
    if (programIds.length === 0) return out;
    const rows: Array<{ program_id: string; customer_id: string }> = await this.db(trx)(
      'rebate_program_channels',
    )
      .whereIn('program_id', programIds)
      .orderBy(['program_id', 'position'])
      .select('program_id', 'customer_id');
    for (const r of rows) out.get(r.program_id)!.push(r.customer_id);
    return out;
  }

  async setChannels(programId: string, customerIds: string[], trx: Knex.Transaction): Promise<void> {
    await trx('rebate_program_channels').where({ program_id: programId }).delete();
    if (customerIds.length)
      await trx('rebate_program_channels').insert(
        customerIds.map((customer_id, position) => ({ program_id: programId, customer_id, position })),
      );
  }

  async customers(ids: string[], trx?: Knex.Transaction): Promise<ChannelRow[]> {
    if (ids.length === 0) return [];
    return this.db(trx)('customers')
      .whereIn('id', ids)
      .select('id', 'category', 'region', 'deleted_at') as Promise<ChannelRow[]>;
  }

  async assignedRegions(ids: string[], trx?: Knex.Transaction): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows: Array<{ customer_id: string; region: string }> = await this.db(trx)('channel_regions')
      .whereIn('customer_id', ids)
      .orderBy(['customer_id', 'region'])
      .select('customer_id', 'region');
    for (const r of rows) out.get(r.customer_id)?.push(r.region);
    return out;
  }

  /**
   * The period's counted orders (placed or shipped: cancelled and returned ones count
   * nothing) of the channels themselves and, with `indirect`, of the customers buying through
   * them (viaChannelId), summed per channel, own or indirect, and order region. Amounts are
   * the orders' reporting amounts, summed exactly in NUMERIC and read as text.
   */
  async purchaseSums(
    channelIds: string[],
    from: string,
    toExclusive: string,
    indirect: boolean,
    trx?: Knex.Transaction,
  ): Promise<PurchaseSumRow[]> {
    if (channelIds.length === 0) return [];
    const ids = arrayLiteral(channelIds);
    const { rows } = await this.db(trx).raw<{ rows: PurchaseSumRow[] }>(
      `SELECT s.channel_id, s.own, s.region, sum(s.amount)::text AS amount
         FROM (SELECT CASE WHEN o.customer_id = ANY(?::uuid[]) THEN o.customer_id ELSE c.via_channel_id END AS channel_id,
                      o.customer_id = ANY(?::uuid[]) AS own, o.region, o.reporting_amount AS amount
                 FROM orders o JOIN customers c ON c.id = o.customer_id
                WHERE o.ordered_at >= ?::timestamptz AND o.ordered_at < ?::timestamptz
                  AND o.status IN ('placed', 'shipped')
                  AND (o.customer_id = ANY(?::uuid[]) OR (?::boolean AND c.via_channel_id = ANY(?::uuid[])))) s
        GROUP BY s.channel_id, s.own, s.region
        ORDER BY s.channel_id, s.own, s.region`,
      [ids, ids, from, toExclusive, ids, indirect, ids],
    );
    return rows;
  }

  async findSettlement(
    programId: string,
    period: string,
    trx?: Knex.Transaction,
  ): Promise<RebateSettlementRow | undefined> {
    return this.db(trx)('rebate_settlements').where({ program_id: programId, period }).first() as Promise<
      RebateSettlementRow | undefined
    >;
  }

  async insertSettlement(
    row: RebateSettlementRow,
    credits: RebateCreditRow[],
    trx: Knex.Transaction,
  ): Promise<void> {
    await trx('rebate_settlements').insert({ ...row, tiers: json(row.tiers), lines: json(row.lines) });
    if (credits.length) await trx('rebate_credits').insert(credits);
  }

  async settlements(
    programId: string,
    limit: number,
    afterId: string | undefined,
  ): Promise<RebateSettlementRow[]> {
    const q = this.knex('rebate_settlements').where({ program_id: programId });
    if (afterId) q.where('id', '>', afterId);
    return (await q.orderBy('id').limit(limit + 1)) as RebateSettlementRow[];
  }
}
