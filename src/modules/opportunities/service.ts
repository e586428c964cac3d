import type { Knex } from 'knex';
import { fieldChanges } from '../../domain/field-changes';
import { normalizeMoney } from '../../domain/money';
import {
  isClosed,
  LOST,
  notConvertedTag,
  stageOf,
  stageProblems,
  weightedAmount,
  WON,
  type Pipeline,
} from '../../domain/opportunities/pipeline';
import { isUuid, newId } from '../../db/ids';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
} from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { CustomerService } from '../customers/service';
import type { Actor } from '../events/actor';
import type { EventDraft, EventWriter } from '../events/event-writer';
import {
  checkOneCustomerReference,
  CustomerReferences,
  keepsItsCustomer,
  type CustomerRefLookup,
} from '../shared/batch/customer-references';
import { checkDuplicateKeys } from '../shared/batch/duplicate-keys';
import { outcomeOf, type BatchRowResult, type Outcome } from '../shared/batch/outcome';
import { batchRow, RowErrors, singleBody, type RowPlace } from '../shared/batch/row-errors';
import type { OpportunityColumns, OpportunityRepository, OpportunityRow } from './repository';
import type {
  Opportunity,
  OpportunityBatchItem,
  OpportunityCreate,
  OpportunityListQuery,
  OpportunityPatch,
  OpportunityTransition,
  PipelineQuery,
} from './schemas';

/** What a write sets, compared and audited in this shape. */
interface OpportunityState {
  externalId: string | null;
  customerId: string;
  name: string;
  stage: string;
  amount: string;
  currency: string;
  expectedCloseDate: string | null;
  owner: string | null;
  probability: number;
  orderId: string | null;
  lostReason: string | null;
  notes: string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();
/** DATE as YYYY-MM-DD: pg answers text, PGlite a Date at UTC midnight. */
const dateOnly = (value: string | Date | null) =>
  value === null ? null : value instanceof Date ? value.toISOString().slice(0, 10) : value;

export function toOpportunity(row: OpportunityRow): Opportunity {
  const amount = normalizeMoney(row.amount);
  const probability = Number(row.probability);
  return {
    id: row.id,
    externalId: row.external_id,
    customerId: row.customer_id,
    name: row.name,
    stage: row.stage,
    amount,
    currency: row.currency,
    expectedCloseDate: dateOnly(row.expected_close_date),
    owner: row.owner,
    probability,
    weightedAmount: weightedAmount(amount, probability),
    orderId: row.order_id,
    lostReason: row.lost_reason,
    closedAt: row.closed_at ? iso(row.closed_at) : null,
    notes: row.notes,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function stateOf(row: OpportunityRow): OpportunityState {
  const o = toOpportunity(row);
  return {
    externalId: o.externalId,
    customerId: o.customerId,
    name: o.name,
    stage: o.stage,
    amount: o.amount,
    currency: o.currency,
    expectedCloseDate: o.expectedCloseDate,
    owner: o.owner,
    probability: o.probability,
    orderId: o.orderId,
    lostReason: o.lostReason,
    notes: o.notes,
  };
}

const columnsOf = (s: OpportunityState, closedAt: Date | null): OpportunityColumns => ({
  external_id: s.externalId,
  customer_id: s.customerId,
  name: s.name,
  stage: s.stage,
  amount: s.amount,
  currency: s.currency,
  expected_close_date: s.expectedCloseDate,
  owner: s.owner,
  probability: s.probability,
  order_id: s.orderId,
  lost_reason: s.lostReason,
  closed_at: closedAt,
  notes: s.notes,
});

type Changes = Partial<Omit<OpportunityState, 'customerId' | 'externalId'>>;

/** The fields a request names, over the stored state; a new stage brings its probability unless one is given. */
function merge(pipeline: Pipeline, base: OpportunityState, input: Changes): OpportunityState {
  const next = { ...base };
  for (const [key, value] of Object.entries(input))
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  next.amount = normalizeMoney(next.amount);
  if (input.probability === undefined && input.stage !== undefined && input.stage !== base.stage)
    next.probability = stageOf(pipeline, input.stage)?.probability ?? next.probability;
  return next;
}

interface Plan {
  index: number;
  place: RowPlace;
  row?: OpportunityRow;
  before: OpportunityState | null;
  state: OpportunityState;
}

/**
 * Opportunities along the configured pipeline (docs/opportunities.md). Every write plans its
 * rows with the pipeline's rules first, then persists, then records the events: a stage move is
 * `opportunity.stage_changed`, any other change `opportunity.updated`; a move to lost also tags
 * the customer through the customer service.
 */
export class OpportunityService {
  constructor(
    private readonly knex: Knex,
    private readonly opportunities: OpportunityRepository,
    private readonly customerRefs: CustomerRefLookup,
    private readonly customers: CustomerService,
    private readonly events: EventWriter,
    private readonly pipeline: Pipeline,
    private readonly clock: () => Date,
  ) {}

  private async require(id: string, trx?: Knex.Transaction, forUpdate = false) {
    const row = isUuid(id) ? await this.opportunities.findById(id, trx, forUpdate) : undefined;
    if (!row) throw new NotFoundError('opportunity_not_found', { id });
    return row;
  }

  async get(id: string): Promise<Opportunity> {
    return toOpportunity(await this.require(id));
  }

  async list(query: OpportunityListQuery) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, 'id') : undefined;
    const rows = await this.opportunities.list(query, limit, after);
    return pageFrom(rows, limit, toOpportunity, (row) => ({ sort: 'id', value: null, id: row.id }));
  }

  async create(input: OpportunityCreate, actor: Actor): Promise<Opportunity> {
    const [result] = await this.write([input], singleBody, actor);
    return this.get(result!.id);
  }

  async batchUpsert(items: OpportunityBatchItem[], actor: Actor): Promise<BatchRowResult[]> {
    const results = await this.write(items, null, actor);
    return results.map((r) => ({ ...r, externalId: r.externalId! }));
  }

  async patch(
    id: string,
    input: OpportunityPatch,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<Opportunity> {
    return this.change(id, input, ifMatch, actor);
  }

  /** POST .../transitions: a stage move with what it needs, the same rules as a PATCH of `stage`. */
  async transition(
    id: string,
    input: OpportunityTransition,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<Opportunity> {
    return this.change(
      id,
      {
        stage: input.to,
        probability: input.probability,
        orderId: input.orderId,
        lostReason: input.lostReason,
      },
      ifMatch,
      actor,
      input.note,
    );
  }

  private async change(
    id: string,
    input: Changes,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
    note?: string,
  ): Promise<Opportunity> {
    return this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      ifMatch(row.version);
      const before = stateOf(row);
      const state = merge(this.pipeline, before, input);
      if (note) state.notes = state.notes ? `${state.notes}\n${note}` : note;
      const plan: Plan = { index: 0, place: singleBody, row, before, state };
      await this.check([plan], trx);
      const [view] = await this.persist([plan], actor, trx);
      return view!.view;
    });
  }

  async delete(id: string, ifMatch: (version: number) => number | undefined, actor: Actor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      ifMatch(row.version);
      await this.opportunities.delete(row.id, trx);
      const view = toOpportunity(row);
      await this.events.record(
        [{ type: 'opportunity.deleted', entityId: row.id, customerId: row.customer_id, data: view }],
        actor,
        trx,
      );
    });
  }

  /**
   * The pipeline's rules for every planned row (decided before anything is written): a known
   * stage (400), a closed opportunity stays put (409 `opportunity_closed`), won names an order
   * that exists and is the customer's (422 `order_not_found`, `customer_mismatch`), lost names
   * its reason (422 `lost_reason_required`).
   */
  private async check(plans: Plan[], trx: Knex.Transaction): Promise<void> {
    const orderIds = [...new Set(plans.map((p) => p.state.orderId).filter((o): o is string => o !== null))];
    const orders = new Map((await this.opportunities.findOrders(orderIds, trx)).map((o) => [o.id, o]));
    const errors = new RowErrors();
    for (const { place, before, state, row } of plans) {
      for (const problem of stageProblems(this.pipeline, {
        from: before?.stage ?? null,
        to: state.stage,
        orderId: state.orderId,
        lostReason: state.lostReason,
      })) {
        if (problem.rule === 'opportunity_closed' && !place.batch)
          throw new ConflictError('opportunity_closed', { id: row!.id, stage: before!.stage });
        if (problem.rule === 'unknown_stage')
          errors.invalid(
            place,
            'stage',
            `is not a stage of the pipeline (${this.pipeline.stages.map((s) => s.name).join(', ')})`,
          );
        else if (problem.rule === 'opportunity_closed')
          errors.add(
            place,
            'stage',
            'opportunity_closed',
            `the opportunity is ${before!.stage}, a closed stage`,
          );
        else if (problem.rule === 'order_required')
          errors.add(place, 'orderId', 'order_not_found', 'is required to move an opportunity to won');
        else
          errors.add(
            place,
            'lostReason',
            'lost_reason_required',
            'is required to move an opportunity to lost',
          );
      }
      if (state.orderId !== null) {
        const order = orders.get(state.orderId);
        if (!order) errors.add(place, 'orderId', 'order_not_found', `no order has id ${state.orderId}`);
        else if (state.customerId !== '' && order.customer_id !== state.customerId)
          errors.add(
            place,
            'orderId',
            'customer_mismatch',
            `order ${state.orderId} belongs to customer ${order.customer_id}`,
          );
      }
    }
    errors.throwIfAny();
  }

  /** Writes the planned rows, then the events (the customers' tag changes with them), last. */
  private async persist(
    plans: Plan[],
    actor: Actor,
    trx: Knex.Transaction,
  ): Promise<Array<{ plan: Plan; id: string; outcome: Outcome; view: Opportunity }>> {
    const now = this.clock();
    const events: EventDraft[] = [];
    const out: Array<{ plan: Plan; id: string; outcome: Outcome; view: Opportunity }> = [];
    for (const plan of plans) {
      const { row, before, state } = plan;
      const outcome = outcomeOf(before, state);
      if (row && outcome === 'unchanged') {
        out.push({ plan, id: row.id, outcome, view: toOpportunity(row) });
        continue;
      }
      const moved = !before || before.stage !== state.stage;
      const closedAt = isClosed(state.stage) ? (moved ? now : (row?.closed_at ?? now)) : null;
      let written: OpportunityRow | undefined;
      if (row) {
        written = await this.opportunities.update(
          row.id,
          row.version,
          { ...columnsOf(state, closedAt), updated_at: now },
          trx,
        );
        if (!written) throw new PreconditionFailedError({}, 'precondition_failed.changed');
      } else {
        [written] = await this.opportunities.insert(
          [{ id: newId(), ...columnsOf(state, closedAt), created_at: now, updated_at: now }],
          trx,
        );
      }
      const view = toOpportunity(written!);
      if (state.stage === LOST && moved)
        events.push(
          ...(await this.customers.addTag(state.customerId, notConvertedTag(state.lostReason!), actor, trx)),
        );
      const type = !before
        ? 'opportunity.created'
        : moved
          ? 'opportunity.stage_changed'
          : 'opportunity.updated';
      events.push({
        type,
        entityId: view.id,
        customerId: view.customerId,
        data: view,
        changes: before ? fieldChanges(before, state) : null,
      });
      out.push({ plan, id: view.id, outcome, view });
    }
    await this.events.record(events, actor, trx);
    return out;
  }

  /**
   * A single create (`place` singleBody) or a batch upsert by externalId (`place` null): the
   * request's own rules, one load of customers and stored rows, a plan per row, then all or
   * nothing.
   */
  private async write(
    items: Array<OpportunityCreate | OpportunityBatchItem>,
    place: RowPlace | null,
    actor: Actor,
  ): Promise<Array<{ index: number; id: string; externalId: string | null; outcome: Outcome }>> {
    const placeOf = (index: number) => place ?? batchRow(index);
    const requestErrors = new RowErrors();
    if (place === null) checkDuplicateKeys(items, (i) => i.externalId, 'externalId', requestErrors);
    items.forEach((item, index) => checkOneCustomerReference(item, placeOf(index), requestErrors));
    requestErrors.throwIfAny();
    return this.knex.transaction(async (trx) => {
      const keys = place === null ? items.map((i) => i.externalId!) : [];
      const stored = new Map(
        (keys.length ? await this.opportunities.findByExternalIds(keys, trx) : []).map((r) => [
          r.external_id!,
          r,
        ]),
      );
      const refs = await CustomerReferences.load(this.customerRefs, items, [], trx);
      const errors = new RowErrors();
      const first = this.pipeline.stages[0]!;
      const plans: Plan[] = items.map((item, index) => {
        const row = place === null ? stored.get(item.externalId!) : undefined;
        const before = row ? stateOf(row) : null;
        const customer = refs.resolve(item, placeOf(index), errors);
        if (customer)
          keepsItsCustomer('opportunity', before?.customerId, customer.id, placeOf(index), errors);
        const base: OpportunityState = before ?? {
          externalId: item.externalId ?? null,
          customerId: customer?.id ?? '',
          name: item.name,
          stage: item.stage ?? first.name,
          amount: item.amount,
          currency: item.currency,
          expectedCloseDate: null,
          owner: null,
          probability: stageOf(this.pipeline, item.stage ?? first.name)?.probability ?? first.probability,
          orderId: null,
          lostReason: null,
          notes: null,
        };
        const { externalId: _e, customerId: _c, customerExternalId: _x, ...changes } = item;
        return { index, place: placeOf(index), row, before, state: merge(this.pipeline, base, changes) };
      });
      errors.throwIfAny();
      await this.check(plans, trx);
      const written = await this.persist(plans, actor, trx);
      return written.map((w) => ({
        index: w.plan.index,
        id: w.id,
        externalId: w.plan.state.externalId,
        outcome: w.outcome,
      }));
    });
  }

  /** Totals and weighted totals (amount x probability) by stage and owner, per currency. */
  async report(query: PipelineQuery) {
    if (query.from && query.to && query.from > query.to) throw new BadRequestError('invalid_range', {});
    const [totals, byStage, byOwner] = await Promise.all([
      this.opportunities.sums(null, query),
      this.opportunities.sums('stage', query),
      this.opportunities.sums('owner', query),
    ]);
    const sums = (r: (typeof totals)[number]) => ({
      currency: r.currency,
      count: Number(r.count),
      amount: normalizeMoney(r.amount),
      weightedAmount: normalizeMoney(r.weighted),
    });
    const order = new Map(this.pipeline.stages.map((s, i) => [s.name, i]));
    return {
      stages: this.pipeline.stages.map((s) => ({
        name: s.name,
        probability: s.probability,
        closed: isClosed(s.name),
      })),
      totals: totals.map(sums),
      byStage: byStage
        .map((r) => ({ stage: r.key ?? '', ...sums(r) }))
        .sort(
          (a, b) =>
            (order.get(a.stage) ?? 99) - (order.get(b.stage) ?? 99) || (a.currency < b.currency ? -1 : 1),
        ),
      byOwner: byOwner.map((r) => ({ owner: r.key, ...sums(r) })),
    };
  }
}

export { WON };
