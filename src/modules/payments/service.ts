import { assertUniqueExternalIds } from '../../http/batch-rows';
import type { Knex } from 'knex';
import { convertUnits, fromUnits, normalizeMoney, normalizeRate, toUnits } from '../../domain/money';
import { isUuid, newId } from '../../db/ids';
import {
  ConflictError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
  type FieldError,
} from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { Actor } from '../audit/actor';
import { fieldChanges } from '../audit/field-changes';
import type { AuditEntry, AuditRepository } from '../audit/repository';
import type { CustomerService } from '../customers/service';
import type { OrderRepository } from '../orders/repository';
import type { ReceivablesReader } from './receivables';
import type { AllocationRow, PaymentRepository, PaymentRow, RefundRow } from './repository';
import type { Payment, PaymentCreate, PaymentListQuery, Refund, RefundCreate } from './schemas';

export type Outcome = 'created' | 'updated' | 'unchanged';

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
  index: number;
  path: string;
}

interface RowError extends FieldError {
  code: string;
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
    private readonly customers: CustomerService,
    private readonly audit: AuditRepository,
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

  private checkShape(input: RowInput): FieldError[] {
    const errors: FieldError[] = [];
    const at = (field: string, message: string) =>
      errors.push({ index: input.index, path: `${input.path}/${field}`, message });
    if ((input.customerId === undefined) === (input.customerExternalId === undefined)) {
      at('customerId', 'give exactly one of customerId and customerExternalId');
    }
    if (toUnits(input.amount) === 0n) at('amount', 'must be greater than 0');
    if (input.fxRate !== undefined) {
      const rate = normalizeRate(input.fxRate);
      if (rate === '0') at('fxRate', 'must be greater than 0');
      if (input.currency === this.reportingCurrency && rate !== '1') {
        at('fxRate', `must be 1 (or absent) for the reporting currency ${this.reportingCurrency}`);
      }
    }
    const seen = new Set<string>();
    input.allocations?.forEach((a, j) => {
      if (seen.has(a.orderId)) at(`allocations/${j}/orderId`, 'names the same order twice');
      seen.add(a.orderId);
      if (toUnits(a.amount) === 0n) at(`allocations/${j}/amount`, 'must be greater than 0');
    });
    return errors;
  }

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
    const [existingAllocations, existingRefunds] = await Promise.all([
      this.payments.allocationsOf(existingIds, trx),
      this.payments.refundsOf(existingIds, trx),
    ]);
    const customers = await this.orders.resolveCustomers(
      inputs.map((i) => i.customerId).filter((v): v is string => Boolean(v)),
      inputs.map((i) => i.customerExternalId).filter((v): v is string => Boolean(v)),
      trx,
    );
    const customerById = new Map(customers.map((c) => [c.id, c]));
    const customerByExternalId = new Map(
      customers.filter((c) => c.external_id).map((c) => [c.external_id!, c]),
    );
    const orderRows = await this.payments.ordersFor(
      [...new Set(inputs.flatMap((i) => (i.allocations ?? []).map((a) => a.orderId)))],
      trx,
    );
    const orderById = new Map(orderRows.map((o) => [o.id, o]));

    const errors: RowError[] = [];
    const plans: Array<{
      input: RowInput;
      id: string;
      outcome: Outcome;
      before: PaymentState | null;
      state: PaymentState;
    }> = [];
    for (const input of inputs) {
      const at = (code: string, field: string, message: string) =>
        errors.push({ code, index: input.index, path: `${input.path}/${field}`, message });
      const customer =
        input.customerId !== undefined
          ? customerById.get(input.customerId)
          : customerByExternalId.get(input.customerExternalId!);
      if (!customer || customer.deleted_at) {
        const named =
          input.customerId !== undefined
            ? `id ${input.customerId}`
            : `externalId ${input.customerExternalId}`;
        at(
          'customer_not_found',
          input.customerId !== undefined ? 'customerId' : 'customerExternalId',
          `no customer has ${named}`,
        );
        continue;
      }
      if (input.fxRate === undefined && input.currency !== this.reportingCurrency) {
        at(
          'fx_rate_required',
          'fxRate',
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
        at(
          'customer_mismatch',
          'customerId',
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
      let allocated = 0n;
      let bad = false;
      (input.allocations ?? []).forEach((a, j) => {
        const order = orderById.get(a.orderId);
        const amount = toUnits(a.amount);
        allocated += amount;
        if (!order || order.customer_id !== customer.id) {
          at(
            'order_not_found',
            `allocations/${j}/orderId`,
            `customer ${customer.id} has no order ${a.orderId}`,
          );
          bad = true;
        } else if (order.status !== 'placed' && order.status !== 'shipped') {
          at('order_not_open', `allocations/${j}/orderId`, `order ${a.orderId} is ${order.status}`);
          bad = true;
        } else if (amount > toUnits(order.reporting_amount)) {
          at(
            'allocation_exceeds_order',
            `allocations/${j}/amount`,
            `exceeds the order's ${normalizeMoney(order.reporting_amount)}`,
          );
          bad = true;
        }
      });
      if (bad) continue;
      const refunded = row
        ? existingRefunds
            .filter((r) => r.payment_id === row.id)
            .reduce((sum, r) => sum + toUnits(r.reporting_amount), 0n)
        : 0n;
      const available = convertUnits(toUnits(state.amount), state.fxRate) - refunded;
      if (input.allocations !== undefined && allocated > available) {
        at(
          'allocation_exceeds_payment',
          'allocations',
          `add up to ${fromUnits(allocated)}, more than the payment's ${fromUnits(available)} (${this.reportingCurrency})`,
        );
        continue;
      }
      const outcome: Outcome = !before
        ? 'created'
        : JSON.stringify(before) === JSON.stringify(state)
          ? 'unchanged'
          : 'updated';
      plans.push({ input, id: row?.id ?? newId(), outcome, before, state });
    }
    if (errors.length > 0) {
      const codes = [...new Set(errors.map((e) => e.code))];
      throw new UnprocessableError(
        codes.length === 1 ? codes[0]! : 'invalid_rows',
        errors.map((e) => `${e.path} ${e.message}`).join('; '),
        errors.map(({ code: _code, ...rest }) => rest),
      );
    }

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
    const entry = (p: (typeof plans)[number], action: string): AuditEntry => ({
      entityType: 'payment',
      entityId: p.id,
      action,
      actorKeyId: actor.keyId,
      actorName: actor.name,
      requestId: actor.requestId,
      changes: action === 'created' ? [] : fieldChanges(p.before, p.state),
      at: now,
    });
    await this.audit.record(
      [...created.map((p) => entry(p, 'created')), ...updated.map((p) => entry(p, 'updated'))],
      trx,
    );
    return plans.map((p) => ({
      index: p.input.index,
      id: p.id,
      externalId: p.state.externalId,
      outcome: p.outcome,
    }));
  }

  async create(input: PaymentCreate, actor: Actor): Promise<Payment> {
    const row: RowInput = { ...input, index: 0, path: 'body' };
    const errors = this.checkShape(row);
    if (errors.length)
      throw new ValidationError(errors.map((e) => `${e.path} ${e.message}`).join('; '), errors);
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
    const inputs = items.map((item, index) => ({ ...item, index, path: `body/items/${index}` }));
    const errors = inputs.flatMap((i) => this.checkShape(i));
    if (errors.length)
      throw new ValidationError(errors.map((e) => `${e.path} ${e.message}`).join('; '), errors);
    assertUniqueExternalIds(items, 'body/items/');
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
      if (amount === 0n)
        throw new ValidationError('body/amount must be greater than 0', [
          { path: 'body/amount', message: 'must be greater than 0' },
        ]);
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
      await this.audit.record(
        [
          {
            entityType: 'payment',
            entityId: row.id,
            action: 'refunded',
            actorKeyId: actor.keyId,
            actorName: actor.name,
            requestId: actor.requestId,
            changes: [
              { field: 'refunds', old: null, new: { id: refund.id, amount: normalizeMoney(input.amount) } },
            ],
            at: now,
          },
        ],
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
