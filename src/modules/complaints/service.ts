import type { Knex } from 'knex';
import { isUuid, newId } from '../../db/ids';
import { DATE_IN_FUTURE, futureTimestampProblem } from '../../domain/date-limits';
import { fieldChanges } from '../../domain/field-changes';
import { renderTemplate } from '../../domain/service/answer-template';
import {
  COMPLAINT_MOVES,
  complaintNumber,
  planComplaintMove,
  type ComplaintStatus,
} from '../../domain/service/complaint-status';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { CustomerRepository } from '../customers/repository';
import type { Actor } from '../events/actor';
import type { EventDraft, EventWriter } from '../events/event-writer';
import type { ProductRepository, ProductRow } from '../products/repository';
import { IllegalTransitionError } from '../service-records/illegal-transition';
import { checkOneCustomerReference, CustomerReferences } from '../shared/batch/customer-references';
import { RowErrors, singleBody } from '../shared/batch/row-errors';
import type { CategoryRepository } from './category-repository';
import type { ComplaintRepository, ComplaintRow, ComplaintView } from './repository';
import type { Complaint, ComplaintCreate, ComplaintListQuery, ComplaintPatch } from './schemas';

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

export function toComplaint(row: ComplaintView): Complaint {
  return {
    id: row.id,
    number: row.number,
    externalId: row.external_id,
    customerId: row.customer_id,
    categoryId: row.category_id,
    productId: row.product_id,
    serviceRecordId: row.service_record_id,
    orderId: row.order_id,
    severity: row.severity,
    status: row.status,
    allowedTransitions: [...COMPLAINT_MOVES[row.status as ComplaintStatus]],
    subject: row.subject,
    description: row.description,
    owner: row.owner,
    resolution: row.resolution,
    standardAnswer: row.standard_answer,
    reopenCount: row.reopen_count,
    filedAt: new Date(row.filed_at).toISOString(),
    resolvedAt: iso(row.resolved_at),
    closedAt: iso(row.closed_at),
    valueAtStake: row.value_at_stake === null ? null : Number(row.value_at_stake),
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Complaints: filed with their category's answer rendered, numbered, walked to resolution (docs/service.md). */
export class ComplaintService {
  constructor(
    private readonly knex: Knex,
    private readonly complaints: ComplaintRepository,
    private readonly categories: CategoryRepository,
    private readonly customers: CustomerRepository,
    private readonly products: ProductRepository,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
    private readonly futureToleranceDays: number,
  ) {}

  private notFound(id: string) {
    return new NotFoundError('complaint_not_found', { id });
  }

  private async read(id: string, trx?: Knex.Transaction): Promise<Complaint> {
    const view = await this.complaints.view(id, trx);
    if (!view) throw this.notFound(id);
    return toComplaint(view);
  }

  private event(
    type: EventDraft['type'],
    complaint: Complaint,
    changes: EventDraft['changes'] = null,
  ): EventDraft {
    return { type, entityId: complaint.id, customerId: complaint.customerId, data: complaint, changes };
  }

  async get(id: string): Promise<Complaint> {
    if (!isUuid(id)) throw this.notFound(id);
    return this.read(id);
  }

  async list(query: ComplaintListQuery) {
    const limit = query.limit ?? 50;
    const sort = query.sort ?? 'id';
    const after = query.cursor ? decodeCursor(query.cursor, sort) : undefined;
    const rows = await this.complaints.list(query, limit, after);
    return pageFrom(rows, limit, toComplaint, (row) => ({
      sort,
      value:
        sort === '-valueAtStake'
          ? row.value_at_stake === null
            ? null
            : Number(row.value_at_stake)
          : sort === '-filedAt'
            ? new Date(row.filed_at).toISOString()
            : null,
      id: row.id,
    }));
  }

  /** The links of a complaint must belong to its customer (an order or a service record of another is refused). */
  private async checkLinks(
    customerId: string,
    links: { serviceRecordId?: string | null; orderId?: string | null },
    errors: RowErrors,
    trx: Knex.Transaction,
  ): Promise<void> {
    const checks = [
      ['serviceRecordId', 'service_records', 'service record', 'service_record_not_found'],
      ['orderId', 'orders', 'order', 'order_not_found'],
    ] as const;
    for (const [field, table, what, code] of checks) {
      const id = links[field];
      if (id === undefined || id === null) continue;
      const owner = await this.complaints.ownerOf(table, id, trx);
      if (owner !== customerId)
        errors.add(singleBody, field, code, `customer ${customerId} has no ${what} ${id}`);
    }
  }

  private async product(
    productId: string | null | undefined,
    productSku: string | undefined,
    errors: RowErrors,
    trx: Knex.Transaction,
  ): Promise<ProductRow | null | undefined> {
    if (productSku === undefined && (productId === undefined || productId === null)) return null;
    const [found] = await this.products.findByIdsOrSkus(
      productId ? [productId] : [],
      productSku ? [productSku] : [],
      trx,
    );
    if (found) return found;
    if (productSku !== undefined)
      errors.add(singleBody, 'productSku', 'product_not_found', `no product has sku ${productSku}`);
    else errors.add(singleBody, 'productId', 'product_not_found', `no product has id ${productId}`);
    return undefined;
  }

  async create(input: ComplaintCreate, actor: Actor): Promise<Complaint> {
    const request = new RowErrors();
    checkOneCustomerReference(input, singleBody, request);
    if (input.productId !== undefined && input.productSku !== undefined)
      request.invalid(singleBody, 'productSku', 'give at most one of productId and productSku');
    request.throwIfAny();
    return this.knex.transaction(async (trx) => {
      if (input.externalId !== undefined && (await this.complaints.findByExternalId(input.externalId, trx)))
        throw new ConflictError('external_id_taken.complaint', { externalId: input.externalId });
      const errors = new RowErrors();
      const refs = await CustomerReferences.load(this.customers, [input], [], trx);
      const ref = refs.resolve(input, singleBody, errors);
      const category = await this.categories.findById(input.categoryId, trx);
      if (!category)
        errors.add(
          singleBody,
          'categoryId',
          'complaint_category_not_found',
          `no complaint category has id ${input.categoryId}`,
        );
      const product = await this.product(input.productId, input.productSku, errors, trx);
      if (ref) await this.checkLinks(ref.id, input, errors, trx);
      const now = this.clock();
      if (input.filedAt !== undefined) {
        const problem = futureTimestampProblem(input.filedAt, { now, days: this.futureToleranceDays });
        if (problem) errors.add(singleBody, 'filedAt', DATE_IN_FUTURE, problem);
      }
      errors.throwIfAny();
      const customer = (await this.complaints.customerFacts(ref!.id, trx))!;
      const filedAt = input.filedAt === undefined ? now : new Date(input.filedAt);
      const number = complaintNumber(filedAt.getUTCFullYear(), await this.complaints.nextNumber(trx));
      const owner = input.owner === undefined ? customer.owner : input.owner;
      const standardAnswer = renderTemplate(category!.standard_answer, {
        'customer.name': customer.name,
        'customer.externalId': customer.external_id,
        'complaint.number': number,
        'complaint.subject': input.subject,
        'complaint.severity': input.severity,
        'complaint.filedAt': filedAt.toISOString().slice(0, 10),
        'owner.name': owner,
        'category.name': category!.name,
        'product.name': product?.name ?? null,
        'product.sku': product?.sku ?? null,
      });
      const id = newId();
      const row: ComplaintRow = {
        id,
        number,
        external_id: input.externalId ?? null,
        customer_id: customer.id,
        category_id: category!.id,
        product_id: product?.id ?? null,
        service_record_id: input.serviceRecordId ?? null,
        order_id: input.orderId ?? null,
        severity: input.severity,
        status: 'open',
        subject: input.subject,
        description: input.description ?? null,
        owner,
        resolution: null,
        standard_answer: standardAnswer,
        reopen_count: 0,
        filed_at: filedAt,
        resolved_at: null,
        closed_at: null,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await this.complaints.insert(row, trx);
      const complaint = await this.read(id, trx);
      await this.events.record([this.event('complaint.created', complaint)], actor, trx);
      return complaint;
    });
  }

  async patch(
    id: string,
    input: ComplaintPatch,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<Complaint> {
    return this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.complaints.findRow(id, trx) : undefined;
      if (!row) throw this.notFound(id);
      ifMatch(row.version);
      const now = this.clock();
      const columns: Partial<ComplaintRow> = {};
      if (input.status !== undefined && input.status !== row.status) {
        const from = row.status as ComplaintStatus;
        const plan = planComplaintMove(from, input.status);
        if (!plan.ok)
          throw new IllegalTransitionError(
            'illegal_transition.complaint',
            row.id,
            from,
            input.status,
            plan.allowed,
          );
        columns.status = input.status;
        if (input.status === 'resolved') columns.resolved_at = now;
        if (input.status === 'closed') {
          columns.closed_at = now;
          if (row.resolved_at === null) columns.resolved_at = now;
        }
        if (plan.reopens) {
          columns.reopen_count = row.reopen_count + 1;
          columns.resolved_at = null;
          columns.closed_at = null;
        }
      }
      const errors = new RowErrors();
      if (input.productId !== undefined && input.productId !== row.product_id) {
        const product = await this.product(input.productId, undefined, errors, trx);
        if (product !== undefined) columns.product_id = product?.id ?? null;
      }
      await this.checkLinks(row.customer_id, input, errors, trx);
      errors.throwIfAny();
      const plain = {
        severity: 'severity',
        subject: 'subject',
        description: 'description',
        owner: 'owner',
        resolution: 'resolution',
        serviceRecordId: 'service_record_id',
        orderId: 'order_id',
      } as const;
      for (const [field, column] of Object.entries(plain) as Array<
        [keyof typeof plain, (typeof plain)[keyof typeof plain]]
      >) {
        const value = input[field];
        if (value !== undefined && value !== row[column])
          (columns as Record<string, unknown>)[column] = value;
      }
      if (Object.keys(columns).length === 0) return this.read(row.id, trx);
      const before = await this.read(row.id, trx);
      if (!(await this.complaints.update(row.id, row.version, { ...columns, updated_at: now }, trx)))
        throw new PreconditionFailedError({}, 'precondition_failed.changed');
      const complaint = await this.read(row.id, trx);
      const { updatedAt: _a, version: _b, allowedTransitions: _c, ...was } = before;
      const { updatedAt: _d, version: _e, allowedTransitions: _f, ...is } = complaint;
      await this.events.record(
        [this.event('complaint.updated', complaint, fieldChanges(was, is))],
        actor,
        trx,
      );
      return complaint;
    });
  }

  async delete(id: string, ifMatch: (version: number) => number | undefined, actor: Actor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.complaints.findRow(id, trx) : undefined;
      if (!row) throw this.notFound(id);
      ifMatch(row.version);
      const complaint = await this.read(row.id, trx);
      await this.complaints.delete(row.id, trx);
      await this.events.record([this.event('complaint.deleted', complaint)], actor, trx);
    });
  }
}
