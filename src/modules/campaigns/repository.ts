import type { Knex } from 'knex';
import type { CursorPosition } from '../../http/pagination';

export interface CampaignRow {
  id: string;
  name: string;
  kind: string;
  segment_id: string;
  channel: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  cost: string;
  attribution_window_days: number;
  control_share: string | number;
  control_seed: string;
  status: string;
  launched_at: Date | null;
  recipient_count: number | null;
  control_count: number | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export type CampaignColumns = Pick<
  CampaignRow,
  | 'name'
  | 'kind'
  | 'segment_id'
  | 'channel'
  | 'starts_at'
  | 'ends_at'
  | 'cost'
  | 'attribution_window_days'
  | 'control_share'
  | 'control_seed'
>;

export interface TouchRow {
  id: string;
  campaign_id: string;
  external_id: string;
  customer_id: string;
  kind: string;
  at: Date;
  wave: number;
  created_at: Date;
  updated_at: Date;
}

export interface RecipientListRow {
  customer_id: string;
  control: boolean;
  external_id: string | null;
  name: string;
  emails: unknown;
  phones: unknown;
  responded: boolean;
  touches: number | string;
  last_touch_at: Date | null;
}

/** A touch of any campaign with its campaign's launch and window: what attribution needs. */
export interface AttributionTouchRow {
  id: string;
  campaign_id: string;
  customer_id: string;
  at: Date;
  wave: number;
  launched_at: Date;
  attribution_window_days: number;
}

export interface OrderAmountRow {
  id: string;
  customer_id: string;
  ordered_at: Date;
  amount: string;
}

/** Orders that count: not cancelled, not returned (as every revenue figure of the project). */
const COUNTED = "o.status NOT IN ('cancelled', 'returned')";
const CHUNK = 5000;

export class CampaignRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  async insert(
    row: Omit<CampaignRow, 'version' | 'deleted_at'>,
    trx: Knex.Transaction,
  ): Promise<CampaignRow> {
    const [written] = await trx('campaigns').insert(row).returning('*');
    return written as CampaignRow;
  }

  async findById(
    id: string,
    trx?: Knex.Transaction,
    forUpdate = false,
    includeDeleted = false,
  ): Promise<CampaignRow | undefined> {
    const q = this.db(trx)('campaigns').where({ id }).first();
    if (!includeDeleted) q.whereNull('deleted_at');
    if (forUpdate) q.forUpdate();
    return q;
  }

  async update(
    id: string,
    version: number,
    columns: Partial<CampaignRow>,
    trx: Knex.Transaction,
  ): Promise<CampaignRow | undefined> {
    const [row] = await trx('campaigns')
      .where({ id, version })
      .update({ ...columns, version: version + 1 })
      .returning('*');
    return row as CampaignRow | undefined;
  }

  async list(
    filter: { status?: string; kind?: string; segmentId?: string },
    limit: number,
    after?: CursorPosition,
  ): Promise<CampaignRow[]> {
    const q = this.knex('campaigns').whereNull('deleted_at');
    if (filter.status) q.where('status', filter.status);
    if (filter.kind) q.where('kind', filter.kind);
    if (filter.segmentId) q.where('segment_id', filter.segmentId);
    if (after) q.where('id', '>', after.id);
    return q.orderBy('id').limit(limit + 1);
  }

  /** Whether a live segment has this id (the segments table belongs to src/modules/segments). */
  async segmentExists(id: string, trx?: Knex.Transaction): Promise<boolean> {
    const row = await this.db(trx)('segments').where({ id }).whereNull('deleted_at').first('id');
    return row !== undefined;
  }

  async insertRecipients(
    campaignId: string,
    members: ReadonlyArray<{ customerId: string; control: boolean }>,
    trx: Knex.Transaction,
  ): Promise<void> {
    for (let i = 0; i < members.length; i += CHUNK) {
      await trx('campaign_recipients').insert(
        members
          .slice(i, i + CHUNK)
          .map((m) => ({ campaign_id: campaignId, customer_id: m.customerId, control: m.control })),
      );
    }
  }

  /** Which of these customers are the campaign's recipients (true) or control group (false). */
  async recipientGroups(
    campaignId: string,
    customerIds: string[],
    trx: Knex.Transaction,
  ): Promise<Map<string, boolean>> {
    if (customerIds.length === 0) return new Map();
    const rows: Array<{ customer_id: string; control: boolean }> = await trx('campaign_recipients')
      .where('campaign_id', campaignId)
      .whereIn('customer_id', customerIds)
      .select('customer_id', 'control');
    return new Map(rows.map((r) => [r.customer_id, r.control]));
  }

  /**
   * A page of the frozen list in customer id order, with each member's touches of this
   * campaign (counted from launch): `responded` is a touch of a response kind.
   */
  async listRecipients(
    campaign: { id: string; launched_at: Date },
    filter: { control: boolean; responded?: boolean },
    limit: number,
    afterCustomerId?: string,
  ): Promise<RecipientListRow[]> {
    const touches = this.knex('campaign_touches as t')
      .where('t.campaign_id', campaign.id)
      .where('t.at', '>=', campaign.launched_at)
      .groupBy('t.customer_id')
      .select(
        't.customer_id',
        this.knex.raw('count(*)::int AS touches'),
        this.knex.raw('max(t.at) AS last_touch_at'),
        this.knex.raw("bool_or(t.kind IN ('responded', 'converted')) AS responded"),
      )
      .as('tt');
    const q = this.knex('campaign_recipients as r')
      .join('customers as c', 'c.id', 'r.customer_id')
      .leftJoin(touches, 'tt.customer_id', 'r.customer_id')
      .where('r.campaign_id', campaign.id)
      .where('r.control', filter.control)
      .select(
        'r.customer_id',
        'r.control',
        'c.external_id',
        'c.name',
        'c.emails',
        'c.phones',
        this.knex.raw('coalesce(tt.responded, false) AS responded'),
        this.knex.raw('coalesce(tt.touches, 0) AS touches'),
        'tt.last_touch_at',
      );
    if (filter.responded !== undefined) q.whereRaw('coalesce(tt.responded, false) = ?', [filter.responded]);
    if (afterCustomerId) q.where('r.customer_id', '>', afterCustomerId);
    return q.orderBy('r.customer_id').limit(limit + 1) as unknown as Promise<RecipientListRow[]>;
  }

  async allRecipients(campaignId: string): Promise<Array<{ customer_id: string; control: boolean }>> {
    return this.knex('campaign_recipients').where('campaign_id', campaignId).select('customer_id', 'control');
  }

  async findTouches(campaignId: string, externalIds: string[], trx: Knex.Transaction): Promise<TouchRow[]> {
    if (externalIds.length === 0) return [];
    return trx('campaign_touches')
      .where('campaign_id', campaignId)
      .whereIn('external_id', externalIds)
      .forUpdate();
  }

  async insertTouches(rows: TouchRow[], trx: Knex.Transaction): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK)
      await trx('campaign_touches').insert(rows.slice(i, i + CHUNK));
  }

  async updateTouch(
    id: string,
    columns: Pick<TouchRow, 'customer_id' | 'kind' | 'at' | 'wave' | 'updated_at'>,
    trx: Knex.Transaction,
  ): Promise<void> {
    await trx('campaign_touches').where({ id }).update(columns);
  }

  async campaignTouches(campaignId: string): Promise<TouchRow[]> {
    return this.knex('campaign_touches').where('campaign_id', campaignId);
  }

  /**
   * Counted orders (reporting currency) of this campaign's members placed from `from` to `to`
   * (both included): `control` null for both groups.
   */
  async memberOrders(
    campaignId: string,
    control: boolean | null,
    from: Date,
    to: Date,
  ): Promise<OrderAmountRow[]> {
    const q = this.knex('orders as o')
      .join('campaign_recipients as r', 'r.customer_id', 'o.customer_id')
      .where('r.campaign_id', campaignId)
      .whereRaw(COUNTED)
      .where('o.ordered_at', '>=', from)
      .where('o.ordered_at', '<=', to)
      .select('o.id', 'o.customer_id', 'o.ordered_at', this.knex.raw('o.reporting_amount::text AS amount'));
    if (control !== null) q.where('r.control', control);
    return q;
  }

  /**
   * Every counted touch (at or after its campaign's launch) of the campaign's recipients, of
   * any launched campaign, up to `to`: the competitors for their orders.
   */
  async competingTouches(campaignId: string, to: Date): Promise<AttributionTouchRow[]> {
    return this.knex('campaign_touches as t')
      .join('campaigns as c', 'c.id', 't.campaign_id')
      .join('campaign_recipients as r', function () {
        this.on('r.customer_id', '=', 't.customer_id').andOnVal('r.campaign_id', '=', campaignId);
      })
      .where('r.control', false)
      .whereNotNull('c.launched_at')
      .whereRaw('t.at >= c.launched_at')
      .where('t.at', '<=', to)
      .select(
        't.id',
        't.campaign_id',
        't.customer_id',
        't.at',
        't.wave',
        'c.launched_at',
        'c.attribution_window_days',
      );
  }

  /**
   * The members whose churn status at `at` was `churned`: their latest churn-status event at
   * or before it (docs/lifecycle.md) moved them to churned.
   */
  async churnedAt(campaignId: string, at: Date): Promise<string[]> {
    const rows: Array<{ customer_id: string }> = await this.knex
      .select('r.customer_id')
      .from('campaign_recipients as r')
      .where('r.campaign_id', campaignId)
      .where('r.control', false)
      .whereRaw(
        `(SELECT e.to_value FROM lifecycle_events e
           WHERE e.customer_id = r.customer_id AND e.kind = 'churn_status' AND e.at <= ?
           ORDER BY e.at DESC, e.seq DESC LIMIT 1) = 'churned'`,
        [at],
      );
    return rows.map((r) => r.customer_id);
  }
}
