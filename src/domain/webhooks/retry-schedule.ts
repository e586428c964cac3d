import ms from 'ms';

/**
 * The delays between attempts (docs/webhooks.md "Attempts and retries"): after attempt k
 * fails, the next is due after the k-th delay; when there is none the delivery has failed.
 */
export type RetrySchedule = readonly number[];

/** `5s`, `30m`, `2h`, `5d` as milliseconds; null for anything else or nothing. */
export function parseDuration(text: string): number | null {
  const t = text.trim();
  const value = /^\d+(\.\d+)?\s*(ms|s|m|h|d)$/.test(t) ? ms(t as ms.StringValue) : NaN;
  return Number.isFinite(value) && value > 0 ? value : null;
}

/** `5s,5m,30m,2h` as milliseconds; null when any part is not a positive duration. */
export function parseRetrySchedule(text: string): RetrySchedule | null {
  const delays = text.split(',').map(parseDuration);
  return delays.every((d): d is number => d !== null) ? delays : null;
}

/** Jitter keeps the retries of many deliveries from landing at one instant: factor in [0.8, 1.2). */
export const JITTER = 0.2;

/**
 * When the attempt after `attemptsMade` failed ones is due, or null when the schedule is used
 * up. `random` in [0, 1) comes in so the rule stays pure.
 */
export function nextAttemptAt(
  schedule: RetrySchedule,
  attemptsMade: number,
  failedAt: Date,
  random: number,
): Date | null {
  const delay = schedule[attemptsMade - 1];
  if (delay === undefined) return null;
  const factor = 1 - JITTER + 2 * JITTER * random;
  return new Date(failedAt.getTime() + Math.round(delay * factor));
}
