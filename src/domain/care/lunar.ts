import { LunarDay, LunarMonth, LunarYear, SolarDay } from 'tyme4ts';
import { formatYmd, parseYmd } from './calendar';

/**
 * The Chinese lunar calendar through tyme4ts (a maintained calendar library; its tables cover
 * the years care occasions need). A lunar date has no year of its own here: a birthday or a
 * festival is a month and a day that recur every lunar year.
 */
export interface LunarMonthDay {
  month: number;
  day: number;
  /** The leap (intercalary) month of that number. */
  leapMonth: boolean;
}

/**
 * The Gregorian day of a lunar month and day in lunar year `year`. Where that date does not
 * exist that year it falls back, as families keep such birthdays:
 * - a leap month the year does not have: the regular month of the same number;
 * - day 30 in a month of 29 days: the month's last day (29).
 */
export function lunarToGregorian(date: LunarMonthDay, year: number): string {
  const leap = date.leapMonth && LunarYear.fromYear(year).getLeapMonth() === date.month;
  const month = LunarMonth.fromYm(year, leap ? -date.month : date.month);
  const day = Math.min(date.day, month.getDayCount());
  const solar = LunarDay.fromYmd(year, leap ? -date.month : date.month, day).getSolarDay();
  return formatYmd({ year: solar.getYear(), month: solar.getMonth(), day: solar.getDay() });
}

/** The lunar date of a Gregorian day, with the facts the fallbacks need. */
export interface LunarOfDay extends LunarMonthDay {
  year: number;
  /** The last day of its month. */
  lastOfMonth: boolean;
  /** The lunar year has a leap month of this number (so a leap birthday keeps to it). */
  yearHasLeapOfMonth: boolean;
}

export function lunarOf(date: string): LunarOfDay {
  const { year, month, day } = parseYmd(date);
  const lunar = SolarDay.fromYmd(year, month, day).getLunarDay();
  const lunarMonth = lunar.getLunarMonth();
  const number = Math.abs(lunarMonth.getMonthWithLeap());
  return {
    year: lunarMonth.getYear(),
    month: number,
    day: lunar.getDay(),
    leapMonth: lunarMonth.isLeap(),
    lastOfMonth: lunar.getDay() === lunarMonth.getDayCount(),
    yearHasLeapOfMonth: LunarYear.fromYear(lunarMonth.getYear()).getLeapMonth() === number,
  };
}

export const lunarKey = (date: LunarMonthDay): string => `${date.month}-${date.day}-${date.leapMonth}`;

/**
 * Every lunar birthday (as {@link lunarKey}) that falls on this Gregorian day, fallbacks
 * included: its own date; a leap-month birthday of this month number when the year has no
 * such leap month; day 30 on the last day of a 29-day month. A query finds the customers
 * whose next lunar birthday lies in a window by these keys.
 */
export function lunarKeysOfDay(date: string): string[] {
  const lunar = lunarOf(date);
  const days = lunar.lastOfMonth && lunar.day === 29 ? [29, 30] : [lunar.day];
  const leaps = lunar.leapMonth ? [true] : lunar.yearHasLeapOfMonth ? [false] : [false, true];
  return days.flatMap((day) => leaps.map((leapMonth) => lunarKey({ month: lunar.month, day, leapMonth })));
}

/** The lunar festivals care greets every customer on (docs/care.md). */
export const LUNAR_HOLIDAYS: ReadonlyArray<{ name: string; month: number; day: number }> = [
  { name: 'Spring Festival', month: 1, day: 1 },
  { name: 'Lantern Festival', month: 1, day: 15 },
  { name: 'Dragon Boat Festival', month: 5, day: 5 },
  { name: 'Mid-Autumn Festival', month: 8, day: 15 },
];
