import { dayOf, lastDayOf, type Period } from '../../domain/lifecycle/periods';

/**
 * The churn report's figures from the database's transition counts (docs/lifecycle.md "The
 * churn report"). Pure: the repository answers, per bucket, how many customers moved from one
 * class to another, and these functions add them up.
 *
 * A customer's class at an instant is its churn status then: `none` (no status yet), `active`
 * (active, at risk or won back) or `churned`. Bucket 0 is everything before the first period
 * (its `to` is the class at the first period's start); bucket `i >= 1` is period `i - 1`, and a
 * transition there is a customer's class at that period's start and at its end. A customer with
 * no change of class in a period has no transition there: it stays what it was.
 */
export type StatusClass = 'none' | 'active' | 'churned';

export interface Transition {
  bucket: number;
  from: StatusClass;
  to: StatusClass;
  customers: number;
}

export interface PeriodFigures {
  period: string;
  start: string;
  end: string;
  activeAtStart: number;
  new: number;
  churned: number;
  wonBack: number;
  activeAtEnd: number;
  churnedAtStart: number;
  churnRate: number | null;
  winBackRate: number | null;
}

/** Class counts at the first period's start: the customers who stood so before the range. */
function opening(transitions: readonly Transition[]): { active: number; churned: number } {
  let active = 0;
  let churned = 0;
  for (const t of transitions) {
    if (t.bucket !== 0) continue;
    if (t.to === 'active') active += t.customers;
    if (t.to === 'churned') churned += t.customers;
  }
  return { active, churned };
}

function byBucket(transitions: readonly Transition[]): Map<number, Transition[]> {
  const map = new Map<number, Transition[]>();
  for (const t of transitions) {
    const list = map.get(t.bucket) ?? [];
    list.push(t);
    map.set(t.bucket, list);
  }
  return map;
}

/**
 * Per period: the net moves between classes, and the stocks carried from one period to the
 * next, so `activeAtEnd = activeAtStart + new + wonBack - churned` by construction and a
 * period's end is the next one's start.
 */
export function periodFigures(
  periods: readonly Period[],
  transitions: readonly Transition[],
): PeriodFigures[] {
  let { active, churned: churnedStock } = opening(transitions);
  const buckets = byBucket(transitions);
  return periods.map((period, i) => {
    let acquired = 0;
    let wonBack = 0;
    let churned = 0;
    let churnedDelta = 0;
    for (const t of buckets.get(i + 1) ?? []) {
      if (t.from === 'none' && t.to === 'active') acquired += t.customers;
      if (t.from === 'churned' && t.to === 'active') wonBack += t.customers;
      // Active at the start and not at the end: churned, or no status any more (its purchases gone).
      if (t.from === 'active' && t.to !== 'active') churned += t.customers;
      if (t.to === 'churned' && t.from !== 'churned') churnedDelta += t.customers;
      if (t.from === 'churned' && t.to !== 'churned') churnedDelta -= t.customers;
    }
    const activeAtEnd = active + acquired + wonBack - churned;
    const figures: PeriodFigures = {
      period: period.label,
      start: dayOf(period.start),
      end: lastDayOf(period),
      activeAtStart: active,
      new: acquired,
      churned,
      wonBack,
      activeAtEnd,
      churnedAtStart: churnedStock,
      churnRate: active > 0 ? churned / active : null,
      winBackRate: churnedStock > 0 ? wonBack / churnedStock : null,
    };
    active = activeAtEnd;
    churnedStock += churnedDelta;
    return figures;
  });
}

export interface CohortTransition extends Transition {
  /** The bucket of the cohort's first purchase (1 = the first period). */
  cohort: number;
}

export interface CohortFigures {
  cohort: string;
  start: string;
  customers: number;
  /** Cell k: the share for the k-th period after the cohort's own (k = 0 its own), to the range's end. */
  retention: number[];
}

/**
 * Retention by status: cell k = share of the cohort not churned at the end of its k-th period,
 * the churned count carried period by period from the cohort's transitions (as the period
 * figures carry theirs).
 */
export function cohortRetention(
  periods: readonly Period[],
  sizes: ReadonlyMap<number, number>,
  transitions: readonly CohortTransition[],
): CohortFigures[] {
  const byCohort = new Map<number, CohortTransition[]>();
  for (const t of transitions) byCohort.set(t.cohort, [...(byCohort.get(t.cohort) ?? []), t]);
  return cohortRows(periods, sizes, (cohort, size) => {
    const own = byCohort.get(cohort) ?? [];
    let churned = opening(own).churned;
    const buckets = byBucket(own);
    const cells: number[] = [];
    for (let bucket = 1; bucket <= periods.length; bucket++) {
      for (const t of buckets.get(bucket) ?? []) {
        if (t.to === 'churned' && t.from !== 'churned') churned += t.customers;
        if (t.from === 'churned' && t.to !== 'churned') churned -= t.customers;
      }
      if (bucket >= cohort) cells.push((size - churned) / size);
    }
    return cells;
  });
}

/** Retention by purchase: cell k = share of the cohort that bought in its k-th period. */
export function cohortPurchases(
  periods: readonly Period[],
  sizes: ReadonlyMap<number, number>,
  buyers: ReadonlyArray<{ cohort: number; bucket: number; customers: number }>,
): CohortFigures[] {
  const counts = new Map(buyers.map((b) => [`${b.cohort}:${b.bucket}`, b.customers]));
  return cohortRows(periods, sizes, (cohort, size) => {
    const cells: number[] = [];
    for (let bucket = cohort; bucket <= periods.length; bucket++)
      cells.push((counts.get(`${cohort}:${bucket}`) ?? 0) / size);
    return cells;
  });
}

function cohortRows(
  periods: readonly Period[],
  sizes: ReadonlyMap<number, number>,
  cells: (cohort: number, size: number) => number[],
): CohortFigures[] {
  return [...sizes.entries()]
    .filter(([, size]) => size > 0)
    .sort(([a], [b]) => a - b)
    .map(([cohort, size]) => {
      const period = periods[cohort - 1]!;
      return {
        cohort: period.label,
        start: dayOf(period.start),
        customers: size,
        retention: cells(cohort, size),
      };
    });
}
