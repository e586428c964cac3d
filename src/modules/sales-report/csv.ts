import { stringify } from 'csv-stringify/sync';
import type { SalesFigures, SalesReport } from './schemas';

const FIGURES = [
  'revenue',
  'orders',
  'customers',
  'averageOrder',
  'share',
  'newCustomers',
  'clvPredicted',
  'churnedCustomers',
] as const satisfies ReadonlyArray<keyof SalesFigures>;

const cell = (value: unknown) => (value === null || value === undefined ? '' : (value as string | number));
const capital = (name: string) => name[0]!.toUpperCase() + name.slice(1);

/**
 * The report as one table: the total row first (level `total`), then each group and, in a
 * two-level report, its subgroups after it; the current figures, then the previous period's
 * (`previous...`). A null key is an empty cell; the `level` column tells it from the total.
 */
export function salesCsv(report: SalesReport): string {
  const [first, second] = report.groupBy;
  const keyColumns = second ? [first!, second] : [first!];
  const header = [
    'level',
    ...keyColumns,
    'name',
    ...FIGURES,
    ...FIGURES.map((f) => `previous${capital(f)}`),
    'revenueChange',
  ];
  type Compared = Pick<SalesReport['total'], 'current' | 'previous' | 'revenueChange'>;
  const row = (level: string, keys: Array<string | null>, name: string | null, c: Compared) => [
    level,
    ...keys.map(cell),
    cell(name),
    ...FIGURES.map((f) => cell(c.current[f])),
    ...FIGURES.map((f) => cell(c.previous[f])),
    cell(c.revenueChange),
  ];
  const rows = [
    row(
      'total',
      keyColumns.map(() => null),
      null,
      report.total,
    ),
  ];
  for (const group of report.groups) {
    rows.push(row('group', second ? [group.key, null] : [group.key], group.name, group));
    for (const sub of group.groups ?? []) rows.push(row('subgroup', [group.key, sub.key], sub.name, sub));
  }
  return stringify([header, ...rows], { record_delimiter: 'windows' });
}
