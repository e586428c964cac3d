import * as fastMath from './fast-math';
import { assertRepeatHistory, type RepeatHistory } from './model-inputs';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { floor } = fastMath;

/**
 * The customers a BG/NBD likelihood sums over, validated once and laid out for the inner loop
 * of a fit, which evaluates the likelihood a hundred times or more. Two facts of real data
 * make it much smaller than the customer list: t_x and T are whole days divided by the days
 * of a unit, so a base of any size has only a few hundred distinct times (ln(alpha + t) is
 * then computed once per distinct time, not per customer); and customers with equal
 * (x, t_x, T), above all the one-time buyers, who differ only in T, share one row with a weight.
 */
export interface RepeatHistoryTable {
  /** Customers in the table (the sum of the weights). */
  customers: number;
  /** Customers with x > 0. */
  repeatBuyers: number;
  /** Sums of x and of T over the customers, for the starting points of a fit. */
  totalFrequency: number;
  totalT: number;
  /** The distinct values of t_x and T. */
  times: Float64Array;
  /** The distinct x, ascending; the rows of frequencies[g] are [groupStarts[g], groupStarts[g+1]). */
  frequencies: Float64Array;
  groupStarts: Int32Array;
  /** Per row: where its T and its t_x are in `times` (t_x is unused when x = 0), and its weight. */
  tIndex: Int32Array;
  recencyIndex: Int32Array;
  weight: Float64Array;
}

/**
 * Validates every customer (throws `invalid_input`) and tabulates them. Each customer is read
 * once, in order, and not kept: an iterable that hands out one reused object works
 * (PurchaseSummaryTable.eachRepeatHistory).
 */
export function tabulateRepeatHistories(customers: Iterable<RepeatHistory>): RepeatHistoryTable {
  const timeIndex = new Map<number, number>();
  const indexOf = (t: number) => {
    let i = timeIndex.get(t);
    if (i === undefined) timeIndex.set(t, (i = timeIndex.size));
    return i;
  };
  // x -> (row key -> weight); a row key packs both time indices into one exact integer.
  const groups = new Map<number, Map<number, number>>();
  const pending: number[] = [];
  let repeatBuyers = 0;
  let totalFrequency = 0;
  let totalT = 0;
  let count = 0;
  for (const c of customers) {
    count++;
    assertRepeatHistory(c);
    const x = c.frequency;
    const iT = indexOf(c.T);
    const iTx = x > 0 ? indexOf(c.recency) : iT;
    pending.push(x, iT, iTx);
    if (x > 0) repeatBuyers++;
    totalFrequency += x;
    totalT += c.T;
  }
  // Keys are made after every time is indexed, so the multiplier is final.
  const stride = timeIndex.size;
  for (let k = 0; k < pending.length; k += 3) {
    const x = pending[k] as number;
    const key = (pending[k + 1] as number) * stride + (pending[k + 2] as number);
    let rows = groups.get(x);
    if (!rows) groups.set(x, (rows = new Map()));
    rows.set(key, (rows.get(key) ?? 0) + 1);
  }

  const frequencies = Float64Array.from(groups.keys()).sort();
  const groupStarts = new Int32Array(frequencies.length + 1);
  let rowCount = 0;
  frequencies.forEach((x, g) => {
    groupStarts[g] = rowCount;
    rowCount += (groups.get(x) as Map<number, number>).size;
  });
  groupStarts[frequencies.length] = rowCount;
  const tIndex = new Int32Array(rowCount);
  const recencyIndex = new Int32Array(rowCount);
  const weight = new Float64Array(rowCount);
  let row = 0;
  for (const x of frequencies) {
    for (const [key, w] of groups.get(x) as Map<number, number>) {
      tIndex[row] = floor(key / stride);
      recencyIndex[row] = key % stride;
      weight[row] = w;
      row++;
    }
  }
  return {
    customers: count,
    repeatBuyers,
    totalFrequency,
    totalT,
    times: Float64Array.from(timeIndex.keys()),
    frequencies,
    groupStarts,
    tIndex,
    recencyIndex,
    weight,
  };
}
