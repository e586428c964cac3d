import { DATE_IN_FUTURE, futureTimestampProblem, type FutureTolerance } from '../date-limits';
import { checkLineSum, fromUnits, normalizeMoney, normalizeRate } from '../money';

export const ORDER_STATUSES = ['placed', 'shipped', 'cancelled', 'returned'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Cancelled and returned orders are final: no status follows them. */
const FINAL_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'returned']);

export interface StateLine {
  productId: string;
  quantity: number;
  unitPrice: string;
}

/** The writable state of an order, the shape changes are compared and recorded in. */
export interface OrderState {
  externalId: string | null;
  customerId: string;
  orderedAt: string;
  amount: string;
  currency: string;
  fxRate: string;
  region: string | null;
  status: OrderStatus;
  paymentTermsDays: number;
  lines: StateLine[];
}

/** What a request says of an order; absent fields keep their values. */
export interface OrderDraft {
  externalId?: string | null;
  orderedAt?: string;
  amount?: string;
  currency?: string;
  fxRate?: string;
  lines?: Array<{ productId?: string; sku?: string; quantity: number; unitPrice: string }>;
  region?: string | null;
  status?: OrderStatus;
  paymentTermsDays?: number;
}

/** A rule the order breaks, at the field of the draft that breaks it. */
export interface RuleBreach {
  code: string;
  field: string;
  message: string;
}

export interface PlanContext {
  reportingCurrency: string;
  defaultTermsDays: number;
  /** The product a line names, by id or sku; undefined when none has it. */
  productOf(line: { productId?: string; sku?: string }): string | undefined;
  /** How far ahead of now an orderedAt may lie. */
  future: FutureTolerance;
}

/** Canonical text of an amount (normalizeMoney answers canonical text as it is, cheaply). */
export const canonicalMoney = normalizeMoney;

/** UTC timestamps with milliseconds are already what toISOString() answers, when the day exists. */
const ISO_UTC_MS =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

export function canonicalTimestamp(text: string): string {
  const match = ISO_UTC_MS.exec(text);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    // Day 0 of the next month is the last day of this one.
    if (Number(match[3]) <= new Date(Date.UTC(year, month, 0)).getUTCDate()) return text;
  }
  return new Date(text).toISOString();
}

/**
 * What the request alone decides of an order (400): each line names one product, an fx rate
 * is positive, and the reporting currency converts at 1.
 */
export function draftProblems(
  draft: OrderDraft,
  currency: string | undefined,
  reportingCurrency: string,
): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  draft.lines?.forEach((line, j) => {
    if ((line.productId === undefined) === (line.sku === undefined))
      problems.push({ field: `lines/${j}/productId`, message: 'give exactly one of productId and sku' });
  });
  if (draft.fxRate !== undefined) {
    const rate = normalizeRate(draft.fxRate);
    if (rate === '0') problems.push({ field: 'fxRate', message: 'must be greater than 0' });
    if (currency === reportingCurrency && rate !== '1')
      problems.push({
        field: 'fxRate',
        message: `must be 1 (or absent) for the reporting currency ${reportingCurrency}`,
      });
  }
  return problems;
}

function fxRateOf(draft: OrderDraft, before: OrderState | null, currency: string, reporting: string) {
  if (draft.fxRate !== undefined) return normalizeRate(draft.fxRate);
  if (currency === reporting) return '1';
  if (before && before.currency === currency) return before.fxRate;
  return undefined;
}

/**
 * The order a draft makes, on top of the stored one (`before`, null for a new order), or the
 * rules it breaks: an orderedAt too far ahead, unknown products, a foreign currency without
 * its rate, lines that do not add up to the amount, a status after a final one. A batch plans
 * 1,000 of these per request, so the work avoids closures and needless conversions.
 */
export function planOrder(
  draft: OrderDraft,
  before: OrderState | null,
  customerId: string,
  context: PlanContext,
): { state: OrderState } | { breaches: RuleBreach[] } {
  const breaches: RuleBreach[] = [];
  const orderedAt = draft.orderedAt !== undefined ? canonicalTimestamp(draft.orderedAt) : before!.orderedAt;
  // Only a new date is judged: resending a stored order unchanged stays possible.
  if (orderedAt !== before?.orderedAt) {
    const problem = futureTimestampProblem(orderedAt, context.future);
    if (problem) return { breaches: [{ code: DATE_IN_FUTURE, field: 'orderedAt', message: problem }] };
  }
  let lines = before?.lines ?? [];
  if (draft.lines) {
    const resolved: StateLine[] = [];
    for (let j = 0; j < draft.lines.length; j++) {
      const line = draft.lines[j]!;
      const productId = context.productOf(line);
      if (productId === undefined) {
        const byId = line.productId !== undefined;
        breaches.push({
          code: 'product_not_found',
          field: `lines/${j}/${byId ? 'productId' : 'sku'}`,
          message: `no product has ${byId ? `id ${line.productId}` : `sku ${line.sku}`}`,
        });
      } else resolved.push({ productId, quantity: line.quantity, unitPrice: canonicalMoney(line.unitPrice) });
    }
    if (breaches.length > 0) return { breaches };
    lines = resolved;
  }
  const currency = draft.currency ?? before?.currency ?? context.reportingCurrency;
  const fxRate = fxRateOf(draft, before, currency, context.reportingCurrency);
  if (fxRate === undefined) {
    return {
      breaches: [
        {
          code: 'fx_rate_required',
          field: 'fxRate',
          message: `is required for currency ${currency} (reporting currency ${context.reportingCurrency})`,
        },
      ],
    };
  }
  const state: OrderState = {
    externalId: draft.externalId !== undefined ? draft.externalId : (before?.externalId ?? null),
    customerId,
    orderedAt,
    amount: draft.amount !== undefined ? canonicalMoney(draft.amount) : before!.amount,
    currency,
    fxRate,
    region: draft.region !== undefined ? draft.region : (before?.region ?? null),
    status: draft.status ?? before?.status ?? 'placed',
    paymentTermsDays: draft.paymentTermsDays ?? before?.paymentTermsDays ?? context.defaultTermsDays,
    lines,
  };
  if (state.lines.length > 0) {
    const check = checkLineSum(state.amount, state.lines);
    if (!check.ok)
      return {
        breaches: [
          {
            code: 'line_sum_mismatch',
            field: 'amount',
            message: `is ${state.amount} but the lines add up to ${fromUnits(check.linesTotal)}`,
          },
        ],
      };
  }
  if (before && FINAL_STATUSES.has(before.status) && state.status !== before.status) {
    return {
      breaches: [
        {
          code: 'invalid_status_transition',
          field: 'status',
          message: `a ${before.status} order is final; it cannot become ${state.status}`,
        },
      ],
    };
  }
  return { state };
}
