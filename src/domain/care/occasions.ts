import { annualDate, inWindow, parseYmd, type DayWindow } from './calendar';
import { lunarToGregorian, type LunarMonthDay } from './lunar';

/**
 * The dates care greets on inside a window of days (docs/care.md): pure, from the dates a
 * customer keeps and the window; the module reads the customers and sorts by value.
 */
export interface Occurrence {
  date: string;
  /** Whole years since the birth or first purchase; null where no year is known. */
  years: number | null;
}

/** The lunar years whose dates can fall in a Gregorian window (a lunar year starts in Jan or Feb). */
function yearsOf(window: DayWindow): number[] {
  const years: number[] = [];
  for (let y = parseYmd(window.start).year - 1; y <= parseYmd(window.end).year; y++) years.push(y);
  return years;
}

/** Yearly returns of a Gregorian date (a birthday, a first purchase) in the window, the date itself excluded. */
export function annualOccurrences(since: string, window: DayWindow): Occurrence[] {
  const { year: first, month, day } = parseYmd(since);
  // The years are those of the occurrence's year (a leap-day birthday greeted on 28 February
  // of a common year has still turned that many years).
  return yearsOf(window)
    .map((year) => ({ date: annualDate(month, day, year), years: year - first }))
    .filter(({ date }) => date > since && inWindow(date, window));
}

/** A lunar birthday's Gregorian days in the window. */
export function lunarOccurrences(birthday: LunarMonthDay, window: DayWindow): Occurrence[] {
  return [...new Set(yearsOf(window).map((year) => lunarToGregorian(birthday, year)))]
    .filter((date) => inWindow(date, window))
    .sort()
    .map((date) => ({ date, years: null }));
}

export interface FixedHoliday {
  month: number;
  day: number;
  name: string;
}

/**
 * CARE_FIXED_HOLIDAYS: `MM-DD:Name` entries separated by commas, e.g. `01-01:New Year,05-01:Labour Day`.
 * Answers undefined for a malformed list, so configuration refuses it at boot.
 */
export function parseFixedHolidays(setting: string): FixedHoliday[] | undefined {
  const out: FixedHoliday[] = [];
  for (const entry of setting
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^(\d{2})-(\d{2}):(.+)$/.exec(entry);
    if (!match) return undefined;
    const month = Number(match[1]);
    const day = Number(match[2]);
    const lastDay = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    if (lastDay === undefined || day < 1 || day > lastDay) return undefined;
    out.push({ month, day, name: match[3]!.trim() });
  }
  return out;
}

export interface HolidayOccurrence {
  date: string;
  name: string;
  calendar: 'gregorian' | 'lunar';
}

/** Fixed and lunar holidays in the window, by date. */
export function holidaysIn(
  fixed: readonly FixedHoliday[],
  lunar: ReadonlyArray<{ name: string; month: number; day: number }>,
  window: DayWindow,
): HolidayOccurrence[] {
  const years = yearsOf(window);
  const out: HolidayOccurrence[] = [];
  for (const h of fixed)
    for (const year of years) {
      const date = annualDate(h.month, h.day, year);
      if (inWindow(date, window)) out.push({ date, name: h.name, calendar: 'gregorian' });
    }
  for (const h of lunar)
    for (const year of years) {
      const date = lunarToGregorian({ month: h.month, day: h.day, leapMonth: false }, year);
      if (inWindow(date, window)) out.push({ date, name: h.name, calendar: 'lunar' });
    }
  return out.sort((a, b) => (a.date === b.date ? a.name.localeCompare(b.name) : a.date < b.date ? -1 : 1));
}

/** The key a care list sorts by: predicted CLV high to low (unvalued last), then date, customer, kind. */
export interface OccasionSortKey {
  clv: number | null;
  date: string;
  customerId: string;
  kind: string;
}

export function compareOccasions(a: OccasionSortKey, b: OccasionSortKey): number {
  if (a.clv !== b.clv) {
    if (a.clv === null) return 1;
    if (b.clv === null) return -1;
    return b.clv - a.clv;
  }
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.customerId !== b.customerId) return a.customerId < b.customerId ? -1 : 1;
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}
