/**
 * Calendar periods of the churn report (docs/lifecycle.md "The churn report"): ISO weeks
 * (Monday to Sunday), months and quarters, all in UTC. A period runs from `start` (00:00 UTC of
 * its first day) up to `stop` (00:00 UTC of the next period's first day, excluded), so that
 * consecutive periods share their boundary and every instant lies in exactly one of them.
 */

export const PERIOD_UNITS = ['week', 'month', 'quarter'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

export interface Period {
  /** `2026-W03` (ISO week-numbering year and week), `2026-01`, `2026-Q1`. */
  label: string;
  start: Date;
  /** The next period's start: the first instant after this period. */
  stop: Date;
}

const DAY_MS = 86_400_000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const utcDay = (year: number, monthIndex: number, day: number) => new Date(Date.UTC(year, monthIndex, day));

/** YYYY-MM-DD of an instant's UTC day. */
export const dayOf = (instant: Date): string => instant.toISOString().slice(0, 10);

/** The ISO week-numbering year and week of a UTC day (the week's Thursday decides the year). */
function isoWeek(day: Date): { year: number; week: number } {
  const thursday = new Date(day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { year, week };
}

function labelOf(unit: PeriodUnit, start: Date): string {
  if (unit === 'week') {
    const { year, week } = isoWeek(start);
    return `${year}-W${pad(week)}`;
  }
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth();
  return unit === 'month' ? `${year}-${pad(month + 1)}` : `${year}-Q${Math.floor(month / 3) + 1}`;
}

function startOf(unit: PeriodUnit, instant: Date): Date {
  const year = instant.getUTCFullYear();
  const month = instant.getUTCMonth();
  if (unit === 'week') {
    const day = utcDay(year, month, instant.getUTCDate());
    return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY_MS);
  }
  return utcDay(year, unit === 'month' ? month : month - (month % 3), 1);
}

function after(unit: PeriodUnit, start: Date): Date {
  if (unit === 'week') return new Date(start.getTime() + 7 * DAY_MS);
  return utcDay(start.getUTCFullYear(), start.getUTCMonth() + (unit === 'month' ? 1 : 3), 1);
}

/** The period that contains an instant. */
export function periodContaining(unit: PeriodUnit, instant: Date): Period {
  const start = startOf(unit, instant);
  return { label: labelOf(unit, start), start, stop: after(unit, start) };
}

/** The period right after one. */
export function nextPeriod(unit: PeriodUnit, period: Period): Period {
  const start = period.stop;
  return { label: labelOf(unit, start), start, stop: after(unit, start) };
}

/**
 * How many periods run from the one containing `from` to the one containing `to`, both
 * included (0 when `to`'s lies before `from`'s), computed without listing them, so that a range
 * too long to answer is refused before anything is built.
 */
export function periodCount(unit: PeriodUnit, from: Date, to: Date): number {
  const a = startOf(unit, from);
  const b = startOf(unit, to);
  if (b < a) return 0;
  if (unit === 'week') return Math.round((b.getTime() - a.getTime()) / (7 * DAY_MS)) + 1;
  const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  return (unit === 'month' ? months : months / 3) + 1;
}

/** The periods from the one containing `from` to the one containing `to`, in order. */
export function periodsBetween(unit: PeriodUnit, from: Date, to: Date): Period[] {
  const periods: Period[] = [];
  const count = periodCount(unit, from, to);
  let period = periodContaining(unit, from);
  for (let i = 0; i < count; i++) {
    periods.push(period);
    period = nextPeriod(unit, period);
  }
  return periods;
}

/** The `n` periods ending with the one containing `instant`. */
export function periodsEndingAt(unit: PeriodUnit, instant: Date, n: number): Period[] {
  let first = periodContaining(unit, instant);
  for (let i = 1; i < n; i++) first = periodContaining(unit, new Date(first.start.getTime() - 1));
  return periodsBetween(unit, first.start, instant);
}

/**
 * The day a report bound names: `YYYY-MM-DD` itself; `YYYY-MM` its first day as a range's start
 * (`edge` 'first') and its last day as a range's end ('last'), so that a month asked for as a
 * bound is covered whole. Undefined for text of another form or an impossible date (2026-02-30).
 */
export function boundDay(text: string, edge: 'first' | 'last'): Date | undefined {
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  if (month < 0 || month > 11) return undefined;
  if (match[3] === undefined) return edge === 'first' ? utcDay(year, month, 1) : utcDay(year, month + 1, 0);
  const day = utcDay(year, month, Number(match[3]));
  return day.getUTCMonth() === month && day.getUTCDate() === Number(match[3]) ? day : undefined;
}

/** The last day of a period, YYYY-MM-DD (the day before `stop`). */
export const lastDayOf = (period: Period): string => dayOf(new Date(period.stop.getTime() - DAY_MS));
