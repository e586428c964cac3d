import { averageOf, shareOf, unitsOf } from '../../domain/reports/sales-figures';
import { changeOf, defaultRange, maxDaysEnding, rangeOf } from '../../domain/reports/sales-range';
import { fromUnits } from '../../domain/money';
import { BadRequestError, ValidationError, summaryOf } from '../../http/http-errors';
import type { SalesGrouping, SalesReportRepository, SalesRow } from './repository';
import type { SalesFigures, SalesReport, SalesReportQuery } from './schemas';

type Period = 'current' | 'previous';

interface Bucket {
  k1: string | null;
  k2: string | null;
  rows: Partial<Record<Period, SalesRow>>;
}

const bucketKey = (k1: string | null, k2: string | null) => JSON.stringify([k1, k2]);

/** Most revenue first, the null group last, then by key for a stable order. */
function byRevenue<T extends { key: string | null; current: { revenue: string } }>(a: T, b: T): number {
  if ((a.key === null) !== (b.key === null)) return a.key === null ? 1 : -1;
  const diff = unitsOf(b.current.revenue) - unitsOf(a.current.revenue);
  if (diff !== 0n) return diff > 0n ? 1 : -1;
  return (a.key ?? '').localeCompare(b.key ?? '');
}

/** GET /v1/analytics/sales: revenue and customers per group beside the previous period (issue 14). */
export class SalesReportService {
  constructor(
    private readonly repository: SalesReportRepository,
    private readonly currency: string,
    private readonly clock: () => Date,
  ) {}

  async report(query: SalesReportQuery): Promise<SalesReport> {
    const groupBy = (query.groupBy ?? 'region').split(',') as SalesGrouping[];
    if (groupBy.length === 2 && groupBy[0] === groupBy[1]) {
      const errors = [{ path: 'querystring/groupBy', message: 'names the same grouping twice' }];
      throw new ValidationError(summaryOf(errors), errors);
    }
    const fallback = defaultRange(this.clock());
    const to = query.to ?? (query.from && query.from > fallback.to ? query.from : fallback.to);
    const from = query.from ?? defaultRange(new Date(`${to}T00:00:00Z`)).from;
    const range = rangeOf(from, to);
    if (range === 'reversed' || range === 'not_a_day') throw new BadRequestError('invalid_range', {});
    if (range === 'too_long') throw new BadRequestError('invalid_range.too_long', { max: maxDaysEnding(to) });

    const rows = await this.repository.aggregate(groupBy, range);
    const totals: Partial<Record<Period, SalesRow>> = {};
    const groups = new Map<string, Bucket>();
    const subgroups = new Map<string, Map<string, Bucket>>();
    for (const row of rows) {
      if (row.level === 'total') totals[row.period] = row;
      else if (row.level === 'group' && groupBy.length === 1) add(groups, row.k1, null, row);
      else if (row.level === 'group') add(groups, row.k1, null, row);
      else {
        const parent = bucketKey(row.k1, null);
        if (!subgroups.has(parent)) subgroups.set(parent, new Map());
        add(subgroups.get(parent)!, row.k1, row.k2, row);
      }
    }
    const totalUnits = {
      current: unitsOf(totals.current?.revenue),
      previous: unitsOf(totals.previous?.revenue),
    };
    const names = groupBy.includes('product')
      ? await this.repository.productNames(
          rows.flatMap((r) => {
            const id = groupBy[0] === 'product' ? r.k1 : r.k2;
            return id === null ? [] : [id];
          }),
        )
      : new Map<string, string>();
    const compared = (pair: Partial<Record<Period, SalesRow>>) => {
      const current = figuresOf(pair.current, totalUnits.current);
      const previous = figuresOf(pair.previous, totalUnits.previous);
      return {
        current,
        previous,
        revenueChange: changeOf(Number(current.revenue), Number(previous.revenue)),
      };
    };
    const nameOf = (by: SalesGrouping | undefined, key: string | null) =>
      by === 'product' && key !== null ? (names.get(key) ?? null) : null;

    return {
      from: range.from,
      to: range.to,
      previous: range.previous,
      groupBy,
      currency: this.currency,
      total: compared(totals),
      groups: [...groups.entries()]
        .map(([id, bucket]) => ({
          key: bucket.k1,
          name: nameOf(groupBy[0], bucket.k1),
          ...compared(bucket.rows),
          ...(groupBy.length === 2
            ? {
                groups: [...(subgroups.get(id)?.values() ?? [])]
                  .map((sub) => ({ key: sub.k2, name: nameOf(groupBy[1], sub.k2), ...compared(sub.rows) }))
                  .sort(byRevenue),
              }
            : {}),
        }))
        .sort(byRevenue),
    };
  }
}

function add(into: Map<string, Bucket>, k1: string | null, k2: string | null, row: SalesRow) {
  const id = bucketKey(k1, k2);
  const bucket = into.get(id) ?? { k1, k2, rows: {} };
  bucket.rows[row.period] = row;
  into.set(id, bucket);
}

function figuresOf(row: SalesRow | undefined, total: bigint): SalesFigures {
  const units = unitsOf(row?.revenue);
  const orders = row?.orders ?? 0;
  return {
    revenue: fromUnits(units),
    orders,
    customers: row?.customers ?? 0,
    averageOrder: averageOf(units, orders),
    share: shareOf(units, total),
    newCustomers: row?.new_customers ?? 0,
    clvPredicted: row && row.valued > 0 && row.clv !== null ? Math.round(row.clv * 100) / 100 : null,
    churnedCustomers: row?.churned ?? 0,
  };
}
