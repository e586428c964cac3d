/**
 * Gregorian day arithmetic on `YYYY-MM-DD` strings in UTC: care occasions are days, not
 * instants, so no time zone or clock enters here.
 */
const MS_PER_DAY = 86_400_000;

export interface Ymd {
  year: number;
  month: number;
  day: number;
}

export function parseYmd(date: string): Ymd {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export const formatYmd = ({ year, month, day }: Ymd): string => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The day a yearly date (a birthday, an anniversary, a fixed holiday) falls on in `year`.
 * February 29 falls on February 28 in a year that has no February 29: the day before March,
 * so a leap-day customer is greeted in February every year.
 */
export function annualDate(month: number, day: number, year: number): string {
  if (month === 2 && day === 29 && !isLeapYear(year)) return formatYmd({ year, month: 2, day: 28 });
  return formatYmd({ year, month, day });
}

/** The days `start`, start + 1, ..., start + days - 1: the window of "the next N days". */
export interface DayWindow {
  start: string;
  /** The last day in the window, inclusive. */
  end: string;
}

export function windowOf(start: string, days: number): DayWindow {
  return { start, end: addDays(start, days - 1) };
}

export const inWindow = (date: string, window: DayWindow): boolean =>
  date >= window.start && date <= window.end;

/** Whole years from `since` to `date` (an age, the years of an anniversary). */
export function yearsBetween(since: string, date: string): number {
  const a = parseYmd(since);
  const b = parseYmd(date);
  const before = b.month < a.month || (b.month === a.month && b.day < a.day);
  return b.year - a.year - (before ? 1 : 0);
}

/**
 * The month-days (`MM-DD`) of the yearly Gregorian dates that fall on this day: its own, and
 * on February 28 of a common year also `02-29` (see {@link annualDate}).
 */
export function monthDayKeysOfDay(date: string): string[] {
  const { year, month, day } = parseYmd(date);
  const own = date.slice(5);
  return month === 2 && day === 28 && !isLeapYear(year) ? [own, '02-29'] : [own];
}
