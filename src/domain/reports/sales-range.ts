/**
 * The day range of a sales report and the previous period beside it (issue 14 conventions):
 * `from` and `to` are UTC days, both included; the previous period is the one of the same
 * number of days just before `from`; a range over five years is refused.
 */

const DAY_MS = 86_400_000;
const textOf = (day: Date) => day.toISOString().slice(0, 10);

export interface ReportRange {
  from: string;
  to: string;
  days: number;
  previous: { from: string; to: string };
  /** Timestamps: previous start, current start, end (exclusive), as [start, end) windows. */
  previousStart: Date;
  start: Date;
  end: Date;
}

export type RangeRefusal = 'reversed' | 'too_long' | 'not_a_day';

const dayOf = (text: string) => new Date(`${text}T00:00:00.000Z`);
/** True for a real calendar day in YYYY-MM-DD (2026-02-30 is not one). */
export const isCalendarDay = (text: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(dayOf(text).getTime()) && textOf(dayOf(text)) === text;

/** Days of at most five calendar years: `from` no earlier than `to` + 1 day minus five years. */
export function rangeOf(from: string, to: string): ReportRange | RangeRefusal {
  if (!isCalendarDay(from) || !isCalendarDay(to)) return 'not_a_day';
  const start = dayOf(from);
  const end = new Date(dayOf(to).getTime() + DAY_MS);
  if (start.getTime() >= end.getTime()) return 'reversed';
  const earliest = new Date(end);
  earliest.setUTCFullYear(earliest.getUTCFullYear() - 5);
  if (start.getTime() < earliest.getTime()) return 'too_long';
  const days = Math.round((end.getTime() - start.getTime()) / DAY_MS);
  const previousStart = new Date(start.getTime() - days * DAY_MS);
  return {
    from,
    to,
    days,
    previous: { from: textOf(previousStart), to: textOf(new Date(start.getTime() - DAY_MS)) },
    previousStart,
    start,
    end,
  };
}

/** The default range: the 30 days ending with `today`. */
export function defaultRange(today: Date, days = 30): { from: string; to: string } {
  const to = textOf(today);
  return { from: textOf(new Date(dayOf(to).getTime() - (days - 1) * DAY_MS)), to };
}

/** Relative change from `previous` to `current`; null when the previous is zero. */
export function changeOf(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return Math.round(((current - previous) / previous) * 10_000) / 10_000;
}

/** The most days a range ending on `to` may have: five calendar years back from the day after. */
export function maxDaysEnding(to: string): number {
  const end = new Date(dayOf(to).getTime() + DAY_MS);
  const earliest = new Date(end);
  earliest.setUTCFullYear(earliest.getUTCFullYear() - 5);
  return Math.round((end.getTime() - earliest.getTime()) / DAY_MS);
}
