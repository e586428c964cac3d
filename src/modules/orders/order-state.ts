import {
  convertUnits,
  fromUnits,
  lineTotal,
  normalizeMoney,
  normalizeRate,
  toUnits,
} from '../../domain/money';
import { DEFAULT_PAYMENT_TERMS_DAYS, dueDayOf } from '../../domain/receivables';
import type { LineRow, OrderRow, OrderWrite } from './repository';
import type { OrderState, StateLine } from '../../domain/orders/order-plan';
import type { Order, OrderStatus } from './schemas';

export type { OrderState, StateLine };

export const DEFAULT_TERMS = DEFAULT_PAYMENT_TERMS_DAYS;

export function stateOf(row: OrderRow, lines: readonly LineRow[]): OrderState {
  return {
    externalId: row.external_id,
    customerId: row.customer_id,
    orderedAt: new Date(row.ordered_at).toISOString(),
    amount: normalizeMoney(row.amount),
    currency: row.currency,
    fxRate: normalizeRate(row.fx_rate),
    region: row.region,
    status: row.status as OrderStatus,
    paymentTermsDays: row.payment_terms_days,
    lines: lines.map((l) => ({
      productId: l.product_id,
      quantity: l.quantity,
      unitPrice: normalizeMoney(l.unit_price),
    })),
  };
}

export const sameState = (a: OrderState, b: OrderState) => JSON.stringify(a) === JSON.stringify(b);

export function reportingUnits(state: OrderState): bigint {
  return convertUnits(toUnits(state.amount), state.fxRate);
}

export function writeOf(
  id: string,
  state: OrderState,
  crossRegion: boolean,
  overCreditLimit: boolean,
): OrderWrite {
  return {
    id,
    external_id: state.externalId,
    customer_id: state.customerId,
    ordered_at: state.orderedAt,
    amount: state.amount,
    currency: state.currency,
    fx_rate: state.fxRate,
    region: state.region,
    status: state.status,
    payment_terms_days: state.paymentTermsDays,
    cross_region: crossRegion,
    over_credit_limit: overCreditLimit,
  };
}

/**
 * The row an insert or update leaves, built from what was written rather than read back: the
 * database computes reporting_amount as round(amount * fx_rate, 4), which convertUnits
 * reproduces exactly. Events carry the order from this without another round trip.
 */
export function writtenRow(
  write: OrderWrite,
  version: number,
  createdAt: Date,
  updatedAt: Date,
  overCreditLimit: boolean,
): OrderRow {
  return {
    id: write.id,
    external_id: write.external_id,
    customer_id: write.customer_id,
    ordered_at: new Date(write.ordered_at),
    amount: write.amount,
    currency: write.currency,
    fx_rate: write.fx_rate,
    reporting_amount: fromUnits(convertUnits(toUnits(write.amount), write.fx_rate)),
    region: write.region,
    status: write.status,
    payment_terms_days: write.payment_terms_days,
    cross_region: write.cross_region,
    over_credit_limit: overCreditLimit,
    version,
    created_at: createdAt,
    updated_at: updatedAt,
  };
}

function dueDate(orderedAt: Date, terms: number): string {
  return new Date(dueDayOf(orderedAt, terms) * 86_400_000).toISOString().slice(0, 10);
}

export function toOrder(row: OrderRow, lines: readonly LineRow[], reportingCurrency: string): Order {
  return {
    id: row.id,
    externalId: row.external_id,
    customerId: row.customer_id,
    orderedAt: new Date(row.ordered_at).toISOString(),
    amount: normalizeMoney(row.amount),
    currency: row.currency,
    fxRate: normalizeRate(row.fx_rate),
    reportingAmount: normalizeMoney(row.reporting_amount),
    reportingCurrency,
    region: row.region,
    status: row.status as OrderStatus,
    paymentTermsDays: row.payment_terms_days,
    dueDate: dueDate(new Date(row.ordered_at), row.payment_terms_days),
    lines: lines.map((l) => ({
      lineNo: l.line_no,
      productId: l.product_id,
      sku: l.sku,
      quantity: l.quantity,
      unitPrice: normalizeMoney(l.unit_price),
      total: fromUnits(lineTotal({ quantity: l.quantity, unitPrice: l.unit_price })),
    })),
    crossRegion: row.cross_region,
    overCreditLimit: row.over_credit_limit,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** Columns a CSV page carries, in order. */
export const ORDER_CSV_COLUMNS = [
  'id',
  'externalId',
  'customerId',
  'orderedAt',
  'amount',
  'currency',
  'fxRate',
  'reportingAmount',
  'reportingCurrency',
  'region',
  'status',
  'paymentTermsDays',
  'dueDate',
  'crossRegion',
  'overCreditLimit',
  'lines',
  'version',
  'createdAt',
  'updatedAt',
] as const;
