import type { TSchema } from 'typebox';
import { fromUnits } from '../../domain/money';
import type { CreditEvaluation } from '../../domain/credit';
import type { ReceivablesSummary } from '../../domain/receivables';
import type { RunRow, ValueRow } from './repository';
import { ValueCard } from './schemas';

/** Sums of 4-decimal amounts carry float noise (18627.31000000002); money has 4 decimals at most. */
export const roundMoney = (value: number) => Math.round(value * 1e4) / 1e4;

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export function toRunView(run: RunRow) {
  return {
    id: run.id,
    status: run.status,
    phase: run.phase,
    asOf: run.as_of,
    timeUnit: run.time_unit,
    horizonMonths: run.horizon_months,
    annualDiscountRate: run.annual_discount_rate,
    margin: run.margin,
    progress: { customersDone: run.customers_done, customersTotal: run.customers_total },
    error: run.error,
    createdAt: iso(run.created_at)!,
    startedAt: iso(run.started_at),
    finishedAt: iso(run.finished_at),
  };
}

/** The value card of docs/api.md from a snapshot row of the run. */
export function toValueCard(
  row: ValueRow,
  run: RunRow,
  stars: number,
  credit: { score: number; grade: string; outstanding: string } | null,
) {
  const n = (key: string) => Number(row[key]);
  return {
    customerId: row.customer_id,
    runId: run.id,
    asOf: run.as_of,
    summary: {
      timeUnit: run.time_unit,
      purchases: n('purchases'),
      frequency: n('frequency'),
      recency: n('recency'),
      T: n('age'),
      averageCycle: row.average_cycle === null ? null : n('average_cycle'),
      averageAmount: n('average_amount'),
      totalAmount: roundMoney(n('total_amount')),
    },
    rfm: {
      r: n('rfm_r'),
      f: n('rfm_f'),
      m: n('rfm_m'),
      code: String(row.rfm_code),
      segment: String(row.rfm_segment),
    },
    valueClass: row.value_class as 'platinum' | 'gold' | 'silver' | 'development' | 'optimization' | 'new',
    clv: {
      historical: n('clv_historical'),
      current: n('clv_current'),
      predicted: n('clv_predicted'),
      expectedPurchases: n('expected_purchases'),
      expectedAverageAmount: n('expected_average_amount'),
      horizonMonths: run.horizon_months,
    },
    churn: {
      status: row.churn_status as 'active' | 'at_risk' | 'churned' | 'won_back',
      pAlive: row.p_alive === null ? null : n('p_alive'),
    },
    credit,
    stars,
  };
}

export type CreditView = NonNullable<ReturnType<typeof toValueCard>['credit']>;

/** The credit part of a value card, from an evaluation made now. */
export function toCreditView(evaluation: CreditEvaluation, summary: ReceivablesSummary): CreditView {
  return { score: evaluation.score, grade: evaluation.grade, outstanding: fromUnits(summary.outstanding) };
}

/** Field paths of a schema's leaves: `customerId`, `summary.T`; a nullable object counts as its object. */
function leafPaths(schema: TSchema, prefix = ''): string[] {
  const properties = (schema as { properties?: Record<string, TSchema> }).properties ?? {};
  return Object.entries(properties).flatMap(([name, field]) => {
    const branches = (field as { anyOf?: TSchema[] }).anyOf ?? [field];
    const object = branches.find((b) => (b as { properties?: unknown }).properties);
    return object ? leafPaths(object, `${prefix}${name}.`) : [`${prefix}${name}`];
  });
}

/**
 * The CSV of value cards: one column per field of the JSON card, named as the JSON names it
 * (nested fields by their path, `summary.T`, `churn.pAlive`), so the two forms read alike.
 */
export const VALUE_CSV_COLUMNS = leafPaths(ValueCard);
const VALUE_CSV_PATHS = VALUE_CSV_COLUMNS.map((column) => column.split('.'));

/** A card as the cells of VALUE_CSV_COLUMNS; null is an empty cell. */
export function toValueCsvRow(card: ReturnType<typeof toValueCard>): Array<string | number> {
  return VALUE_CSV_PATHS.map((path) => {
    let value: unknown = card;
    for (const key of path) value = (value as Record<string, unknown> | null)?.[key];
    return (value ?? '') as string | number;
  });
}
