/**
 * Follow-up visits (docs/service.md): when one counts as done on time, when it is overdue,
 * and the per-owner figures the sources evaluate staff by. Pure: the time comes in.
 */

export const MS_PER_MINUTE = 60_000;

/** What the rules need of a follow-up. */
export interface FollowUpFacts {
  owner: string;
  plannedAt: Date;
  completedAt: Date | null;
}

/** Done no later than its planned time plus the grace (FOLLOW_UP_GRACE_MINUTES). */
export function isDoneOnTime(plannedAt: Date, completedAt: Date | null, graceMinutes: number): boolean {
  return completedAt !== null && completedAt.getTime() <= plannedAt.getTime() + graceMinutes * MS_PER_MINUTE;
}

/** Not done and its planned time has passed. */
export function isOverdue(plannedAt: Date, completedAt: Date | null, now: Date): boolean {
  return completedAt === null && plannedAt.getTime() < now.getTime();
}

/** A fraction, or null when there is nothing to divide by (no follow-ups, none done). */
export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

export interface FollowUpFigures {
  planned: number;
  done: number;
  doneOnTime: number;
  overdue: number;
  /** done / planned */
  completionRate: number | null;
  /** doneOnTime / done */
  onTimeRate: number | null;
}

function figuresOf(
  counts: Pick<FollowUpFigures, 'planned' | 'done' | 'doneOnTime' | 'overdue'>,
): FollowUpFigures {
  return {
    ...counts,
    completionRate: rate(counts.done, counts.planned),
    onTimeRate: rate(counts.doneOnTime, counts.done),
  };
}

/**
 * The figures per owner (sorted by owner) and in total, over the follow-ups given (those
 * planned in the report's range), as of `now` for the overdue ones.
 */
export function tallyFollowUps(
  followUps: Iterable<FollowUpFacts>,
  now: Date,
  graceMinutes: number,
): { owners: Array<{ owner: string } & FollowUpFigures>; total: FollowUpFigures } {
  const zero = () => ({ planned: 0, done: 0, doneOnTime: 0, overdue: 0 });
  const byOwner = new Map<string, ReturnType<typeof zero>>();
  const total = zero();
  for (const f of followUps) {
    let counts = byOwner.get(f.owner);
    if (!counts) byOwner.set(f.owner, (counts = zero()));
    for (const c of [counts, total]) {
      c.planned += 1;
      if (f.completedAt !== null) c.done += 1;
      if (isDoneOnTime(f.plannedAt, f.completedAt, graceMinutes)) c.doneOnTime += 1;
      if (isOverdue(f.plannedAt, f.completedAt, now)) c.overdue += 1;
    }
  }
  const owners = [...byOwner.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((owner) => ({ owner, ...figuresOf(byOwner.get(owner)!) }));
  return { owners, total: figuresOf(total) };
}
