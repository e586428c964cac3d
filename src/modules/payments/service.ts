import type { Knex } from 'knex';
import { DATE_IN_FUTURE, futureTimestampProblem } from '../../domain/date-limits';
import { convertUnits, fromUnits, normalizeMoney, toUnits } from '../../domain/money';
import { paymentDraftProblems } from '../../domain/receivables/payment-rules';
import { isUuid, newId } from '../../db/ids';
import { NotFoundError, UnprocessableError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { Actor } from '../events/actor';
import type { EventWriter } from '../events/event-writer';
import type { CustomerRepository } from '../customers/repository';
import type { CustomerService } from '../customers/service';
import type { OrderRepository } from '../orders/repository';
import { checkOneCustomerReference } from '../shared/batch/customer-references';
import { checkDuplicateKeys } from '../shared/batch/duplicate-keys';
import { batchRow, RowErrors, singleBody } from '../shared/batch/row-errors';
import { iso, PaymentViews, toRefund } from './payment-views';
import { PaymentWriter, type RowInput } from './payment-writer';
import type { ReceivablesReader } from './receivables';
import type { PaymentRepository } from './repository';
import type { Payment, PaymentCreate, PaymentListQuery, Refund, RefundCreate } from './schemas';

/**
 * Payments (receipts). Explicit allocations are stored; the rest of a payment is applied to the
 * customer's oldest open orders when receivables are read (domain/receivables), so a late
 * order, a cancellation or a refund never leaves a stale allocation behind. A payment larger
 * than what is owed is kept whole: the excess is `unapplied`, a credit balance.
 */
export class PaymentService {
  private readonly views: PaymentViews;
  private readonly writer: PaymentWriter;

  constructor(
    private readonly knex: Knex,
    private readonly payments: PaymentRepository,
    orders: OrderRepository,
    customerRefs: CustomerRepository,
    private readonly customers: CustomerService,
    private readonly events: EventWriter,
    private readonly receivables: ReceivablesReader,
    private readonly clock: () => Date,
    private readonly reportingCurrency: string,
    /** Days a receivedAt or refundedAt may lie ahead of the clock (FUTURE_DATE_TOLERANCE_DAYS). */
    private readonly futureToleranceDays: number,
  ) {
    this.views = new PaymentViews(payments, reportingCurrency);
    this.writer = new PaymentWriter(
      payments,
      orders,
      customerRefs,
      events,
      this.views,
      clock,
      reportingCurrency,
      futureToleranceDays,
    );
  }

  private notFound(id: string) {
    return new NotFoundError('payment_not_found', { id });
  }

  async get(id: string, trx?: Knex.Transaction): Promise<Payment> {
    const row = isUuid(id) ? await this.payments.findById(id, trx) : undefined;
    if (!row) throw this.notFound(id);
    return (await this.views.of([row], trx))[0]!;
  }

  async getByExternalId(externalId: string): Promise<Payment> {
    const row = await this.payments.findByExternalId(externalId);
    if (!row) throw new NotFoundError('payment_not_found.external_id', { externalId });
    return (await this.views.of([row]))[0]!;
  }

  async list(query: PaymentListQuery) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, '-receivedAt') : undefined;
    const rows = await this.payments.list(query, limit, after);
    const views = await this.views.of(rows.slice(0, limit));
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

  async create(input: PaymentCreate, actor: Actor): Promise<Payment> {
    const row: RowInput = { ...input, place: singleBody };
    const errors = new RowErrors();
    this.checkRequest(row, errors);
    errors.throwIfAny();
    return this.knex.transaction(async (trx) => {
      const [result] = await this.writer.upsertRows([row], 'create', actor, trx);
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
    const work = (trx: Knex.Transaction) => this.writer.upsertRows(inputs, 'upsert', actor, trx);
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
      const tooLate =
        input.refundedAt !== undefined
          ? futureTimestampProblem(input.refundedAt, { now: this.clock(), days: this.futureToleranceDays })
          : undefined;
      if (tooLate) errors.add(singleBody, 'refundedAt', DATE_IN_FUTURE, tooLate);
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
        throw new UnprocessableError('refund_exceeds_payment', {
          amount: fromUnits(available),
          currency: this.reportingCurrency,
        });
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
      const [payment] = await this.views.of(await this.payments.findByIds([row.id], trx), trx);
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
