const MS_PER_DAY = 86_400_000;

/** Orders without their own terms are due this many days after the order day. */
export const DEFAULT_PAYMENT_TERMS_DAYS = 30;

/** Whole UTC days since 1970-01-01 of an instant. */
export function epochDayOf(instant: Date | string): number {
  return Math.floor(new Date(instant).getTime() / MS_PER_DAY);
}

export function dueDayOf(orderedAt: Date | string, termsDays: number): number {
  return epochDayOf(orderedAt) + termsDays;
}
