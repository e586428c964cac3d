import type { Knex } from 'knex';
import { isUuid, newId } from '../../db/ids';
import { fieldChanges } from '../../domain/field-changes';
import { fromUnits, toUnits } from '../../domain/money';
import {
  accrueChannel,
  isPeriodClosed,
  normalizeTiers,
  parsePeriod,
  rateText,
  tierProblems,
  type ChannelAccrual,
  type RebateMode,
  type RebatePeriod,
  type Tier,
} from '../../domain/rebates';
import { NotFoundError, UnprocessableError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { Actor } from '../events/actor';
import type { EventWriter } from '../events/event-writer';
import { RowErrors, singleBody } from '../shared/batch/row-errors';
import type {
  RebateCreditRow,
  RebateProgramColumns,
  RebateProgramRow,
  RebateRepository,
  RebateSettlementRow,
} from './repository';
import type {
  Accruals,
  ChannelAccrualView,
  RebateProgram,
  RebateProgramCreate,
  RebateProgramListQuery,
  RebateProgramPatch,
  Settlement,
  SettlementListQuery,
} from './schemas';

const iso = (value: Date | string) => new Date(value).toISOString();
/** DATE as YYYY-MM-DD: pg answers text, PGlite a Date at UTC midnight. */
const dateOnly = (value: string | Date) => (value instanceof Date ? value.toISOString().slice(0, 10) : value);

export function toRebateProgram(row: RebateProgramRow, channelCustomerIds: string[]): RebateProgram {
  return {
    id: row.id,
    name: row.name,
    periodKind: row.period_kind,
    mode: row.mode,
    tiers: row.tiers,
    channelCustomerIds,
    creditIndirect: row.credit_indirect,
    excludeCrossRegion: row.exclude_cross_region,
    currency: row.currency,
    deleted: row.deleted_at !== null,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function toSettlement(row: RebateSettlementRow): Settlement {
  return {
    id: row.id,
    programId: row.program_id,
    period: row.period,
    periodStart: dateOnly(row.period_start),
    periodEnd: dateOnly(row.period_end),
    currency: row.currency,
    mode: row.mode,
    tiers: row.tiers,
    totalRebate: fromUnits(toUnits(row.total)),
    settledAt: iso(row.settled_at),
    lines: row.lines,
  };
}

const tierRef = (tiers: readonly Tier[], index: number | null) =>
  index === null ? null : { index, from: tiers[index]!.from, rate: tiers[index]!.rate };

function accrualView(a: ChannelAccrual, tiers: readonly Tier[]): ChannelAccrualView {
  return {
    channelCustomerId: a.channelId,
    ownPurchases: fromUnits(a.own),
    indirectPurchases: fromUnits(a.indirect),
    crossRegionExcluded: fromUnits(a.crossRegionExcluded),
    netPurchases: fromUnits(a.net),
    tier: tierRef(tiers, a.tierIndex),
    rate: rateText(a.rate),
    rebate: fromUnits(a.rebate),
    nextTier: tierRef(tiers, a.nextTierIndex),
    gapToNextTier: a.gap === null ? null : fromUnits(a.gap),
  };
}

/** The state a write sets, compared for `changes` in this shape. */
type ProgramState = Omit<RebateProgram, 'id' | 'deleted' | 'version' | 'createdAt' | 'updatedAt'>;

const stateOf = (p: RebateProgram): ProgramState => ({
  name: p.name,
  periodKind: p.periodKind,
  mode: p.mode,
  tiers: p.tiers,
  channelCustomerIds: p.channelCustomerIds,
  creditIndirect: p.creditIndirect,
  excludeCrossRegion: p.excludeCrossRegion,
  currency: p.currency,
});

const columnsOf = (s: ProgramState): RebateProgramColumns => ({
  name: s.name,
  period_kind: s.periodKind,
  mode: s.mode,
  tiers: s.tiers,
  credit_indirect: s.creditIndirect,
  exclude_cross_region: s.excludeCrossRegion,
  currency: s.currency,
});

/**
 * Channel rebate programmes (docs/rebates.md): CRUD, accruals per period and channel, and the
 * settlement of a closed period into credits on the channels' receivables.
 */
export class RebateService {
  constructor(
    private readonly knex: Knex,
    private readonly rebates: RebateRepository,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
    private readonly reportingCurrency: string,
  ) {}

  private async require(id: string, trx?: Knex.Transaction, forUpdate = false, includeDeleted = false) {
    const row = isUuid(id) ? await this.rebates.findById(id, trx, forUpdate) : undefined;
    if (!row || (row.deleted_at !== null && !includeDeleted))
      throw new NotFoundError('rebate_program_not_found', { id });
    return row;
  }

  private async viewOf(row: RebateProgramRow, trx?: Knex.Transaction): Promise<RebateProgram> {
    const channels = await this.rebates.channelsOf([row.id], trx);
    return toRebateProgram(row, channels.get(row.id) ?? []);
  }

  /**
   * Checks a state before it is written: the tier table (from strictly increasing, rates not
   * falling), the currency (the reporting one) and, when `checkChannels`, that every covered
   * customer is a live channel customer. All problems are answered at once, nothing written.
   */
  private async check(state: ProgramState, checkChannels: boolean, trx: Knex.Transaction) {
    const errors = new RowErrors();
    for (const p of tierProblems(state.tiers))
      errors.add(singleBody, `tiers/${p.index}/${p.field}`, p.code, p.message);
    if (state.currency !== this.reportingCurrency)
      errors.add(
        singleBody,
        'currency',
        'currency_mismatch',
        `must be the reporting currency ${this.reportingCurrency}`,
      );
    if (checkChannels) {
      const found = new Map(
        (await this.rebates.customers(state.channelCustomerIds, trx)).map((c) => [c.id, c]),
      );
      state.channelCustomerIds.forEach((id, i) => {
        const c = found.get(id);
        if (!c || c.deleted_at !== null)
          errors.add(singleBody, `channelCustomerIds/${i}`, 'channel_not_found', 'names no live customer');
        else if (c.category !== 'channel')
          errors.add(
            singleBody,
            `channelCustomerIds/${i}`,
            'channel_not_found',
            `is a ${c.category} customer, not a channel`,
          );
      });
    }
    errors.throwIfAny();
  }

  async create(input: RebateProgramCreate, actor: Actor): Promise<RebateProgram> {
    const state: ProgramState = {
      name: input.name,
      periodKind: input.periodKind,
      mode: input.mode,
      tiers: input.tiers,
      channelCustomerIds: input.channelCustomerIds,
      creditIndirect: input.creditIndirect ?? false,
      excludeCrossRegion: input.excludeCrossRegion ?? false,
      currency: input.currency ?? this.reportingCurrency,
    };
    return this.knex.transaction(async (trx) => {
      await this.check(state, true, trx);
      state.tiers = normalizeTiers(state.tiers);
      const now = this.clock();
      const id = newId();
      await this.rebates.insert({ id, ...columnsOf(state), created_at: now, updated_at: now }, trx);
      await this.rebates.setChannels(id, state.channelCustomerIds, trx);
      const view = await this.viewOf((await this.rebates.findById(id, trx))!, trx);
      await this.events.record(
        [{ type: 'rebate_program.created', entityId: id, customerId: null, data: view }],
        actor,
        trx,
      );
      return view;
    });
  }

  async get(id: string): Promise<RebateProgram> {
    return this.viewOf(await this.require(id));
  }

  async list(query: RebateProgramListQuery) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, 'id') : undefined;
    const rows = await this.rebates.list(query.includeDeleted ?? false, limit, after?.id);
    const channels = await this.rebates.channelsOf(rows.map((r) => r.id));
    return pageFrom(
      rows,
      limit,
      (row) => toRebateProgram(row, channels.get(row.id) ?? []),
      (row) => ({ sort: 'id', value: null, id: row.id }),
    );
  }

  async patch(
    id: string,
    input: RebateProgramPatch,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<RebateProgram> {
    return this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      ifMatch(row.version);
      const before = await this.viewOf(row, trx);
      const state: ProgramState = { ...stateOf(before) };
      for (const [key, value] of Object.entries(input))
        if (value !== undefined) (state as Record<string, unknown>)[key] = value;
      await this.check(state, input.channelCustomerIds !== undefined, trx);
      state.tiers = normalizeTiers(state.tiers);
      const changes = fieldChanges(stateOf(before), state);
      if (changes.length === 0) return before;
      await this.rebates.update(row.id, row.version, { ...columnsOf(state), updated_at: this.clock() }, trx);
      if (input.channelCustomerIds !== undefined)
        await this.rebates.setChannels(row.id, state.channelCustomerIds, trx);
      const view = await this.viewOf((await this.rebates.findById(row.id, trx))!, trx);
      await this.events.record(
        [{ type: 'rebate_program.updated', entityId: row.id, customerId: null, data: view, changes }],
        actor,
        trx,
      );
      return view;
    });
  }

  /** Soft: the programme and its settlements stay, and POST .../restore brings it back. */
  async delete(id: string, ifMatch: (version: number) => number | undefined, actor: Actor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      ifMatch(row.version);
      const now = this.clock();
      await this.rebates.update(row.id, row.version, { updated_at: now, deleted_at: now }, trx);
      const view = await this.viewOf((await this.rebates.findById(row.id, trx))!, trx);
      await this.events.record(
        [{ type: 'rebate_program.deleted', entityId: row.id, customerId: null, data: view }],
        actor,
        trx,
      );
    });
  }

  /** Restoring a programme that is not deleted answers it unchanged. */
  async restore(id: string, actor: Actor): Promise<RebateProgram> {
    return this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true, true);
      if (row.deleted_at === null) return this.viewOf(row, trx);
      await this.rebates.update(row.id, row.version, { updated_at: this.clock(), deleted_at: null }, trx);
      const view = await this.viewOf((await this.rebates.findById(row.id, trx))!, trx);
      await this.events.record(
        [{ type: 'rebate_program.restored', entityId: row.id, customerId: null, data: view }],
        actor,
        trx,
      );
      return view;
    });
  }

  /** The period a text names, of the programme's kind (422 `period_kind_mismatch`). */
  private periodOf(row: RebateProgramRow, text: string, path: string): RebatePeriod {
    const period = parsePeriod(text);
    if (!period || period.kind !== row.period_kind)
      throw new UnprocessableError('period_kind_mismatch', { period: text, kind: row.period_kind }, [
        {
          path,
          message: `must be a ${row.period_kind} period (e.g. ${row.period_kind === 'year' ? '2026' : '2026-Q3'})`,
        },
      ]);
    return period;
  }

  private async accrue(
    row: RebateProgramRow,
    period: RebatePeriod,
    trx?: Knex.Transaction,
  ): Promise<ChannelAccrual[]> {
    const channelIds = (await this.rebates.channelsOf([row.id], trx)).get(row.id) ?? [];
    // One after the other: inside a transaction they share one connection.
    const customers = await this.rebates.customers(channelIds, trx);
    const assigned = await this.rebates.assignedRegions(channelIds, trx);
    const sums = await this.rebates.purchaseSums(
      channelIds,
      period.start,
      period.endExclusive,
      row.credit_indirect,
      trx,
    );
    const regionOf = new Map(customers.map((c) => [c.id, c.region]));
    const purchaseSums = sums.map((s) => ({
      channelId: s.channel_id,
      own: s.own,
      region: s.region,
      amount: toUnits(s.amount),
    }));
    const rules = {
      tiers: row.tiers,
      mode: row.mode as RebateMode,
      creditIndirect: row.credit_indirect,
      excludeCrossRegion: row.exclude_cross_region,
    };
    return channelIds.map((id) =>
      accrueChannel(
        { id, region: regionOf.get(id) ?? null, assignedRegions: assigned.get(id) ?? [] },
        purchaseSums,
        rules,
      ),
    );
  }

  async accruals(id: string, periodText: string): Promise<Accruals> {
    const row = await this.require(id);
    const period = this.periodOf(row, periodText, 'query/period');
    const [accruals, settlement] = await Promise.all([
      this.accrue(row, period),
      this.rebates.findSettlement(row.id, period.period),
    ]);
    let total = 0n;
    for (const a of accruals) total += a.rebate;
    return {
      programId: row.id,
      period: period.period,
      periodStart: period.start,
      periodEnd: period.end,
      closed: isPeriodClosed(period, this.clock()),
      settled: settlement !== undefined,
      settlementId: settlement?.id ?? null,
      currency: row.currency,
      mode: row.mode,
      totalRebate: fromUnits(total),
      data: accruals.map((a) => accrualView(a, row.tiers)),
    };
  }

  /**
   * Settles a closed period: each channel's rebate becomes a credit on its receivables, and
   * `rebate_program.settled` is written in the same transaction. The programme row is locked
   * first, so two concurrent settlements of one period make one; a period settled already is
   * answered as it was (`created: false`), changing nothing.
   */
  async settle(
    id: string,
    periodText: string,
    actor: Actor,
  ): Promise<{ settlement: Settlement; created: boolean }> {
    return this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      const period = this.periodOf(row, periodText, 'body/period');
      const existing = await this.rebates.findSettlement(row.id, period.period, trx);
      if (existing) return { settlement: toSettlement(existing), created: false };
      const now = this.clock();
      if (!isPeriodClosed(period, now))
        throw new UnprocessableError('period_not_closed', { period: period.period, end: period.end });
      const accruals = await this.accrue(row, period, trx);
      const settlementId = newId();
      const credits: RebateCreditRow[] = [];
      let total = 0n;
      const lines = accruals.map((a) => {
        total += a.rebate;
        const creditId = a.rebate > 0n ? newId() : null;
        if (creditId)
          credits.push({
            id: creditId,
            settlement_id: settlementId,
            customer_id: a.channelId,
            amount: fromUnits(a.rebate),
            credited_at: now,
          });
        return {
          channelCustomerId: a.channelId,
          netPurchases: fromUnits(a.net),
          tierIndex: a.tierIndex,
          rate: rateText(a.rate),
          rebate: fromUnits(a.rebate),
          creditId,
        };
      });
      const settlementRow: RebateSettlementRow = {
        id: settlementId,
        program_id: row.id,
        period: period.period,
        period_start: period.start,
        period_end: period.end,
        currency: row.currency,
        mode: row.mode,
        tiers: row.tiers,
        total: fromUnits(total),
        lines,
        settled_at: now,
      };
      await this.rebates.insertSettlement(settlementRow, credits, trx);
      const settlement = toSettlement(settlementRow);
      await this.events.record(
        [{ type: 'rebate_program.settled', entityId: row.id, customerId: null, data: settlement }],
        actor,
        trx,
      );
      return { settlement, created: true };
    });
  }

  async settlements(id: string, query: SettlementListQuery) {
    const row = await this.require(id);
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, 'id') : undefined;
    const rows = await this.rebates.settlements(row.id, limit, after?.id);
    return pageFrom(rows, limit, toSettlement, (r) => ({ sort: 'id', value: null, id: r.id }));
  }
}
