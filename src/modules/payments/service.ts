import type { Knex } from 'knex';
import { fieldChanges } from '../../domain/field-changes';
import { convertUnits, fromUnits, normalizeMoney, normalizeRate, toUnits } from '../../domain/money';
import { allocationBreaches, paymentDraftProblems } from '../../domain/receivables/payment-rules';
import { isUuid, newId } from '../../db/ids';
import { ConflictError, NotFoundError, UnprocessableError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { Actor } from '../events/actor';
import type { EventDraft, EventWriter } from '../events/event-writer';
import type { CustomerRepository } from '../customers/repository';
import type { CustomerService } from '../customers/service';
import type { OrderRepository } from '../orders/repository';
import { checkOneCustomerReference, CustomerReferences } from '../shared/batch/customer-references';
import { checkDuplicateKeys } from '../shared/batch/duplicate-keys';
import { outcomeOf, type Outcome } from '../shared/batch/outcome';
import { batchRow, RowErrors, singleBody, type RowPlace } from '../shared/batch/row-errors';
import type { ReceivablesReader } from './receivables';
import type { AllocationRow, PaymentRepository, PaymentRow, RefundRow } from './repository';
import type { Payment, PaymentCreate, PaymentListQuery, Refund, RefundCreate } from './schemas';

interface PaymentState {
  externalId: string | null;
  customerId: string;
  amount: string;
  currency: string;
  fxRate: string;
  receivedAt: string;
  method: string | null;
  reference: string | null;
  allocations: Array<{ orderId: string; amount: string }>;
}

interface RowInput extends PaymentCreate {
  place: RowPlace;
}

const iso = (value: Date | string) => new Date(value).toISOString();
const sortAllocations = (list: Array<{ orderId: string; amount: string }>) =>
  [...list].sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));

function stateOf(row: PaymentRow, allocations: AllocationRow[]): PaymentState {
  return {
    externalId: row.external_id,
    customerId: row.customer_id,
    amount: normalizeMoney(row.amount),
    currency: row.currency,
    fxRate: normalizeRate(row.fx_rate),
    receivedAt: iso(row.received_at),
    method: row.method,
    reference: row.reference,
    allocations: sortAllocations(
      allocations.map((a) => ({ orderId: a.order_id, amount: normalizeMoney(a.amount) })),
    ),
  };
}

function toRefund(row: RefundRow, currency: string): Refund {
  return {
    id: row.id,
    paymentId: row.payment_id,
    amount: normalizeMoney(row.amount),
    currency,
    refundedAt: iso(row.refunded_at),
    reason: row.reason,
    createdAt: iso(row.created_at),
  };
}

/**
 * Payments (receipts). Explicit allocations are stored; the rest of a payment is applied to the
 * customer's oldest open orders when receivables are read (domain/receivables), so a late
 * order, a cancellation or a refund never leaves a stale allocation behind. A payment larger
 * than what is owed is kept whole: the excess is `unapplied`, a credit balance.
 */
export class PaymentService {
  constructor(
    private readonly knex: Knex,
    private readonly payments: PaymentRepository,
    private readonly orders: OrderRepository,
    private readonly customerRefs: CustomerRepository,
    private readonly customers: CustomerService,
    private readonly events: EventWriter,
    private readonly receivables: ReceivablesReader,
    private readonly clock: () => Date,
    private readonly reportingCurrency: string,
  ) {}

  private notFound(id: string) {
    return new NotFoundError('payment_not_found', `No payment has id ${id}.`);
  }

  private async views(rows: PaymentRow[], trx?: Knex.Transaction): Promise<Payment[]> {
    const ids = rows.map((r) => r.id);
    const [allocations, refunds] = await Promise.all([
      this.payments.allocationsOf(ids, trx),
      this.payments.refundsOf(ids, trx),
    ]);
    return rows.map((row) => {
      const mine = refunds.filter((r) => r.payment_id === row.id);
      return {
        id: row.id,
        externalId: row.external_id,
        customerId: row.customer_id,
        amount: normalizeMoney(row.amount),
        currency: row.currency,
        fxRate: normalizeRate(row.fx_rate),
        reportingAmount: normalizeMoney(row.reporting_amount),
        reportingCurrency: this.reportingCurrency,
        receivedAt: iso(row.received_at),
        method: row.method,
        reference: row.reference,
        allocations: allocations
          .filter((a) => a.payment_id === row.id)
          .map((a) => ({ orderId: a.order_id, amount: normalizeMoney(a.amount) })),
        refunded: fromUnits(mine.reduce((sum, r) => sum + toUnits(r.amount), 0n)),
        refunds: mine.map((r) => toRefund(r, row.currency)),
        version: row.version,
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
      };
    });
  }

  async get(id: string, trx?: Knex.Transaction): Promise<Payment> {
    const row = isUuid(id) ? await this.payments.findById(id, trx) : undefined;
    if (!row) throw this.notFound(id);
    return (await this.views([row], trx))[0]!;
  }

  async getByExternalId(externalId: string): Promise<Payment> {
    const row = await this.payments.findByExternalId(externalId);
    if (!row) throw new NotFoundError('payment_not_found', `No payment has externalId ${externalId}.`);
    return (await this.views([row]))[0]!;
  }

  async list(query: PaymentListQuery) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, '-receivedAt') : undefined;
    const rows = await this.payments.list(query, limit, after);
    const views = await this.views(rows.slice(0, limit));
    const byId = new Map(views.map((v) => [v.id, v]));
    return pageFrom(
      rows,
      limit,
      (row) => byId.get(row.id)!,
      (row) => ({ sort: '-receivedAt', value: iso(row.received_at), id: row.id }),
    );
  }

  /** What the request alone decides (400). */
  private checkRequest(input: RowInput, errors: RowErrors): void {
    checkOneCustomerReference(input, input.place, errors);
    for (const p of paymentDraftProblems(input, this.reportingCurrency))
      errors.invalid(input.place, p.field, p.message);
  }

  /** Load, plan, persist: the one write path of payments (create and batch). */
  private async upsertRows(
    inputs: RowInput[],
    mode: 'create' | 'upsert',
    actor: Actor,
    trx: Knex.Transaction,
  ): Promise<Array<{ index: number; id: string; externalId: string | null; outcome: Outcome }>> {
    const externalIds = inputs.map((i) => i.externalId).filter((e): e is string => Boolean(e));
    const existingRows = await this.payments.findByExternalIds(externalIds, trx);
    if (mode === 'create' && existingRows.length > 0) {
      throw new ConflictError(
        'external_id_taken',
        `A payment with externalId ${existingRows[0]!.external_id} exists; use POST /v1/payments/batch to upsert.`,
      );
    }
    const existing = new Map(existingRows.map((r) => [r.external_id!, r]));
    const existingIds = existingRows.map((r) => r.id);
    const [existingAllocations, existingRefunds, customers, orderRows] = await Promise.all([
      this.payments.allocationsOf(existingIds, trx),
      this.payments.refundsOf(existingIds, trx),
      CustomerReferences.load(this.customerRefs, inputs, [], trx),
      this.orders.allocatable(
        [...new Set(inputs.flatMap((i) => (i.allocations ?? []).map((a) => a.orderId)))],
        trx,
      ),
    ]);
    const orders = new Map(
      orderRows.map((o) => [
        o.id,
        { customerId: o.customer_id, status: o.status, reportingAmount: o.reporting_amount },
      ]),
    );
    const errors = new RowErrors();
    const plans: Array<{
      input: RowInput;
      id: string;
      outcome: Outcome;
      before: PaymentState | null;
      state: PaymentState;
    }> = [];
    for (const input of inputs) {
      const customer = customers.resolve(input, input.place, errors);
      if (!customer) continue;
      if (input.fxRate === undefined && input.currency !== this.reportingCurrency) {
        errors.add(
          input.place,
          'fxRate',
          'fx_rate_required',
          `is required for currency ${input.currency} (reporting currency ${this.reportingCurrency})`,
        );
        continue;
      }
      const row = input.externalId ? existing.get(input.externalId) : undefined;
      const before = row
        ? stateOf(
            row,
            existingAllocations.filter((a) => a.payment_id === row.id),
          )
        : null;
      if (before && before.customerId !== customer.id) {
        errors.add(
          input.place,
          'customerId',
          'customer_mismatch',
          `the payment belongs to customer ${before.customerId}; it cannot move`,
        );
        continue;
      }
      const state: PaymentState = {
        externalId: input.externalId ?? null,
        customerId: customer.id,
        amount: normalizeMoney(input.amount),
        currency: input.currency,
        fxRate: input.fxRate !== undefined ? normalizeRate(input.fxRate) : '1',
        receivedAt: iso(input.receivedAt),
        method: input.method !== undefined ? input.method : (before?.method ?? null),
        reference: input.reference !== undefined ? input.reference : (before?.reference ?? null),
        allocations:
          input.allocations !== undefined
            ? sortAllocations(
                input.allocations.map((a) => ({ orderId: a.orderId, amount: normalizeMoney(a.amount) })),
              )
            : (before?.allocations ?? []),
      };
      const refunded = row
        ? existingRefunds
            .filter((r) => r.payment_id === row.id)
            .reduce((sum, r) => sum + toUnits(r.reporting_amount), 0n)
        : 0n;
      const breaches = allocationBreaches(
        { ...input, fxRate: state.fxRate },
        customer.id,
        orders,
        refunded,
        this.reportingCurrency,
      );
      for (const b of breaches) errors.add(input.place, b.field, b.code, b.message);
      if (breaches.length > 0) continue;
      plans.push({ input, id: row?.id ?? newId(), outcome: outcomeOf(before, state), before, state });
    }
    errors.throwIfAny();

    const now = this.clock();
    const columns = (s: PaymentState) => ({
      external_id: s.externalId,
      customer_id: s.customerId,
      amount: s.amount,
      currency: s.currency,
      fx_rate: s.fxRate,
      received_at: s.receivedAt,
      method: s.method,
      reference: s.reference,
      updated_at: now,
    });
    const created = plans.filter((p) => p.outcome === 'created');
    const updated = plans.filter((p) => p.outcome === 'updated');
    await this.payments.insert(
      created.map((p) => ({ id: p.id, ...columns(p.state), created_at: now })),
      trx,
    );
    for (const p of updated) await this.payments.update(p.id, columns(p.state), trx);
    const rewritten = [...created, ...updated.filter((p) => p.input.allocations !== undefined)];
    await this.payments.replaceAllocations(
      updated.filter((p) => p.input.allocations !== undefined).map((p) => p.id),
      rewritten.flatMap((p) =>
        p.state.allocations.map((a) => ({ payment_id: p.id, order_id: a.orderId, amount: a.amount })),
      ),
      trx,
    );
    const written = [...created, ...updated];
    const views = new Map(
      (
        await this.views(
          await this.payments.findByIds(
            written.map((p) => p.id),
            trx,
          ),
          trx,
        )
      ).map((v) => [v.id, v]),
    );
    const events: EventDraft[] = written.map((p) => ({
      type: p.before ? 'payment.updated' : 'payment.created',
      entityId: p.id,
      customerId: p.state.customerId,
      data: views.get(p.id),
      changes: p.before ? fieldChanges(p.before, p.state) : null,
    }));
    await this.events.record(events, actor, trx);
    return plans.map((p) => ({
      index: p.input.place.index,
      id: p.id,
      externalId: p.state.externalId,
      outcome: p.outcome,
    }));
  }

  async create(input: PaymentCreate, actor: Actor): Promise<Payment> {
    const row: RowInput = { ...input, place: singleBody };
    const errors = new RowErrors();
    this.checkRequest(row, errors);
    errors.throwIfAny();
    return this.knex.transaction(async (trx) => {
      const [result] = await this.upsertRows([row], 'create', actor, trx);
      return this.get(result!.id, trx);
    });
  }

  async batchUpsert(
    items: Array<PaymentCreate & { externalId: string }>,
    actor: Actor,
    outer?: Knex.Transaction,
  ) {
    const inputs: RowInput[] = items.map((item, index) => ({ ...item, place: batchRow(index) }));
    const errors = new RowErrors();
    for (const input of inputs) this.checkRequest(input, errors);
    checkDuplicateKeys(items, (item) => item.externalId, 'externalId', errors);
    errors.throwIfAny();
    // One transaction for the whole batch: the caller's (an import commits its progress in it), or a new one.
    const work = (trx: Knex.Transaction) => this.upsertRows(inputs, 'upsert', actor, trx);
    const results = await (outer ? work(outer) : this.knex.transaction(work));
    return results.map((r) => ({ ...r, externalId: r.externalId ?? '' }));
  }

  /**
   * A refund gives part of a payment back: at most what is neither refunded already nor
   * explicitly allocated (reporting currency). The orders it had settled open again.
   */
  async refund(paymentId: string, input: RefundCreate, actor: Actor): Promise<Refund> {
    return this.knex.transaction(async (trx) => {
      const row = isUuid(paymentId) ? await this.payments.findById(paymentId, trx, true) : undefined;
      if (!row) throw this.notFound(paymentId);
      const amount = toUnits(input.amount);
      const errors = new RowErrors();
      if (amount === 0n) errors.invalid(singleBody, 'amount', 'must be greater than 0');
      errors.throwIfAny();
      const [refunds, allocations] = await Promise.all([
        this.payments.refundsOf([row.id], trx),
        this.payments.allocationsOf([row.id], trx),
      ]);
      const reporting = convertUnits(amount, row.fx_rate);
      const refunded = refunds.reduce((sum, r) => sum + toUnits(r.reporting_amount), 0n);
      const allocated = allocations.reduce((sum, a) => sum + toUnits(a.amount), 0n);
      const available = toUnits(row.reporting_amount) - refunded - allocated;
      if (reporting > available) {
        throw new UnprocessableError(
          'refund_exceeds_payment',
          `At most ${fromUnits(available)} ${this.reportingCurrency} of this payment can be refunded (the rest is refunded already or explicitly allocated).`,
        );
      }
      const now = this.clock();
      const refund = await this.payments.insertRefund(
        {
          id: newId(),
          payment_id: row.id,
          amount: normalizeMoney(input.amount),
          reporting_amount: fromUnits(reporting),
          refunded_at: input.refundedAt ?? now,
          reason: input.reason ?? null,
          created_at: now,
        },
        trx,
      );
      await this.payments.update(row.id, { updated_at: now }, trx);
      const [payment] = await this.views(await this.payments.findByIds([row.id], trx), trx);
      await this.events.record(
        [
          {
            type: 'payment.refunded',
            entityId: row.id,
            customerId: row.customer_id,
            data: payment,
            changes: [
              { field: 'refunds', from: null, to: { id: refund.id, amount: normalizeMoney(input.amount) } },
            ],
          },
        ],
        actor,
        trx,
      );
      return toRefund(refund, row.currency);
    });
  }

  async receivablesOf(customerId: string) {
    const customer = await this.customers.requireLive(customerId);
    const { summary, asOfDay } = await this.receivables.summary(customer.id, this.clock());
    return this.receivables.view(customer.id, summary, asOfDay);
  }
}
