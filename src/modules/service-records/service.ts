import type { Knex } from 'knex';
import { isUuid, newId } from '../../db/ids';
import { DATE_IN_FUTURE, futureTimestampProblem } from '../../domain/date-limits';
import { fieldChanges } from '../../domain/field-changes';
import { planServiceMove, type ServiceStatus } from '../../domain/service/service-status';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { CustomerRepository } from '../customers/repository';
import type { Actor } from '../events/actor';
import type { EventDraft, EventWriter } from '../events/event-writer';
import type { ProductRepository, ProductRow } from '../products/repository';
import {
  checkOneCustomerReference,
  CustomerReferences,
  keepsItsCustomer,
} from '../shared/batch/customer-references';
import { checkDuplicateKeys } from '../shared/batch/duplicate-keys';
import { outcomeOf, type BatchRowResult } from '../shared/batch/outcome';
import { batchRow, RowErrors, singleBody, type RowPlace } from '../shared/batch/row-errors';
import { IllegalTransitionError } from './illegal-transition';
import { derivedTag, toServiceRecord } from './representation';
import type {
  ServiceRecordColumns,
  ServiceRecordRepository,
  ServiceRecordRow,
  TransitionRow,
} from './repository';
import type {
  ServiceRecord,
  ServiceRecordBatchItem,
  ServiceRecordCreate,
  ServiceRecordListQuery,
  ServiceRecordPatch,
  TransitionCreate,
} from './schemas';

/** The fields a caller writes, as compared for changes and outcomes. */
interface RecordState {
  customerId: string;
  contactId: string | null;
  productId: string | null;
  type: string;
  priority: string;
  subject: string;
  description: string | null;
  assignee: string | null;
  resolution: string | null;
  openedAt: string;
}

type Input = Partial<Omit<RecordState, 'customerId'>> & {
  customerId?: string;
  customerExternalId?: string;
  productSku?: string;
};

const stateOf = (row: ServiceRecordRow): RecordState => ({
  customerId: row.customer_id,
  contactId: row.contact_id,
  productId: row.product_id,
  type: row.type,
  priority: row.priority,
  subject: row.subject,
  description: row.description,
  assignee: row.assignee,
  resolution: row.resolution,
  openedAt: new Date(row.opened_at).toISOString(),
});

const columnsOf = (s: RecordState) => ({
  customer_id: s.customerId,
  contact_id: s.contactId,
  product_id: s.productId,
  type: s.type,
  priority: s.priority,
  subject: s.subject,
  description: s.description,
  assignee: s.assignee,
  resolution: s.resolution,
  opened_at: new Date(s.openedAt),
});

/** The references of a write's rows, each read once for the whole write. */
interface Loaded {
  customers: CustomerReferences;
  products: { byId: Map<string, ProductRow>; bySku: Map<string, ProductRow> };
  contactOwners: Map<string, string>;
}

export interface ServiceRecordSettings {
  factors: Readonly<Record<string, number>>;
  futureToleranceDays: number;
}

/** After-sales service records: the one write path, the status flow and the SLA (docs/service.md). */
export class ServiceRecordService {
  constructor(
    private readonly knex: Knex,
    private readonly records: ServiceRecordRepository,
    private readonly customers: CustomerRepository,
    private readonly products: ProductRepository,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
    private readonly settings: ServiceRecordSettings,
  ) {}

  private notFound(id: string) {
    return new NotFoundError('service_record_not_found', { id });
  }

  private async read(id: string, trx?: Knex.Transaction): Promise<ServiceRecord> {
    const view = await this.records.view(id, trx);
    if (!view) throw this.notFound(id);
    return toServiceRecord(view, this.clock(), this.settings.factors);
  }

  async get(id: string): Promise<{ record: ServiceRecord; derived: string }> {
    if (!isUuid(id)) throw this.notFound(id);
    const record = await this.read(id);
    return { record, derived: derivedTag(record) };
  }

  async list(query: ServiceRecordListQuery) {
    const limit = query.limit ?? 50;
    const sort = query.sort ?? 'id';
    const after = query.cursor ? decodeCursor(query.cursor, sort) : undefined;
    const now = this.clock();
    const rows = await this.records.list(query, limit, now, after);
    return pageFrom(
      rows,
      limit,
      (row) => toServiceRecord(row, now, this.settings.factors),
      (row) => ({
        sort,
        value:
          sort === '-valueAtStake'
            ? row.value_at_stake === null
              ? null
              : Number(row.value_at_stake)
            : sort === '-openedAt'
              ? new Date(row.opened_at).toISOString()
              : null,
        id: row.id,
      }),
    );
  }

  private async load(items: Input[], alsoCustomerIds: string[], trx: Knex.Transaction): Promise<Loaded> {
    const customers = await CustomerReferences.load(this.customers, items, alsoCustomerIds, trx);
    const ids = items.flatMap((i) => (i.productId ? [i.productId] : []));
    const skus = items.flatMap((i) => (i.productSku ? [i.productSku] : []));
    const found = await this.products.findByIdsOrSkus(ids, skus, trx);
    const contactOwners = await this.records.contactOwners(
      items.flatMap((i) => (i.contactId ? [i.contactId] : [])),
      trx,
    );
    return {
      customers,
      products: { byId: new Map(found.map((p) => [p.id, p])), bySku: new Map(found.map((p) => [p.sku, p])) },
      contactOwners,
    };
  }

  /**
   * The state a row asks for on top of the stored one (null: a new record), or undefined with
   * its errors recorded. Pure planning: it reads only what `load` read.
   */
  private plan(
    place: RowPlace,
    item: Input,
    stored: ServiceRecordRow | null,
    loaded: Loaded,
    errors: RowErrors,
    now: Date,
  ): RecordState | undefined {
    let customerId = stored?.customer_id;
    if (item.customerId !== undefined || item.customerExternalId !== undefined) {
      const customer = loaded.customers.resolve(item, place, errors);
      if (!customer) return undefined;
      if (!keepsItsCustomer('service record', stored?.customer_id, customer.id, place, errors))
        return undefined;
      customerId = customer.id;
    }
    if (customerId === undefined) {
      errors.add(place, 'customerId', 'name_required', 'is required to create a service record');
      return undefined;
    }
    const base: RecordState = stored
      ? stateOf(stored)
      : {
          customerId,
          contactId: null,
          productId: null,
          type: '',
          priority: 'normal',
          subject: '',
          description: null,
          assignee: null,
          resolution: null,
          openedAt: now.toISOString(),
        };
    const next: RecordState = { ...base, customerId };
    for (const key of Object.keys(base) as Array<keyof RecordState>) {
      const value = (item as Record<string, unknown>)[key];
      if (value !== undefined && key !== 'customerId')
        (next as unknown as Record<string, unknown>)[key] = value;
    }
    if (!stored) {
      for (const field of ['type', 'subject'] as const)
        if (next[field] === '')
          errors.add(place, field, 'name_required', `is required to create a service record`);
    }
    if (item.productSku !== undefined) {
      const product = loaded.products.bySku.get(item.productSku);
      if (!product)
        errors.add(place, 'productSku', 'product_not_found', `no product has sku ${item.productSku}`);
      else next.productId = product.id;
    } else if (item.productId) {
      if (!loaded.products.byId.has(item.productId))
        errors.add(place, 'productId', 'product_not_found', `no product has id ${item.productId}`);
    }
    if (next.contactId !== null && next.contactId !== base.contactId) {
      if (loaded.contactOwners.get(next.contactId) !== customerId)
        errors.add(
          place,
          'contactId',
          'contact_not_of_customer',
          `contact ${next.contactId} is not a contact person of customer ${customerId}`,
        );
    }
    next.openedAt = new Date(next.openedAt).toISOString();
    if (item.openedAt !== undefined) {
      const problem = futureTimestampProblem(item.openedAt, { now, days: this.settings.futureToleranceDays });
      if (problem) errors.add(place, 'openedAt', DATE_IN_FUTURE, problem);
    }
    return next;
  }

  private event(
    type: EventDraft['type'],
    record: ServiceRecord,
    changes: EventDraft['changes'] = null,
  ): EventDraft {
    return { type, entityId: record.id, customerId: record.customerId, data: record, changes };
  }

  private newRow(id: string, state: RecordState, externalId: string | null, now: Date): ServiceRecordRow {
    return {
      id,
      external_id: externalId,
      ...columnsOf(state),
      status: 'open',
      first_response_at: null,
      resolved_at: null,
      closed_at: null,
      reopen_count: 0,
      version: 1,
      created_at: now,
      updated_at: now,
    };
  }

  async create(input: ServiceRecordCreate, actor: Actor): Promise<ServiceRecord> {
    const request = new RowErrors();
    checkOneCustomerReference(input, singleBody, request);
    if (input.productId !== undefined && input.productSku !== undefined)
      request.invalid(singleBody, 'productSku', 'give at most one of productId and productSku');
    request.throwIfAny();
    return this.knex.transaction(async (trx) => {
      if (input.externalId !== undefined) {
        const [taken] = await this.records.findRowsByExternalIds([input.externalId], trx);
        if (taken)
          throw new ConflictError('external_id_taken.service_record', { externalId: input.externalId });
      }
      const loaded = await this.load([input], [], trx);
      const errors = new RowErrors();
      const now = this.clock();
      const state = this.plan(singleBody, input, null, loaded, errors, now);
      errors.throwIfAny();
      const id = newId();
      await this.records.insert([this.newRow(id, state!, input.externalId ?? null, now)], trx);
      const record = await this.read(id, trx);
      await this.events.record([this.event('service_record.created', record)], actor, trx);
      return record;
    });
  }

  async patch(
    id: string,
    input: ServiceRecordPatch,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<ServiceRecord> {
    return this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.records.findRow(id, trx) : undefined;
      if (!row) throw this.notFound(id);
      ifMatch(row.version);
      const loaded = await this.load([input], [row.customer_id], trx);
      const errors = new RowErrors();
      const now = this.clock();
      const before = stateOf(row);
      const after = this.plan(singleBody, input, row, loaded, errors, now);
      errors.throwIfAny();
      const changes = fieldChanges(before, after!);
      if (changes.length === 0) return this.read(row.id, trx);
      if (!(await this.records.update(row.id, row.version, { ...columnsOf(after!), updated_at: now }, trx)))
        throw new PreconditionFailedError({}, 'precondition_failed.changed');
      const record = await this.read(row.id, trx);
      await this.events.record([this.event('service_record.updated', record, changes)], actor, trx);
      return record;
    });
  }

  async delete(id: string, ifMatch: (version: number) => number | undefined, actor: Actor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.records.findRow(id, trx) : undefined;
      if (!row) throw this.notFound(id);
      ifMatch(row.version);
      const record = await this.read(row.id, trx);
      await this.records.delete(row.id, trx);
      await this.events.record([this.event('service_record.deleted', record)], actor, trx);
    });
  }

  /** One move of the status flow, recorded in the history; an illegal move is 409 naming the allowed ones. */
  async transition(
    id: string,
    input: TransitionCreate,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<ServiceRecord> {
    return this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.records.findRow(id, trx) : undefined;
      if (!row) throw this.notFound(id);
      ifMatch(row.version);
      const from = row.status as ServiceStatus;
      const plan = planServiceMove(from, input.to, row.first_response_at !== null);
      if (!plan.ok)
        throw new IllegalTransitionError('illegal_transition', row.id, from, input.to, plan.allowed);
      const { move } = plan;
      const now = this.clock();
      const columns: Partial<ServiceRecordColumns> = { status: move.to, updated_at: now };
      if (move.setsFirstResponse) columns.first_response_at = now;
      if (move.setsResolved) columns.resolved_at = now;
      if (move.setsClosed) columns.closed_at = now;
      if (move.reopens) {
        columns.resolved_at = null;
        columns.closed_at = null;
        columns.reopen_count = row.reopen_count + 1;
      }
      if (input.resolution !== undefined) columns.resolution = input.resolution;
      const before = await this.read(row.id, trx);
      if (!(await this.records.update(row.id, row.version, columns, trx)))
        throw new PreconditionFailedError({}, 'precondition_failed.changed');
      const transition: TransitionRow = {
        id: newId(),
        service_record_id: row.id,
        from_status: from,
        to_status: move.to,
        note: input.note ?? null,
        at: now,
        actor_name: actor.name,
      };
      await this.records.addTransition(transition, trx);
      const record = await this.read(row.id, trx);
      const watched = (r: ServiceRecord) => ({
        status: r.status,
        firstResponseAt: r.firstResponseAt,
        resolvedAt: r.resolvedAt,
        closedAt: r.closedAt,
        reopenCount: r.reopenCount,
        resolution: r.resolution,
      });
      await this.events.record(
        [this.event('service_record.transitioned', record, fieldChanges(watched(before), watched(record)))],
        actor,
        trx,
      );
      return record;
    });
  }

  async transitions(id: string, query: { limit?: number; cursor?: string }) {
    if (!isUuid(id) || !(await this.records.view(id))) throw this.notFound(id);
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, 'id') : undefined;
    const rows = await this.records.transitions(id, limit, after);
    return pageFrom(
      rows,
      limit,
      (t) => ({
        id: t.id,
        from: t.from_status,
        to: t.to_status,
        note: t.note,
        at: new Date(t.at).toISOString(),
        actor: t.actor_name,
      }),
      (t) => ({ sort: 'id', value: null, id: t.id }),
    );
  }

  /** Upsert by externalId, the whole batch in one transaction or nothing (docs/api.md "Bulk"). */
  async batchUpsert(items: ServiceRecordBatchItem[], actor: Actor): Promise<BatchRowResult[]> {
    const request = new RowErrors();
    checkDuplicateKeys(items, (i) => i.externalId, 'externalId', request);
    items.forEach((item, index) => {
      if (item.customerId !== undefined && item.customerExternalId !== undefined)
        request.invalid(
          batchRow(index),
          'customerId',
          'give at most one of customerId and customerExternalId',
        );
      if (item.productId !== undefined && item.productSku !== undefined)
        request.invalid(batchRow(index), 'productSku', 'give at most one of productId and productSku');
    });
    request.throwIfAny();
    return this.knex.transaction(async (trx) => {
      const stored = await this.records.findRowsByExternalIds(
        items.map((i) => i.externalId),
        trx,
      );
      const byExternalId = new Map(stored.map((r) => [r.external_id!, r]));
      const loaded = await this.load(
        items,
        stored.map((r) => r.customer_id),
        trx,
      );
      const now = this.clock();
      const errors = new RowErrors();
      const plans = items.map((item, index) => {
        const row = byExternalId.get(item.externalId) ?? null;
        const after = this.plan(batchRow(index), item, row, loaded, errors, now);
        const before = row ? stateOf(row) : null;
        return { index, item, row, before, after };
      });
      errors.throwIfAny();
      const results: BatchRowResult[] = [];
      const inserts: ServiceRecordRow[] = [];
      const updates: Array<{ id: string; changes: EventDraft['changes'] }> = [];
      for (const plan of plans) {
        const after = plan.after!;
        if (!plan.row) {
          const id = newId();
          inserts.push(this.newRow(id, after, plan.item.externalId, now));
          results.push({ index: plan.index, id, externalId: plan.item.externalId, outcome: 'created' });
          continue;
        }
        const outcome = outcomeOf(plan.before, after);
        results.push({ index: plan.index, id: plan.row.id, externalId: plan.item.externalId, outcome });
        if (outcome !== 'updated') continue;
        if (
          !(await this.records.update(
            plan.row.id,
            plan.row.version,
            { ...columnsOf(after), updated_at: now },
            trx,
          ))
        )
          throw new PreconditionFailedError({}, 'precondition_failed.changed');
        updates.push({ id: plan.row.id, changes: fieldChanges(plan.before, after) });
      }
      await this.records.insert(inserts, trx);
      const views = new Map(
        (await this.records.views([...inserts.map((r) => r.id), ...updates.map((u) => u.id)], trx)).map(
          (v) => [v.id, toServiceRecord(v, now, this.settings.factors)],
        ),
      );
      const events: EventDraft[] = [
        ...inserts.map((r) => this.event('service_record.created', views.get(r.id)!)),
        ...updates.map((u) => this.event('service_record.updated', views.get(u.id)!, u.changes)),
      ];
      await this.events.record(events, actor, trx);
      return results;
    });
  }
}
