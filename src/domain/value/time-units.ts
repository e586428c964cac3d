import { ValueDomainError } from './domain-error';

/** The unit every duration of a purchase summary is expressed in. */
export type TimeUnit = 'day' | 'week' | 'month';

export const TIME_UNITS: readonly TimeUnit[] = ['day', 'week', 'month'];

/** docs/api.md "Analytics runs and the value card": a month is 30.4375 days (365.25 / 12), so 12 months are exactly a Julian year. */
export const DAYS_PER_MONTH = 30.4375;
export const DAYS_PER_YEAR = 365.25;

const DAYS_PER_UNIT: Readonly<Record<TimeUnit, number>> = { day: 1, week: 7, month: DAYS_PER_MONTH };
const MS_PER_DAY = 86_400_000;

export function daysPerUnit(unit: TimeUnit): number {
  return DAYS_PER_UNIT[unit];
}

/** Fractional periods: weeks are days / 7, months days / 30.4375 (the papers' convention). */
export function daysToUnits(days: number, unit: TimeUnit): number {
  return days / DAYS_PER_UNIT[unit];
}

/**
 * How many units make one month: 30.4375 days, 4.348 weeks (30.4375 / 7, shown rounded in
 * docs/api.md "Analytics runs and the value card") or 1 month. CLV steps month by month in the summary's unit.
 */
export function unitsPerMonth(unit: TimeUnit): number {
  return DAYS_PER_MONTH / DAYS_PER_UNIT[unit];
}

/** Days since 1970-01-01 of a UTC calendar date given as an epoch-day number or 'YYYY-MM-DD'. */
export type DateInput = string | number;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses `asOf`: an integer epoch day, or a 'YYYY-MM-DD' calendar date (rejected when the
 * calendar has no such day, e.g. 2023-02-29, rather than silently rolling over).
 */
export function toEpochDay(date: DateInput): number {
  if (typeof date === 'number') {
    if (!Number.isInteger(date))
      throw new ValueDomainError('invalid_input', 'an epoch day must be an integer');
    return date;
  }
  const match = ISO_DATE.exec(date);
  if (!match) throw new ValueDomainError('invalid_input', `'${date}' is not a YYYY-MM-DD date`);
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  const roundTrip = new Date(ms).toISOString().slice(0, 10);
  if (roundTrip !== date) throw new ValueDomainError('invalid_input', `'${date}' is not a calendar date`);
  return ms / MS_PER_DAY;
}

/** The UTC calendar day (epoch day) of a timestamp; same-UTC-day orders share it. */
export function utcEpochDayOf(timestamp: Date | string): number {
  const ms = typeof timestamp === 'string' ? Date.parse(timestamp) : timestamp.getTime();
  if (!Number.isFinite(ms)) {
    throw new ValueDomainError('invalid_input', `'${String(timestamp)}' is not a valid timestamp`);
  }
  return Math.floor(ms / MS_PER_DAY);
}

/** 'YYYY-MM-DD' of an epoch day. */
export function epochDayToIsoDate(epochDay: number): string {
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Converts a month count to the given unit (12 months -> 52.18 weeks -> 365.25 days). */
export function monthsToUnits(months: number, unit: TimeUnit): number {
  return months * unitsPerMonth(unit);
}
