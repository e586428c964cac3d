import { stringify } from 'csv-stringify/sync';
import type { ReportTable } from './service';

/** The report as the service answers it (only the tables CSV reads). */
interface Report {
  periods: object[];
  byReason: object[];
  cohorts: Array<{ cohort: string; start: string; customers: number; retention: number[] }>;
  atRisk: object[];
}

const COLUMNS = {
  periods: [
    'period',
    'start',
    'end',
    'activeAtStart',
    'new',
    'churned',
    'wonBack',
    'activeAtEnd',
    'churnedAtStart',
    'churnRate',
    'winBackRate',
  ],
  reasons: ['reason', 'customers', 'share'],
  cohorts: ['cohort', 'start', 'customers', 'k', 'share'],
  atRisk: [
    'customerId',
    'name',
    'owner',
    'clvPredicted',
    'pAlive',
    'valueAtStake',
    'lastPurchaseAt',
    'lastContactAt',
  ],
} as const satisfies Record<ReportTable, readonly string[]>;

/** Null as an empty cell, as the other CSV answers write it. */
const cell = (value: unknown) => (value === null || value === undefined ? '' : (value as string | number));

function rowsOf(report: Report, table: ReportTable): Array<Record<string, unknown>> {
  switch (table) {
    case 'periods':
      return report.periods as Array<Record<string, unknown>>;
    case 'reasons':
      return report.byReason as Array<Record<string, unknown>>;
    case 'atRisk':
      return report.atRisk as Array<Record<string, unknown>>;
    case 'cohorts':
      // The matrix in long form, one row per cell: spreadsheets pivot it, tools read it as is.
      return report.cohorts.flatMap((c) =>
        c.retention.map((share, k) => ({
          cohort: c.cohort,
          start: c.start,
          customers: c.customers,
          k,
          share,
        })),
      );
  }
}

/** One table of the report as CSV: a header row, then one row per entry. */
export function reportCsv(report: Report, table: ReportTable): string {
  const columns = COLUMNS[table];
  const rows = rowsOf(report, table).map((row) => columns.map((c) => cell(row[c])));
  return stringify([[...columns], ...rows], { record_delimiter: 'windows' });
}
