import type { Knex } from 'knex';
import {
  attributeOrders,
  campaignFigures,
  frozenChanges,
  holdOut,
  type AttributionTouch,
} from '../../domain/campaigns';
import { DATE_IN_FUTURE, futureTimestampProblem } from '../../domain/date-limits';
import { fieldChanges } from '../../domain/field-changes';
import { normalizeMoney, toUnits } from '../../domain/money';
import { isUuid, newId } from '../../db/ids';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  UnprocessableError,
} from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { Actor } from '../events/actor';
import type { EventWriter } from '../events/event-writer';
import { checkDuplicateKeys } from '../shared/batch/duplicate-keys';
import { outcomeOf, type BatchRowResult } from '../shared/batch/outcome';
import { batchRow, RowErrors, singleBody } from '../shared/batch/row-errors';
import type {
  CampaignColumns,
  CampaignRepository,
  CampaignRow,
  RecipientListRow,
  TouchRow,
} from './repository';
import type {
  Campaign,
  CampaignCreate,
  CampaignListQuery,
  CampaignPatch,
  CampaignResults,
  LaunchBody,
  Recipient,
  RecipientQuery,
  TouchItem,
} from './schemas';

/**
 * What a campaign needs of segments (src/modules/segments): the members at launch, sorted,
 * a dynamic segment refreshed first; undefined when there is no such segment.
 */
export interface CampaignSegments {
  membersForLaunch(segmentId: string, trx: Knex.Transaction): Promise<string[] | undefined>;
}

const DAY_MS = 86_400_000;
const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function toCampaign(row: CampaignRow): Campaign {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    segmentId: row.segment_id,
    channel: row.channel,
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    cost: normalizeMoney(String(row.cost)),
    attributionWindowDays: row.attribution_window_days,
    controlGroupShare: Number(row.control_share),
    controlGroupSeed: row.control_seed,
    status: row.status as Campaign['status'],
    launchedAt: iso(row.launched_at),
    recipientCount: row.recipient_count,
    controlGroupCount: row.control_count,
    version: row.version,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

/** The settable fields, compared and audited in this shape. */
type CampaignState = Pick<
  Campaign,
  | 'name'
  | 'kind'
  | 'segmentId'
  | 'channel'
  | 'startsAt'
  | 'endsAt'
  | 'cost'
  | 'attributionWindowDays'
  | 'controlGroupShare'
  | 'controlGroupSeed'
>;

function stateOf(c: Campaign): CampaignState {
  return {
    name: c.name,
    kind: c.kind,
    segmentId: c.segmentId,
    channel: c.channel,
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    cost: c.cost,
    attributionWindowDays: c.attributionWindowDays,
    controlGroupShare: c.controlGroupShare,
    controlGroupSeed: c.controlGroupSeed,
  };
}

const columnsOf = (s: CampaignState): CampaignColumns => ({
  name: s.name,
  kind: s.kind,
  segment_id: s.segmentId,
  channel: s.channel,
  starts_at: s.startsAt === null ? null : new Date(s.startsAt),
  ends_at: s.endsAt === null ? null : new Date(s.endsAt),
  cost: s.cost,
  attribution_window_days: s.attributionWindowDays,
  control_share: s.controlGroupShare,
  control_seed: s.controlGroupSeed,
});

function firstOf(list: unknown, key: 'address' | 'number'): string | null {
  const items = typeof list === 'string' ? (JSON.parse(list) as unknown) : list;
  if (!Array.isArray(items) || items.length === 0) return null;
  const value = (items[0] as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : null;
}

function toRecipient(row: RecipientListRow): Recipient {
  return {
    customerId: row.customer_id,
    customerExternalId: row.external_id,
    name: row.name,
    email: firstOf(row.emails, 'address'),
    phone: firstOf(row.phones, 'number'),
    group: row.control ? 'control' : 'recipients',
    touches: Number(row.touches),
    lastTouchAt: iso(row.last_touch_at),
    responded: Boolean(row.responded),
  };
}

interface TouchState {
  customerId: string;
  kind: string;
  at: string;
  wave: number;
}

/**
 * Campaigns (docs/campaigns.md): CRUD of drafts, the launch that freezes recipients and the
 * control group from the segment, touches reported back in batches, and the results with
 * last-touch attribution across campaigns and the uplift over the control group.
 */
export class CampaignService {
  constructor(
    private readonly knex: Knex,
    private readonly campaigns: CampaignRepository,
    private readonly segments: CampaignSegments,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
    /** Days a timestamp may lie ahead of the clock (FUTURE_DATE_TOLERANCE_DAYS). */
    private readonly futureToleranceDays: number,
  ) {}

  private async require(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<CampaignRow> {
    const row = isUuid(id) ? await this.campaigns.findById(id, trx, forUpdate) : undefined;
    if (!row) throw new NotFoundError('campaign_not_found', { id });
    return row;
  }

  async get(id: string): Promise<Campaign> {
    return toCampaign(await this.require(id));
  }

  async list(query: CampaignListQuery) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, 'id') : undefined;
    const rows = await this.campaigns.list(query, limit, after);
    return pageFrom(rows, limit, toCampaign, (row) => ({ sort: 'id', value: null, id: row.id }));
  }

  /** The rules of a state that need the database or the clock: a live segment, a start before the end. */
  private async check(state: CampaignState, before: CampaignState | null, trx: Knex.Transaction) {
    const errors = new RowErrors();
    if (state.startsAt && state.endsAt && Date.parse(state.endsAt) < Date.parse(state.startsAt))
      errors.invalid(singleBody, 'endsAt', 'must not be before startsAt');
    errors.throwIfAny();
    if (state.segmentId !== before?.segmentId && !(await this.campaigns.segmentExists(state.segmentId, trx)))
      throw new UnprocessableError('segment_not_found', { id: state.segmentId }, [
        {
          path: 'body/segmentId',
          message: `no segment has id ${state.segmentId}`,
          code: 'segment_not_found',
        },
      ]);
  }

  async create(input: CampaignCreate, actor: Actor): Promise<Campaign> {
    const id = newId();
    const state: CampaignState = {
      name: input.name,
      kind: input.kind,
      segmentId: input.segmentId,
      channel: input.channel ?? null,
      startsAt: iso(input.startsAt ?? null),
      endsAt: iso(input.endsAt ?? null),
      cost: normalizeMoney(input.cost ?? '0'),
      attributionWindowDays: input.attributionWindowDays ?? 30,
      controlGroupShare: input.controlGroupShare ?? 0,
      controlGroupSeed: input.controlGroupSeed ?? id,
    };
    return this.knex.transaction(async (trx) => {
      await this.check(state, null, trx);
      const now = this.clock();
      const row = await this.campaigns.insert(
        {
          id,
          ...columnsOf(state),
          status: 'draft',
          launched_at: null,
          recipient_count: null,
          control_count: null,
          created_at: now,
          updated_at: now,
        },
        trx,
      );
      const view = toCampaign(row);
      await this.events.record(
        [{ type: 'campaign.created', entityId: id, customerId: null, data: view }],
        actor,
        trx,
      );
      return view;
    });
  }

  async patch(
    id: string,
    input: CampaignPatch,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<Campaign> {
    return this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      ifMatch(row.version);
      const current = toCampaign(row);
      const before = stateOf(current);
      const state: CampaignState = { ...before };
      for (const [key, value] of Object.entries(input))
        if (value !== undefined) (state as Record<string, unknown>)[key] = value;
      state.cost = normalizeMoney(state.cost);
      state.startsAt = iso(state.startsAt);
      state.endsAt = iso(state.endsAt);
      if (row.status === 'launched') {
        const frozen = frozenChanges(before, state);
        if (frozen.length > 0)
          throw new ConflictError('campaign_already_launched.frozen', { id, fields: frozen.join(', ') });
      }
      await this.check(state, before, trx);
      if (outcomeOf(before, state) === 'unchanged') return current;
      const written = await this.campaigns.update(
        id,
        row.version,
        { ...columnsOf(state), updated_at: this.clock() },
        trx,
      );
      if (!written) throw new PreconditionFailedError({}, 'precondition_failed.changed');
      const view = toCampaign(written);
      await this.events.record(
        [
          {
            type: 'campaign.updated',
            entityId: id,
            customerId: null,
            data: view,
            changes: fieldChanges(before, state),
          },
        ],
        actor,
        trx,
      );
      return view;
    });
  }

  /** Deleted campaigns leave the lists until restored; their touches keep taking part in attribution (they happened). */
  async delete(id: string, ifMatch: (version: number) => number | undefined, actor: Actor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      ifMatch(row.version);
      const now = this.clock();
      const written = await this.campaigns.update(id, row.version, { deleted_at: now, updated_at: now }, trx);
      if (!written) throw new PreconditionFailedError({}, 'precondition_failed.changed');
      await this.events.record(
        [{ type: 'campaign.deleted', entityId: id, customerId: null, data: toCampaign(row) }],
        actor,
        trx,
      );
    });
  }

  /** A deleted campaign back in the lists, as it was; a live one is answered unchanged. */
  async restore(id: string, actor: Actor): Promise<Campaign> {
    return this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.campaigns.findById(id, trx, true, true) : undefined;
      if (!row) throw new NotFoundError('campaign_not_found', { id });
      if (!row.deleted_at) return toCampaign(row);
      const written = await this.campaigns.update(
        id,
        row.version,
        { deleted_at: null, updated_at: this.clock() },
        trx,
      );
      if (!written) throw new PreconditionFailedError({}, 'precondition_failed.changed');
      const view = toCampaign(written);
      await this.events.record(
        [{ type: 'campaign.restored', entityId: id, customerId: null, data: view }],
        actor,
        trx,
      );
      return view;
    });
  }

  /**
   * Freezes the recipients and control group from the segment's members, in one transaction
   * with the `campaign.launched` event. Twice is 409 `campaign_already_launched`.
   */
  async launch(id: string, input: LaunchBody, actor: Actor): Promise<Campaign> {
    const now = this.clock();
    const launchedAt = input.launchedAt ?? now.toISOString();
    const tooLate = futureTimestampProblem(launchedAt, { now, days: this.futureToleranceDays });
    if (tooLate) {
      const errors = new RowErrors();
      errors.add(singleBody, 'launchedAt', DATE_IN_FUTURE, tooLate);
      errors.throwIfAny();
    }
    return this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      if (row.status === 'launched')
        throw new ConflictError('campaign_already_launched', { id, launchedAt: iso(row.launched_at)! });
      const members = await this.segments.membersForLaunch(row.segment_id, trx);
      if (members === undefined)
        throw new UnprocessableError('segment_not_found', { id: row.segment_id }, [
          { path: 'segmentId', message: `no segment has id ${row.segment_id}`, code: 'segment_not_found' },
        ]);
      const distinct = [...new Set(members)].sort();
      const control = holdOut(distinct, Number(row.control_share), row.control_seed);
      await this.campaigns.insertRecipients(
        id,
        distinct.map((customerId) => ({ customerId, control: control.has(customerId) })),
        trx,
      );
      const written = await this.campaigns.update(
        id,
        row.version,
        {
          status: 'launched',
          launched_at: new Date(launchedAt),
          recipient_count: distinct.length - control.size,
          control_count: control.size,
          updated_at: now,
        },
        trx,
      );
      if (!written) throw new PreconditionFailedError({}, 'precondition_failed.changed');
      const view = toCampaign(written);
      await this.events.record(
        [
          {
            type: 'campaign.launched',
            customerId: null,
            entityId: id,
            data: view,
            changes: [{ field: 'status', from: 'draft', to: 'launched' }],
          },
        ],
        actor,
        trx,
      );
      return view;
    });
  }

  private async requireLaunched(id: string, trx?: Knex.Transaction) {
    const row = await this.require(id, trx);
    if (row.status !== 'launched' || !row.launched_at)
      throw new ConflictError('campaign_not_launched', { id });
    return row as CampaignRow & { launched_at: Date };
  }

  async recipients(id: string, query: RecipientQuery) {
    const campaign = await this.requireLaunched(id);
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, 'customerId') : undefined;
    const rows = await this.campaigns.listRecipients(
      campaign,
      { control: query.group === 'control', responded: query.responded },
      limit,
      after?.id,
    );
    return pageFrom(rows, limit, toRecipient, (row) => ({
      sort: 'customerId',
      value: null,
      id: row.customer_id,
    }));
  }

  /**
   * Touches reported back (the batch kit: per-row errors, all or nothing): each for a
   * recipient (422 `not_a_recipient`, the control group included), not in the future
   * (422 `date_in_future`), only once the campaign is launched (409 `campaign_not_launched`);
   * the same externalId with the same content is `unchanged`, with other content `updated`.
   */
  async recordTouches(id: string, items: TouchItem[]): Promise<BatchRowResult[]> {
    const requestErrors = new RowErrors();
    checkDuplicateKeys(items, (i) => i.externalId, 'externalId', requestErrors);
    requestErrors.throwIfAny();
    return this.knex.transaction(async (trx) => {
      const campaign = await this.requireLaunched(id, trx);
      const now = this.clock();
      const groups = await this.campaigns.recipientGroups(
        id,
        [...new Set(items.map((i) => i.customerId))],
        trx,
      );
      const stored = new Map(
        (
          await this.campaigns.findTouches(
            id,
            items.map((i) => i.externalId),
            trx,
          )
        ).map((t) => [t.external_id, t]),
      );
      const errors = new RowErrors();
      const future = { now, days: 0 };
      const plans = items.map((item, index) => {
        const place = batchRow(index);
        const group = groups.get(item.customerId);
        if (group !== false)
          errors.add(
            place,
            'customerId',
            'not_a_recipient',
            group === true
              ? `customer ${item.customerId} is in the control group of campaign ${id}`
              : `customer ${item.customerId} is not a recipient of campaign ${id}`,
          );
        const tooLate = futureTimestampProblem(item.at, future);
        if (tooLate) errors.add(place, 'at', DATE_IN_FUTURE, tooLate);
        const row = stored.get(item.externalId);
        const before: TouchState | null = row
          ? { customerId: row.customer_id, kind: row.kind, at: iso(row.at)!, wave: row.wave }
          : null;
        const state: TouchState = {
          customerId: item.customerId,
          kind: item.kind,
          at: iso(item.at)!,
          wave: item.wave ?? 1,
        };
        return { index, row, before, state, externalId: item.externalId };
      });
      errors.throwIfAny();
      const inserts: TouchRow[] = [];
      const results: BatchRowResult[] = [];
      for (const plan of plans) {
        const outcome = outcomeOf(plan.before, plan.state);
        const columns = {
          customer_id: plan.state.customerId,
          kind: plan.state.kind,
          at: new Date(plan.state.at),
          wave: plan.state.wave,
          updated_at: now,
        };
        let touchId = plan.row?.id;
        if (!plan.row) {
          touchId = newId();
          inserts.push({
            id: touchId,
            campaign_id: campaign.id,
            external_id: plan.externalId,
            ...columns,
            created_at: now,
          });
        } else if (outcome === 'updated') await this.campaigns.updateTouch(plan.row.id, columns, trx);
        results.push({ index: plan.index, id: touchId!, externalId: plan.externalId, outcome });
      }
      await this.campaigns.insertTouches(inserts, trx);
      return results;
    });
  }

  /** The campaign's figures (docs/campaigns.md "Results"), attribution across every campaign. */
  async results(id: string): Promise<CampaignResults> {
    const campaign = await this.requireLaunched(id);
    const launchedAt = campaign.launched_at.getTime();
    const windowDays = campaign.attribution_window_days;
    const windowEnd = new Date(launchedAt + windowDays * DAY_MS);
    const [recipients, touches, windowOrders] = await Promise.all([
      this.campaigns.allRecipients(id),
      this.campaigns.campaignTouches(id),
      this.campaigns.memberOrders(id, null, campaign.launched_at, windowEnd),
    ]);
    // An order attributed to this campaign follows one of its touches (at or after launch) by at
    // most the window: read the recipients' orders from launch to the last such touch + window.
    const lastTouch = Math.max(launchedAt, ...touches.map((t) => t.at.getTime()));
    const attributionEnd = new Date(lastTouch + windowDays * DAY_MS);
    const [candidateOrders, competing, churned] = await Promise.all([
      this.campaigns.memberOrders(id, false, campaign.launched_at, attributionEnd),
      this.campaigns.competingTouches(id, attributionEnd),
      campaign.kind === 'win_back' ? this.campaigns.churnedAt(id, campaign.launched_at) : undefined,
    ]);
    const attributionTouches: AttributionTouch[] = competing.map((t) => ({
      id: t.id,
      campaignId: t.campaign_id,
      customerId: t.customer_id,
      at: new Date(t.at).getTime(),
      wave: t.wave,
      launchedAt: new Date(t.launched_at).getTime(),
      windowDays: t.attribution_window_days,
    }));
    const winners = attributeOrders(
      candidateOrders.map((o) => ({
        id: o.id,
        customerId: o.customer_id,
        orderedAt: new Date(o.ordered_at).getTime(),
      })),
      attributionTouches,
    );
    const attributed = candidateOrders.flatMap((o) => {
      const touch = winners.get(o.id);
      return touch && touch.campaignId === id
        ? [{ customerId: o.customer_id, amount: toUnits(o.amount), wave: touch.wave }]
        : [];
    });
    const figures = campaignFigures({
      launchedAt,
      cost: toUnits(String(campaign.cost)),
      recipients: recipients.map((r) => ({ customerId: r.customer_id, control: r.control })),
      touches: touches.map((t) => ({
        customerId: t.customer_id,
        kind: t.kind,
        at: t.at.getTime(),
        wave: t.wave,
      })),
      attributed,
      windowOrders: windowOrders.map((o) => ({ customerId: o.customer_id, amount: toUnits(o.amount) })),
      churnedAtLaunch: churned ? new Set(churned) : undefined,
    });
    return {
      campaignId: id,
      kind: campaign.kind,
      launchedAt: campaign.launched_at.toISOString(),
      attributionWindowDays: windowDays,
      ...figures,
    };
  }
}
