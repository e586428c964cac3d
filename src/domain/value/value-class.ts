import { ValueDomainError } from './domain-error';
import { tertiles } from './quantiles';

export type CycleClass = 'short' | 'medium' | 'long';
export type AmountClass = 'large' | 'medium' | 'small';
export type ValueClass = 'platinum' | 'gold' | 'silver' | 'development' | 'optimization' | 'new';

/**
 * Class boundaries, in the summary's time unit and currency. A cycle c <= shortMax is short,
 * c <= mediumMax medium, longer is long; an average amount <= smallMax is small, <= mediumMax
 * medium, larger is large. `cycle` is null when no customer has a cycle yet.
 */
export interface ValueClassThresholds {
  cycle: { shortMax: number; mediumMax: number } | null;
  amount: { smallMax: number; mediumMax: number } | null;
}

/** docs/domain.md 5.4: cycle (rows) by amount per purchase (columns). */
const TABLE: Readonly<Record<CycleClass, Readonly<Record<AmountClass, Exclude<ValueClass, 'new'>>>>> = {
  short: { large: 'platinum', medium: 'gold', small: 'silver' },
  medium: { large: 'gold', medium: 'silver', small: 'development' },
  long: { large: 'silver', medium: 'development', small: 'optimization' },
};

export interface ValueClassInput {
  /** c in the time unit; null for a one-time buyer. */
  averageCycle: number | null;
  averageAmount: number;
  /** T, time since the first purchase, for deciding when a one-time buyer stops being new. */
  T: number;
}

/**
 * Default thresholds: the tertiles (type-7 quantiles) of the base as of asOf; cycles from the
 * customers that have one, amounts from every customer. Configured thresholds replace these.
 */
export function valueClassThresholds(customers: readonly ValueClassInput[]): ValueClassThresholds {
  const cycles: number[] = [];
  for (const c of customers) if (c.averageCycle !== null) cycles.push(c.averageCycle);
  return valueClassThresholdsOf(
    cycles,
    customers.map((c) => c.averageAmount),
  );
}

/** The same from the cycles of the customers that have one and every customer's average amount. */
export function valueClassThresholdsOf(
  cycles: ArrayLike<number>,
  averageAmounts: ArrayLike<number>,
): ValueClassThresholds {
  const cycle = tertiles(cycles);
  const amount = tertiles(averageAmounts);
  return {
    cycle: cycle ? { shortMax: cycle[0], mediumMax: cycle[1] } : null,
    amount: amount ? { smallMax: amount[0], mediumMax: amount[1] } : null,
  };
}

/**
 * Table 1's class. A one-time buyer has no cycle yet: `new` while T <= the long threshold
 * (cycle.mediumMax), then long-cycle. Without cycle thresholds (nobody in the base has
 * bought twice) one-time buyers stay `new`; without amount thresholds the result is `new`.
 */
export function valueClass(customer: ValueClassInput, thresholds: ValueClassThresholds): ValueClass {
  const { cycle, amount } = thresholds;
  if (cycle && cycle.shortMax > cycle.mediumMax) {
    throw new ValueDomainError('invalid_input', 'cycle thresholds must satisfy shortMax <= mediumMax');
  }
  if (amount && amount.smallMax > amount.mediumMax) {
    throw new ValueDomainError('invalid_input', 'amount thresholds must satisfy smallMax <= mediumMax');
  }
  const cell = periodAmountCell(customer, thresholds);
  return cell ? TABLE[cell.cycle][cell.amount] : 'new';
}

/**
 * The customer's cell of the period/amount matrix, or null while it is `new` (a one-time
 * buyer before T passes the long-cycle threshold, or a base without thresholds yet).
 */
export function periodAmountCell(
  customer: ValueClassInput,
  thresholds: ValueClassThresholds,
): { cycle: CycleClass; amount: AmountClass } | null {
  const { cycle, amount } = thresholds;
  if (!cycle || !amount) return null;
  let cycleClass: CycleClass;
  if (customer.averageCycle === null) {
    if (customer.T <= cycle.mediumMax) return null;
    cycleClass = 'long';
  } else {
    cycleClass = cycleClassOf(customer.averageCycle, cycle);
  }
  return { cycle: cycleClass, amount: amountClassOf(customer.averageAmount, amount) };
}

function cycleClassOf(c: number, t: { shortMax: number; mediumMax: number }): CycleClass {
  if (c <= t.shortMax) return 'short';
  return c <= t.mediumMax ? 'medium' : 'long';
}

function amountClassOf(amount: number, t: { smallMax: number; mediumMax: number }): AmountClass {
  if (amount <= t.smallMax) return 'small';
  return amount <= t.mediumMax ? 'medium' : 'large';
}
