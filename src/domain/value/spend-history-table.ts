import * as fastMath from './fast-math';
import { ValueDomainError } from './domain-error';
import type { SpendHistory } from './model-inputs';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { isFinite, isInteger, log } = fastMath;

/**
 * Repeat buyers as the Gamma-Gamma likelihood sums over them, validated once per fit. Only
 * ln(v + x zbar) depends on both the parameters and a customer's own spend; everything else
 * is per x, so a group keeps its size and the sum of its ln zbar, and its customers only x zbar.
 */
export interface SpendHistoryTable {
  customers: number;
  /** Sum of zbar, for the starting points of a fit. */
  totalSpend: number;
  /** The distinct x, ascending; the customers of frequencies[g] are [groupStarts[g], groupStarts[g+1]). */
  frequencies: Float64Array;
  groupStarts: Int32Array;
  /** Per group: sum of ln zbar. */
  logSpendSums: Float64Array;
  /** Per customer, grouped by x: x zbar, the total repeat spend. */
  totalRepeatSpend: Float64Array;
}

/**
 * Throws `invalid_input` for a customer without an integer x >= 1 and a positive finite zbar;
 * with `onlyObservations`, customers without a repeat purchase or with zbar <= 0 (not
 * observations of the model, see isSpendObservation) are passed over instead. Each customer is
 * read once and not kept, so an iterable handing out one reused object works.
 */
export function tabulateSpendHistories(
  customers: Iterable<SpendHistory>,
  onlyObservations = false,
): SpendHistoryTable {
  const groups = new Map<number, number[]>();
  let totalSpend = 0;
  let count = 0;
  for (const c of customers) {
    const x = c.frequency;
    const zbar = c.repeatAverageAmount;
    if (onlyObservations && !(x > 0 && zbar > 0)) continue;
    count++;
    if (!(isInteger(x) && x > 0 && zbar > 0 && isFinite(zbar))) {
      throw new ValueDomainError(
        'invalid_input',
        'Gamma-Gamma takes customers with an integer frequency >= 1 and a positive repeat mean spend',
      );
    }
    let group = groups.get(x);
    if (!group) groups.set(x, (group = []));
    group.push(zbar);
    totalSpend += zbar;
  }
  const frequencies = Float64Array.from(groups.keys()).sort();
  const groupStarts = new Int32Array(frequencies.length + 1);
  const logSpendSums = new Float64Array(frequencies.length);
  const totalRepeatSpend = new Float64Array(count);
  let i = 0;
  frequencies.forEach((x, g) => {
    groupStarts[g] = i;
    let logs = 0;
    for (const zbar of groups.get(x) as number[]) {
      logs += log(zbar);
      totalRepeatSpend[i++] = x * zbar;
    }
    logSpendSums[g] = logs;
  });
  groupStarts[frequencies.length] = i;
  return {
    customers: count,
    totalSpend,
    frequencies,
    groupStarts,
    logSpendSums,
    totalRepeatSpend,
  };
}
