/**
 * Quantile of sorted data by linear interpolation between order statistics (Hyndman and Fan
 * type 7, the default of R and numpy), so tertiles and medians match those tools.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, probability: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty list');
  const h = (n - 1) * probability;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const low = sorted[lo] as number;
  return low + (h - lo) * ((sorted[hi] as number) - low);
}

/** Median of the values, or null when there are none. */
export function median(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  return quantileOfSorted(Float64Array.from(values).sort(), 0.5);
}

/** The 1/3 and 2/3 quantiles, or null when there are no values. */
export function tertiles(values: ArrayLike<number>): [number, number] | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return [quantileOfSorted(sorted, 1 / 3), quantileOfSorted(sorted, 2 / 3)];
}
