/**
 * Rebate periods (docs/rebates.md): a calendar year ("2026") or quarter ("2026-Q3") in UTC.
 * An order belongs to the period its `orderedAt` falls in; a period is closed once its last
 * day lies before today.
 */
export type PeriodKind = 'year' | 'quarter';

export const PERIOD_PATTERN = '^\\d{4}(?:-Q[1-4])?$';

export interface RebatePeriod {
  /** The canonical text: "2026" or "2026-Q3". */
  period: string;
  kind: PeriodKind;
  /** First day, YYYY-MM-DD. */
  start: string;
  /** Last day, YYYY-MM-DD (inclusive). */
  end: string;
  /** The first instant after the period: start of the day after `end`, ISO 8601 UTC. */
  endExclusive: string;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

/** The period a text names, or undefined when it names none ("2026-Q5", "26"). */
export function parsePeriod(text: string): RebatePeriod | undefined {
  const match = /^(\d{4})(?:-Q([1-4]))?$/.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  if (year < 1970) return undefined;
  const quarter = match[2] === undefined ? null : Number(match[2]);
  const firstMonth = quarter === null ? 0 : (quarter - 1) * 3;
  const months = quarter === null ? 12 : 3;
  const start = new Date(Date.UTC(year, firstMonth, 1));
  const next = new Date(Date.UTC(year, firstMonth + months, 1));
  return {
    period: text,
    kind: quarter === null ? 'year' : 'quarter',
    start: day(start),
    end: day(new Date(next.getTime() - 86_400_000)),
    endExclusive: next.toISOString(),
  };
}

/** Closed when the period's last day is before today's UTC date. */
export function isPeriodClosed(period: RebatePeriod, now: Date): boolean {
  return period.end < day(now);
}
