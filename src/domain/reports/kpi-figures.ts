/**
 * The KPI report's arithmetic (docs/reports.md): the day range and the previous one of the
 * same length, the month series, a figure that is a number or null with a reason, and the
 * change against the previous period. Pure: the figures come in.
 */

const DAY_MS = 86_400_000;

/** The longest range a report answers: five years of days (leap days included). */
export const MAX_RANGE_DAYS = 5 * 366;

/** Days `from` to `to`, both inclusive, as the half-open instant range [start, stop). */
export interface DayRange {
  from: string;
  to: string;
  start: Date;
  stop: Date;
  days: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The day's start, or undefined when the text is not a calendar day (2026-02-30 is not). */
export function dayStart(text: string): Date | undefined {
  if (!DAY.test(text)) return undefined;
  const date = new Date(`${text}T00:00:00.000Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text ? undefined : date;
}

const dayText = (instant: Date) => instant.toISOString().slice(0, 10);

export type RangeProblem = 'from_not_a_day' | 'to_not_a_day' | 'reversed' | 'too_long';

/** The range of two days, or what is wrong with them. */
export function dayRangeOf(from: string, to: string): DayRange | RangeProblem {
  const start = dayStart(from);
  if (!start) return 'from_not_a_day';
  const last = dayStart(to);
  if (!last) return 'to_not_a_day';
  if (last.getTime() < start.getTime()) return 'reversed';
  const days = Math.round((last.getTime() - start.getTime()) / DAY_MS) + 1;
  if (days > MAX_RANGE_DAYS) return 'too_long';
  return { from, to, start, stop: new Date(last.getTime() + DAY_MS), days };
}

/** The range of the same number of days that ends the day before `range.from`. */
export function previousRange(range: DayRange): DayRange {
  const stop = range.start;
  const start = new Date(stop.getTime() - range.days * DAY_MS);
  return {
    from: dayText(start),
    to: dayText(new Date(stop.getTime() - DAY_MS)),
    start,
    stop,
    days: range.days,
  };
}

/** The range cut at calendar-month boundaries: the first and last months may be partial. */
export function monthsOf(range: DayRange): DayRange[] {
  const out: DayRange[] = [];
  let start = range.start;
  while (start.getTime() < range.stop.getTime()) {
    const next = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    const stop = next.getTime() < range.stop.getTime() ? next : range.stop;
    const days = Math.round((stop.getTime() - start.getTime()) / DAY_MS);
    out.push({ from: dayText(start), to: dayText(new Date(stop.getTime() - DAY_MS)), start, stop, days });
    start = stop;
  }
  return out;
}

/** A figure: a number, or null and why it could not be computed. */
export type Figure = { value: number; reason: null } | { value: null; reason: string };

export const known = (value: number): Figure => ({ value, reason: null });
export const unknown = (reason: string): Figure => ({ value: null, reason });

/** A number, or the reason when it is null (a ratio with nothing to divide by). */
export const figureOf = (value: number | null, reason: string): Figure =>
  value === null || !Number.isFinite(value) ? unknown(reason) : known(value);

/** A figure of the range, the previous period's, and the change between them. */
export interface ComparedFigure {
  value: number | null;
  reason: string | null;
  previous: Figure;
  /** value - previous; null unless both are numbers. */
  change: number | null;
  /** change / |previous|; null unless both are numbers and previous is not 0. */
  relativeChange: number | null;
}

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/** Changes carry the precision of the figures (money to the cent, rates to 6 places). */
export function compare(current: Figure, previous: Figure, decimals = 6): ComparedFigure {
  const both = current.value !== null && previous.value !== null;
  const change = both ? round(current.value! - previous.value!, decimals) : null;
  return {
    value: current.value,
    reason: current.reason,
    previous,
    change,
    relativeChange: both && previous.value !== 0 ? round(change! / Math.abs(previous.value!), 6) : null,
  };
}

/** The median of numbers (the mean of the middle two for an even count); null when none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A ratio, null when there is nothing to divide by. */
export const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : numerator / denominator;
