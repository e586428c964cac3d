import type { Knex } from 'knex';
import { DATE_IN_FUTURE, futureTimestampProblem } from '../../domain/date-limits';
import { fieldChanges } from '../../domain/field-changes';
import { dayRange } from '../../domain/service/day-range';
import { satisfactionOf, scoreInRange, type SurveyKind } from '../../domain/service/satisfaction';
import { isUuid, newId } from '../../db/ids';
import { BadRequestError, NotFoundError, PreconditionFailedError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { Actor } from '../events/actor';
import type { EventDraft, EventWriter } from '../events/event-writer';
import { checkDuplicateKeys } from '../shared/batch/duplicate-keys';
import {
  checkOneCustomerReference,
  CustomerReferences,
  keepsItsCustomer,
  type CustomerRefLookup,
} from '../shared/batch/customer-references';
import { outcomeOf, type BatchRowResult } from '../shared/batch/outcome';
import { batchRow, RowErrors, singleBody, type RowPlace } from '../shared/batch/row-errors';
import type {
  OrderOwner,
  SurveyResponseColumns,
  SurveyResponseRepository,
  SurveyResponseRow,
} from './repository';
import type {
  SatisfactionQuery,
  SurveyResponse,
  SurveyResponseBatchItem,
  SurveyResponseCreate,
  SurveyResponseListQuery,
  SurveyResponsePatch,
} from './schemas';

const SORT = '-respondedAt';
const LINKS = ['orderId', 'serviceRecordId', 'complaintId', 'interactionId'] as const;

/** What a write may set, compared and audited in this shape. */
interface SurveyState {
  externalId: string | null;
  customerId: string;
  kind: SurveyKind;
  score: number;
  comment: string | null;
  respondedAt: string;
  orderId: string | null;
  serviceRecordId: string | null;
  complaintId: string | null;
  interactionId: string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

export function toSurveyResponse(row: SurveyResponseRow): SurveyResponse {
  return {
    id: row.id,
    externalId: row.external_id,
    customerId: row.customer_id,
    kind: row.kind as SurveyKind,
    score: Number(row.score),
    comment: row.comment,
    respondedAt: iso(row.responded_at),
    orderId: row.order_id,
    serviceRecordId: row.service_record_id,
    complaintId: row.complaint_id,
    interactionId: row.interaction_id,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

const stateOf = (row: SurveyResponseRow): SurveyState => {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...state } = toSurveyResponse(row);
  return state;
};

const columnsOf = (s: SurveyState): SurveyResponseColumns => ({
  external_id: s.externalId,
  customer_id: s.customerId,
  kind: s.kind,
  score: s.score,
  comment: s.comment,
  responded_at: new Date(s.respondedAt),
  order_id: s.orderId,
  service_record_id: s.serviceRecordId,
  complaint_id: s.complaintId,
  interaction_id: s.interactionId,
});

type LinkInput = Partial<Record<(typeof LINKS)[number], string | null>>;

/** Naming any link replaces all four: an answer is about one thing. */
function mergeLinks(base: SurveyState | null, input: LinkInput) {
  const named = LINKS.some((l) => input[l] !== undefined);
  if (!named && base)
    return Object.fromEntries(LINKS.map((l) => [l, base[l]])) as Record<
      (typeof LINKS)[number],
      string | null
    >;
  return Object.fromEntries(LINKS.map((l) => [l, input[l] ?? null])) as Record<
    (typeof LINKS)[number],
    string | null
  >;
}

/** The 422 code of a link to a record that does not exist, and what the record is called. */
const LINK_MISSING = {
  orderId: { code: 'order_not_found', noun: 'order' },
  serviceRecordId: { code: 'service_record_not_found', noun: 'service record' },
  complaintId: { code: 'complaint_not_found', noun: 'complaint' },
  interactionId: { code: 'interaction_not_found', noun: 'interaction' },
} as const;

/**
 * The rules of one answer, all decided before anything is written: the score on its kind's
 * scale and exactly one link (400, the request alone), and a linked order, service record,
 * complaint or interaction that exists and is the customer's (422). `linked` holds the
 * records found, keyed `<link>:<id>`.
 */
function checkState(state: SurveyState, place: RowPlace, linked: Map<string, OrderOwner>, errors: RowErrors) {
  if (!scoreInRange(state.kind, state.score)) {
    errors.invalid(
      place,
      'score',
      state.kind === 'csat' ? 'must be 1 to 5 for csat' : 'must be 0 to 10 for nps',
    );
  }
  const links = LINKS.filter((l) => state[l] !== null);
  if (links.length !== 1) {
    errors.invalid(
      place,
      'orderId',
      'give exactly one of orderId, serviceRecordId, complaintId and interactionId',
    );
    return;
  }
  const link = links[0]!;
  const id = state[link]!;
  const { code, noun } = LINK_MISSING[link];
  const record = linked.get(`${link}:${id}`);
  if (!record) errors.add(place, link, code, `no ${noun} has id ${id}`);
  else if (state.customerId !== '' && record.customer_id !== state.customerId)
    errors.add(place, link, 'customer_mismatch', `${noun} ${id} belongs to customer ${record.customer_id}`);
}

/** Survey answers (CSAT, NPS) and the satisfaction report. */
export class SurveyResponseService {
  constructor(
    private readonly knex: Knex,
    private readonly surveys: SurveyResponseRepository,
    private readonly customers: CustomerRefLookup,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
    /** Days an answer's respondedAt may lie ahead of the clock (FUTURE_DATE_TOLERANCE_DAYS). */
    private readonly futureToleranceDays = 1,
  ) {}

  /** A respondedAt the request sets may not lie further ahead than the tolerance (422 `date_in_future`). */
  private checkRespondedAt(
    state: SurveyState,
    before: SurveyState | null,
    place: RowPlace,
    errors: RowErrors,
  ) {
    if (state.respondedAt === before?.respondedAt) return;
    const problem = futureTimestampProblem(state.respondedAt, {
      now: this.clock(),
      days: this.futureToleranceDays,
    });
    if (problem) errors.add(place, 'respondedAt', DATE_IN_FUTURE, problem);
  }

  private event(type: EventDraft['type'], view: SurveyResponse, changes?: EventDraft['changes']): EventDraft {
    return { type, entityId: view.id, customerId: view.customerId, data: view, changes: changes ?? null };
  }

  private async require(id: string, trx?: Knex.Transaction, forUpdate = false) {
    const row = isUuid(id) ? await this.surveys.findById(id, trx, forUpdate) : undefined;
    if (!row) throw new NotFoundError('survey_response_not_found', { id });
    return row;
  }

  /** The linked records of the answers that exist, keyed `<link>:<id>`: one query per kind of link. */
  private async linkedOf(states: SurveyState[], trx: Knex.Transaction) {
    const found = new Map<string, OrderOwner>();
    for (const link of LINKS) {
      const ids = [...new Set(states.map((s) => s[link]).filter((id): id is string => id !== null))];
      for (const record of await this.surveys.findLinked(link, ids, trx))
        found.set(`${link}:${record.id}`, record);
    }
    return found;
  }

  async get(id: string): Promise<SurveyResponse> {
    return toSurveyResponse(await this.require(id));
  }

  async list(query: SurveyResponseListQuery) {
    const range = dayRange(query.from, query.to);
    if (!range) throw new BadRequestError('invalid_range', {});
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, SORT) : undefined;
    const rows = await this.surveys.list(
      { customerId: query.customerId, kind: query.kind, range },
      limit,
      after,
    );
    return pageFrom(rows, limit, toSurveyResponse, (row) => ({
      sort: SORT,
      value: iso(row.responded_at),
      id: row.id,
    }));
  }

  async create(input: SurveyResponseCreate, actor: Actor): Promise<SurveyResponse> {
    const [result] = await this.write([input], singleBody, actor);
    return this.get(result!.id);
  }

  async patch(
    id: string,
    input: SurveyResponsePatch,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<SurveyResponse> {
    return this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      ifMatch(row.version);
      const before = stateOf(row);
      const after: SurveyState = {
        ...before,
        ...(input.kind !== undefined ? { kind: input.kind } : {}),
        ...(input.score !== undefined ? { score: input.score } : {}),
        ...(input.comment !== undefined ? { comment: input.comment } : {}),
        ...(input.respondedAt !== undefined ? { respondedAt: iso(input.respondedAt) } : {}),
        ...mergeLinks(before, input),
      };
      const errors = new RowErrors();
      checkState(after, singleBody, await this.linkedOf([after], trx), errors);
      this.checkRespondedAt(after, before, singleBody, errors);
      errors.throwIfAny();
      if (outcomeOf(before, after) === 'unchanged') return toSurveyResponse(row);
      const updated = await this.surveys.update(
        row.id,
        row.version,
        { ...columnsOf(after), updated_at: this.clock() },
        trx,
      );
      if (!updated) throw new PreconditionFailedError({}, 'precondition_failed.changed');
      const view = toSurveyResponse(updated);
      await this.events.record(
        [this.event('survey_response.updated', view, fieldChanges(before, after))],
        actor,
        trx,
      );
      return view;
    });
  }

  async delete(id: string, ifMatch: (version: number) => number | undefined, actor: Actor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      ifMatch(row.version);
      await this.surveys.delete(row.id, trx);
      await this.events.record([this.event('survey_response.deleted', toSurveyResponse(row))], actor, trx);
    });
  }

  async batchUpsert(items: SurveyResponseBatchItem[], actor: Actor): Promise<BatchRowResult[]> {
    const results = await this.write(items, null, actor);
    return results.map((r) => ({ ...r, externalId: r.externalId! }));
  }

  /**
   * One write path for a single create (`place` singleBody) and a batch upsert by externalId
   * (`place` null: each row is `body/items/<n>`): check, load, plan every row, then persist
   * all or nothing, events last.
   */
  private async write(
    items: Array<SurveyResponseCreate | SurveyResponseBatchItem>,
    place: RowPlace | null,
    actor: Actor,
  ): Promise<
    Array<{ index: number; id: string; externalId: string | null; outcome: BatchRowResult['outcome'] }>
  > {
    const placeOf = (index: number) => place ?? batchRow(index);
    const requestErrors = new RowErrors();
    if (place === null) checkDuplicateKeys(items, (i) => i.externalId, 'externalId', requestErrors);
    items.forEach((item, index) => checkOneCustomerReference(item, placeOf(index), requestErrors));
    requestErrors.throwIfAny();
    return this.knex.transaction(async (trx) => {
      const keyed = place === null ? items.map((i) => i.externalId!).filter(Boolean) : [];
      const existing = new Map(
        (keyed.length ? await this.surveys.findByExternalIds(keyed, trx) : []).map((r) => [
          r.external_id!,
          r,
        ]),
      );
      const refs = await CustomerReferences.load(this.customers, items, [], trx);
      const errors = new RowErrors();
      const now = this.clock();
      const plans = items.map((item, index) => {
        const row = place === null ? existing.get(item.externalId!) : undefined;
        const before = row ? stateOf(row) : null;
        const customer = refs.resolve(item, placeOf(index), errors);
        const customerId = customer?.id ?? before?.customerId ?? '';
        if (customer)
          keepsItsCustomer('survey response', before?.customerId, customer.id, placeOf(index), errors);
        const state: SurveyState = {
          externalId: item.externalId ?? null,
          customerId,
          kind: item.kind,
          score: item.score,
          comment: item.comment !== undefined ? item.comment : (before?.comment ?? null),
          respondedAt: item.respondedAt ? iso(item.respondedAt) : (before?.respondedAt ?? now.toISOString()),
          ...mergeLinks(null, item),
        };
        return { index, row, before, state };
      });
      const linked = await this.linkedOf(
        plans.map((p) => p.state),
        trx,
      );
      for (const plan of plans) {
        checkState(plan.state, placeOf(plan.index), linked, errors);
        this.checkRespondedAt(plan.state, plan.before, placeOf(plan.index), errors);
      }
      errors.throwIfAny();
      const events: EventDraft[] = [];
      const results: Array<{
        index: number;
        id: string;
        externalId: string | null;
        outcome: BatchRowResult['outcome'];
      }> = [];
      const inserts: Array<Omit<SurveyResponseRow, 'version'>> = [];
      for (const plan of plans) {
        if (!plan.row) {
          const id = newId();
          inserts.push({ id, ...columnsOf(plan.state), created_at: now, updated_at: now });
          results.push({ index: plan.index, id, externalId: plan.state.externalId, outcome: 'created' });
          continue;
        }
        const outcome = outcomeOf(plan.before, plan.state);
        results.push({ index: plan.index, id: plan.row.id, externalId: plan.state.externalId, outcome });
        if (outcome !== 'updated') continue;
        const updated = await this.surveys.update(
          plan.row.id,
          plan.row.version,
          { ...columnsOf(plan.state), updated_at: now },
          trx,
        );
        if (!updated) throw new PreconditionFailedError({}, 'precondition_failed.changed');
        events.push(
          this.event(
            'survey_response.updated',
            toSurveyResponse(updated),
            fieldChanges(plan.before, plan.state),
          ),
        );
      }
      if (inserts.length) {
        for (const row of await this.surveys.insert(inserts, trx))
          events.push(this.event('survey_response.created', toSurveyResponse(row)));
      }
      await this.events.record(events, actor, trx);
      return results;
    });
  }

  /** Average CSAT and NPS over the answers in the range, in total and per group. */
  async satisfaction(query: SatisfactionQuery) {
    const range = dayRange(query.from, query.to);
    if (!range) throw new BadRequestError('invalid_range', {});
    const groupBy = query.groupBy ?? 'month';
    const [total, groups] = await Promise.all([
      this.surveys.totalCounts(range, query.customerId),
      this.surveys.groupCounts(groupBy, range, query.customerId),
    ]);
    return {
      from: query.from ?? null,
      to: query.to ?? null,
      groupBy,
      total: satisfactionOf(total),
      groups: groups.map(({ key, label, ...counts }) => ({ key, label, ...satisfactionOf(counts) })),
    };
  }
}
