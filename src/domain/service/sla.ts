/**
 * Service levels (docs/service.md): the targets of a record's type and priority, in minutes,
 * tightened by the customer's value class, and whether the record met them. Pure: the time
 * "now" comes in, so a pending record is measured against it.
 */
export interface SlaTargets {
  firstResponseMinutes: number;
  resolveMinutes: number;
}

export interface SlaClock {
  openedAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
}

export interface SlaStatus {
  firstResponseMinutes: number;
  resolveMinutes: number;
  /** The factor the customer's value class applied (1 without one). */
  factor: number;
  valueClass: string | null;
  firstResponseDueAt: string;
  resolveDueAt: string;
  firstResponseBreached: boolean;
  resolveBreached: boolean;
  breached: boolean;
}

/** Minutes tightened by the factor, rounded up to whole minutes (never below one). */
export function tightened(minutes: number, factor: number): number {
  // The epsilon keeps float noise (0.7 x 10 = 7.000000000000001) from adding a minute the SQL filter would not.
  return Math.max(1, Math.ceil(minutes * factor - 1e-9));
}

/** Met when the event happened by the due time; a pending target is breached once now passes it. */
function breached(due: Date, happenedAt: Date | null, now: Date): boolean {
  return happenedAt === null ? now.getTime() > due.getTime() : happenedAt.getTime() > due.getTime();
}

export function slaStatus(
  clock: SlaClock,
  targets: SlaTargets,
  factor: number,
  valueClass: string | null,
  now: Date,
): SlaStatus {
  const first = tightened(targets.firstResponseMinutes, factor);
  const resolve = tightened(targets.resolveMinutes, factor);
  const firstDue = new Date(clock.openedAt.getTime() + first * 60_000);
  const resolveDue = new Date(clock.openedAt.getTime() + resolve * 60_000);
  const firstBreached = breached(firstDue, clock.firstResponseAt, now);
  const resolveBreached = breached(resolveDue, clock.resolvedAt, now);
  return {
    firstResponseMinutes: first,
    resolveMinutes: resolve,
    factor,
    valueClass,
    firstResponseDueAt: firstDue.toISOString(),
    resolveDueAt: resolveDue.toISOString(),
    firstResponseBreached: firstBreached,
    resolveBreached,
    breached: firstBreached || resolveBreached,
  };
}

export const VALUE_CLASSES = ['platinum', 'gold', 'silver', 'development', 'optimization', 'new'] as const;

/**
 * `platinum:0.5,gold:0.75` -> { platinum: 0.5, gold: 0.75 }. A factor is above 0 and at most
 * 1 (a value class tightens a target, never loosens it); anything else throws, so a bad
 * setting stops the boot instead of silently giving every customer the same targets.
 */
export function parseValueClassFactors(text: string): Record<string, number> {
  const factors: Record<string, number> = {};
  for (const part of text.split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const match = /^([a-z_]+)\s*:\s*(\d+(?:\.\d+)?)$/.exec(entry);
    if (!match) throw new Error(`"${entry}" is not <valueClass>:<factor>`);
    const [, valueClass, factorText] = match as unknown as [string, string, string];
    if (!(VALUE_CLASSES as readonly string[]).includes(valueClass))
      throw new Error(`"${valueClass}" is not a value class (${VALUE_CLASSES.join(', ')})`);
    const factor = Number(factorText);
    if (!(factor > 0 && factor <= 1)) throw new Error(`the factor of ${valueClass} must be in (0, 1]`);
    factors[valueClass] = factor;
  }
  return factors;
}

export function factorFor(factors: Readonly<Record<string, number>>, valueClass: string | null): number {
  return valueClass === null ? 1 : (factors[valueClass] ?? 1);
}
