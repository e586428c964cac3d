/**
 * How far from now a date a caller sends may lie. Business timestamps (an order's orderedAt, a
 * payment's receivedAt, a refund's refundedAt) may run ahead of the server's clock by a
 * configured tolerance (clock skew, a time zone mistaken for UTC), no more: an order dated
 * years ahead would count in receivables, credit and value as if it had happened. A birthday
 * may not lie in the future at all, nor before 1900.
 */
const MS_PER_DAY = 86_400_000;

/** The refusal's code: the database is not involved, but the clock is (docs/api.md "Batch errors"). */
export const DATE_IN_FUTURE = 'date_in_future';

/** A birthday before this is a typing mistake, not a living customer. */
export const EARLIEST_BIRTHDAY = '1900-01-01';

/** The latest time zone is UTC+14: a date that is today anywhere on earth is not in the future. */
const LATEST_ZONE_MS = 14 * 3_600_000;

export interface FutureTolerance {
  now: Date;
  /** Days a timestamp may lie after `now` (FUTURE_DATE_TOLERANCE_DAYS). */
  days: number;
}

/** Why a timestamp is too far ahead, or undefined when it is acceptable. */
export function futureTimestampProblem(text: string, tolerance: FutureTolerance): string | undefined {
  const latest = tolerance.now.getTime() + tolerance.days * MS_PER_DAY;
  if (new Date(text).getTime() <= latest) return undefined;
  return `lies more than ${tolerance.days} day(s) in the future (the latest accepted is ${new Date(latest).toISOString()})`;
}

/** What is wrong with a birthday (YYYY-MM-DD), if anything: in the future, or before 1900. */
export function birthdayProblem(
  date: string,
  now: Date,
): { code: typeof DATE_IN_FUTURE | 'too_early'; message: string } | undefined {
  const today = new Date(now.getTime() + LATEST_ZONE_MS).toISOString().slice(0, 10);
  if (date > today)
    return { code: DATE_IN_FUTURE, message: `lies in the future (the latest accepted is ${today})` };
  if (date < EARLIEST_BIRTHDAY)
    return { code: 'too_early', message: `must be ${EARLIEST_BIRTHDAY} or later` };
  return undefined;
}
