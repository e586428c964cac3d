import type { Knex } from 'knex';
import { pushesPastLimit } from '../../domain/credit';
import { toUnits } from '../../domain/money';
import { planOrder, type OrderDraft } from '../../domain/orders/order-plan';
import { newId } from '../../db/ids';
import { fieldChanges } from '../../domain/field-changes';
import type { Actor } from '../events/actor';
import type { EventDraft, EventWriter } from '../events/event-writer';
import type { CreditRepository } from '../credit/repository';
import type { CustomerRef, CustomerRepository } from '../customers/repository';
import type { ProductRepository, ProductRow } from '../products/repository';
import {
  CustomerReferences,
  keepsItsCustomer,
  type CustomerReference,
} from '../shared/batch/customer-references';
import { outcomeOf, type Outcome } from '../shared/batch/outcome';
import { RowErrors, type RowPlace } from '../shared/batch/row-errors';
import { isCrossRegion } from './cross-region';
import {
  DEFAULT_TERMS,
  reportingUnits,
  stateOf,
  toOrder,
  writeOf,
  writtenRow,
  type OrderState,
} from './order-state';
import type { LineRow, LineWrite, OrderRepository, OrderRow, OrderWrite } from './repository';
import { OPEN_ORDER_STATUSES, type Order } from './schemas';

/** One order to write, whatever path it came by (create, batch, patch). */
export interface OrderInput extends OrderDraft, CustomerReference {
  place: RowPlace;
  existing?: { row: OrderRow; lines: LineRow[] };
}

interface PlannedOrder {
  input: OrderInput;
  id: string;
  outcome: Outcome;
  before: OrderState | null;
  state: OrderState;
  crossRegion: boolean;
  linesChanged: boolean;
  /** The customer has a credit limit on record (see creditFlags). */
  creditLimited: boolean;
}

/**
 * The write path of orders: load what the rows name (customers, products) with one query
 * each, plan each row by the domain's rules, then persist with one statement per kind
 * (orders, lines, events), the events last.
 */
export class OrderWriter {
  constructor(
    private readonly orders: OrderRepository,
    private readonly products: ProductRepository,
    private readonly customers: CustomerRepository,
    private readonly credit: CreditRepository,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
    private readonly reportingCurrency: string,
    /** Days an orderedAt may lie ahead of the clock (FUTURE_DATE_TOLERANCE_DAYS). */
    private readonly futureToleranceDays: number,
  ) {}

  /** Plans and writes the rows; any rule broken throws, naming every bad row. */
  async write(inputs: OrderInput[], actor: Actor, trx: Knex.Transaction): Promise<PlannedOrder[]> {
    const { planned, productsById } = await this.plan(inputs, trx);
    await this.persist(planned, productsById, actor, trx);
    return planned;
  }

  private async plan(inputs: OrderInput[], trx: Knex.Transaction) {
    const productIds = new Set<string>();
    const skus = new Set<string>();
    for (const input of inputs) {
      for (const line of input.lines ?? []) {
        if (line.productId) productIds.add(line.productId);
        if (line.sku) skus.add(line.sku);
      }
    }
    const [customers, productRows] = await Promise.all([
      CustomerReferences.load(
        this.customers,
        inputs,
        inputs.flatMap((i) => (i.existing ? [i.existing.row.customer_id] : [])),
        trx,
      ),
      this.products.findByIdsOrSkus([...productIds], [...skus], trx),
    ]);
    const productsById = new Map(productRows.map((p) => [p.id, p]));
    const productsBySku = new Map<string, ProductRow>(productRows.map((p) => [p.sku, p]));
    const context = {
      reportingCurrency: this.reportingCurrency,
      defaultTermsDays: DEFAULT_TERMS,
      productOf: (line: { productId?: string; sku?: string }) =>
        (line.productId !== undefined ? productsById.get(line.productId) : productsBySku.get(line.sku!))?.id,
      future: { now: this.clock(), days: this.futureToleranceDays },
    };
    const errors = new RowErrors();
    const planned: PlannedOrder[] = [];
    for (const input of inputs) {
      const existing = input.existing;
      const before = existing ? stateOf(existing.row, existing.lines) : null;
      let customer: CustomerRef | undefined;
      if (input.customerId !== undefined || input.customerExternalId !== undefined) {
        customer = customers.resolve(input, input.place, errors);
        if (!customer) continue;
        if (!keepsItsCustomer('order', before?.customerId, customer.id, input.place, errors)) continue;
      } else customer = customers.get(before!.customerId)!;
      const result = planOrder(input, before, customer.id, context);
      if ('breaches' in result) {
        for (const b of result.breaches) errors.add(input.place, b.field, b.code, b.message);
        continue;
      }
      const state = result.state;
      planned.push({
        input,
        id: existing?.row.id ?? newId(),
        outcome: outcomeOf(before, state),
        before,
        state,
        crossRegion: isCrossRegion(
          {
            category: customer.category,
            region: customer.region,
            assignedRegions: customer.assigned_regions,
          },
          state.region,
        ),
        linesChanged:
          input.lines !== undefined && JSON.stringify(before?.lines ?? []) !== JSON.stringify(state.lines),
        creditLimited: customer.has_credit_limit,
      });
    }
    errors.throwIfAny();
    return { planned, productsById };
  }

  /** Over-limit flags for new open orders, in input order, from each customer's balance and limit on record. */
  private async creditFlags(created: PlannedOrder[], trx: Knex.Transaction): Promise<Set<string>> {
    const open = created.filter((p) => p.creditLimited && OPEN_ORDER_STATUSES.includes(p.state.status));
    if (open.length === 0) return new Set();
    const positions = await this.credit.creditPositions(
      [...new Set(open.map((p) => p.state.customerId))],
      trx,
    );
    const balances = new Map(
      positions.map((p) => [
        p.customer_id,
        { limit: toUnits(p.suggested_limit), balance: toUnits(p.balance) },
      ]),
    );
    const flagged = new Set<string>();
    for (const p of open) {
      const position = balances.get(p.state.customerId);
      if (!position) continue;
      const amount = reportingUnits(p.state);
      if (pushesPastLimit(position.balance, amount, position.limit)) flagged.add(p.id);
      position.balance += amount;
    }
    return flagged;
  }

  private async persist(
    planned: PlannedOrder[],
    productsById: Map<string, ProductRow>,
    actor: Actor,
    trx: Knex.Transaction,
  ): Promise<void> {
    const now = this.clock();
    const created = planned.filter((p) => p.outcome === 'created');
    const updated = planned.filter((p) => p.outcome === 'updated');
    const flagged = await this.creditFlags(created, trx);
    const lineWrites: LineWrite[] = [];
    const addLines = (p: PlannedOrder) =>
      p.state.lines.forEach((l, j) =>
        lineWrites.push({
          order_id: p.id,
          line_no: j + 1,
          product_id: l.productId,
          quantity: l.quantity,
          unit_price: l.unitPrice,
        }),
      );
    const inserts: OrderWrite[] = created.map((p) => {
      addLines(p);
      return writeOf(p.id, p.state, p.crossRegion, flagged.has(p.id));
    });
    const updates: OrderWrite[] = updated.map((p) => {
      if (p.linesChanged) addLines(p);
      return writeOf(p.id, p.state, p.crossRegion, false);
    });
    await this.orders.insertOrders(inserts, now, trx);
    await this.orders.updateOrders(updates, now, trx);
    const written = [
      ...created.map((p, i) => ({
        p,
        row: writtenRow(inserts[i]!, 1, now, now, inserts[i]!.over_credit_limit),
      })),
      ...updated.map((p, i) => {
        const before = p.input.existing!.row;
        const row = writtenRow(
          updates[i]!,
          before.version + 1,
          before.created_at,
          now,
          before.over_credit_limit,
        );
        return { p, row };
      }),
    ];
    await this.orders.deleteLines(
      updated.filter((p) => p.linesChanged).map((p) => p.id),
      trx,
    );
    await this.orders.insertLines(lineWrites, trx);
    await this.events.record(this.eventsOf(written, productsById), actor, trx);
  }

  /** Each written order's event, carrying the order as GET answers it (built from what was written). */
  private eventsOf(
    written: Array<{ p: PlannedOrder; row: OrderRow }>,
    productsById: Map<string, ProductRow>,
  ): EventDraft[] {
    return written.map(({ p, row }) => {
      const lines: LineRow[] = p.state.lines.map((l, j) => ({
        order_id: p.id,
        line_no: j + 1,
        product_id: l.productId,
        sku: productsById.get(l.productId)?.sku ?? p.input.existing?.lines[j]?.sku ?? '',
        quantity: l.quantity,
        unit_price: l.unitPrice,
      }));
      const order: Order = toOrder(row, lines, this.reportingCurrency);
      if (!p.before)
        return { type: 'order.created', entityId: p.id, customerId: p.state.customerId, data: order };
      const cancelled = p.state.status === 'cancelled' && p.before.status !== 'cancelled';
      return {
        type: cancelled ? 'order.cancelled' : 'order.updated',
        entityId: p.id,
        customerId: p.state.customerId,
        data: order,
        changes: fieldChanges(p.before, p.state),
      };
    });
  }
}
