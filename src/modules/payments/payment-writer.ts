import type { Knex } from 'knex';
import { DATE_IN_FUTURE, futureTimestampProblem } from '../../domain/date-limits';
import { fieldChanges } from '../../domain/field-changes';
import { normalizeMoney, normalizeRate, toUnits } from '../../domain/money';
import { allocationBreaches } from '../../domain/receivables/payment-rules';
import { newId } from '../../db/ids';
import { ConflictError } from '../../http/http-errors';
import type { Actor } from '../events/actor';
import type { EventDraft, EventWriter } from '../events/event-writer';
import type { CustomerRepository } from '../customers/repository';
import type { OrderRepository } from '../orders/repository';
import { CustomerReferences, keepsItsCustomer } from '../shared/batch/customer-references';
import { outcomeOf, type Outcome } from '../shared/batch/outcome';
import { RowErrors, type RowPlace } from '../shared/batch/row-errors';
import { iso, sortAllocations, stateOf, type PaymentState, type PaymentViews } from './payment-views';
import type { PaymentRepository } from './repository';
import type { PaymentCreate } from './schemas';
import type { PaymentInsert } from './table';

/** A payment as a request names it, with where it sits in the body (for error paths). */
export interface RowInput extends PaymentCreate {
  place: RowPlace;
}

/** The payments' write path (docs/design.md, "The one write path"), shared by create and batch. */
export class PaymentWriter {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly orders: OrderRepository,
    private readonly customerRefs: CustomerRepository,
    private readonly events: EventWriter,
    private readonly views: PaymentViews,
    private readonly clock: () => Date,
    private readonly reportingCurrency: string,
    /** Days a receivedAt may lie ahead of the clock (FUTURE_DATE_TOLERANCE_DAYS). */
    private readonly futureToleranceDays: number,
  ) {}

  /** Load, plan, persist: the one write path of payments (create and batch). */
  async upsertRows(
    inputs: RowInput[],
    mode: 'create' | 'upsert',
    actor: Actor,
    trx: Knex.Transaction,
  ): Promise<Array<{ index: number; id: string; externalId: string | null; outcome: Outcome }>> {
    // Load: the payments the rows name (locked), their allocations and refunds, customers, orders.
    const externalIds = inputs.map((i) => i.externalId).filter((e): e is string => Boolean(e));
    const existingRows = await this.payments.findByExternalIds(externalIds, trx);
    if (mode === 'create' && existingRows.length > 0) {
      throw new ConflictError('external_id_taken.payment', {
        externalId: String(existingRows[0]!.external_id),
      });
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
    // Plan: each row's state and outcome, or its errors.
    const errors = new RowErrors();
    const future = { now: this.clock(), days: this.futureToleranceDays };
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
      if (!keepsItsCustomer('payment', before?.customerId, customer.id, input.place, errors)) continue;
      // Only a new date is judged: resending a stored payment unchanged stays possible.
      const tooLate =
        iso(input.receivedAt) !== before?.receivedAt
          ? futureTimestampProblem(input.receivedAt, future)
          : undefined;
      if (tooLate) {
        errors.add(input.place, 'receivedAt', DATE_IN_FUTURE, tooLate);
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

    // Persist: new payments in one insert, changed ones one by one, then the allocations.
    const now = this.clock();
    const columns = (s: PaymentState): Omit<PaymentInsert, 'id' | 'created_at' | 'version'> => ({
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
        await this.views.of(
          await this.payments.findByIds(
            written.map((p) => p.id),
            trx,
          ),
          trx,
        )
      ).map((v) => [v.id, v]),
    );
    // Events last, each with the payment as GET now answers it.
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
}
