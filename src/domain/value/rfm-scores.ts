import * as domainErrors from './domain-error';
import { rfmSegment, type RfmSegment, type Score } from './rfm-segments';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { requireFinite } = domainErrors;

export interface RfmInput {
  id: string;
  /** Time since the last purchase (smaller is better). */
  sinceLastPurchase: number;
  /** Number of purchases. */
  purchases: number;
  /** Total spend. */
  totalAmount: number;
}

export interface RfmScore {
  id: string;
  r: Score;
  f: Score;
  m: Score;
  /** e.g. "545" */
  code: string;
  segment: RfmSegment;
}

/**
 * Quintile scores 1..5 over the given base (5 = most recent, most frequent, highest spend).
 * Ties: every customer with the same value gets the same score, the quintile of the tie
 * group's mid-rank: score = 1 + floor(5 (midrank - 1/2) / n), midrank being the mean 1-based
 * rank of the group. With distinct values this is the plain quintile split; a large tie
 * group lands in the quintile of its middle (many one-time buyers share one frequency score),
 * and a base of identical customers, or a single customer, scores 3 on everything.
 * Results come back in input order.
 */
export function rfmScores(customers: readonly RfmInput[]): RfmScore[] {
  const { r, f, m } = rfmQuintiles(customers);
  return customers.map((c, i) => ({ id: c.id, ...rfmScore(r[i] as Score, f[i] as Score, m[i] as Score) }));
}

/** The three quintile scores of every customer (see rfmScores), in input order. */
export function rfmQuintiles(customers: ReadonlyArray<Omit<RfmInput, 'id'>>): {
  r: Score[];
  f: Score[];
  m: Score[];
} {
  return rfmQuintilesOf({
    sinceLastPurchase: customers.map((c) => c.sinceLastPurchase),
    purchases: customers.map((c) => c.purchases),
    totalAmount: customers.map((c) => c.totalAmount),
  });
}

/** The same from the three columns of the base. */
export function rfmQuintilesOf(columns: {
  sinceLastPurchase: ArrayLike<number>;
  purchases: ArrayLike<number>;
  totalAmount: ArrayLike<number>;
}): { r: Score[]; f: Score[]; m: Score[] } {
  const n = columns.sinceLastPurchase.length;
  const recency = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    recency[i] = -requireFinite(columns.sinceLastPurchase[i] as number, 'sinceLastPurchase');
    requireFinite(columns.purchases[i] as number, 'purchases');
    requireFinite(columns.totalAmount[i] as number, 'totalAmount');
  }
  return {
    r: quintileScores(recency),
    f: quintileScores(columns.purchases),
    m: quintileScores(columns.totalAmount),
  };
}

/** A customer's RFM code ("545") and named segment from the three scores. */
export function rfmScore(r: Score, f: Score, m: Score): Readonly<Omit<RfmScore, 'id'>> {
  const score = RFM_SCORES[(r - 1) * 25 + (f - 1) * 5 + (m - 1)];
  if (!score) throw new RangeError(`RFM scores are integers 1 to 5, not ${r}, ${f}, ${m}`);
  return score;
}

/** The 125 possible scores, made once and shared (they are read-only). */
const RFM_SCORES: ReadonlyArray<Readonly<Omit<RfmScore, 'id'>>> = Array.from({ length: 125 }, (_, k) => {
  const r = (Math.floor(k / 25) + 1) as Score;
  const f = ((Math.floor(k / 5) % 5) + 1) as Score;
  const m = ((k % 5) + 1) as Score;
  return Object.freeze({ r, f, m, code: `${r}${f}${m}`, segment: rfmSegment(r, f) });
});

/**
 * Scores of `values` (higher value, higher score) by mid-rank quintile; see rfmScores. Each
 * tie group of the sorted values gets its score once, at its first position, and each value
 * finds its group by binary search.
 */
export function quintileScores(values: ArrayLike<number>): Score[] {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const groupScore = new Uint8Array(n);
  for (let first = 0; first < n;) {
    let last = first;
    while (last + 1 < n && sorted[last + 1] === sorted[first]) last++;
    const midrank = (first + last) / 2 + 1;
    groupScore[first] = Math.min(5, Math.max(1, 1 + Math.floor((5 * (midrank - 0.5)) / n)));
    first = last + 1;
  }
  const scores: Score[] = new Array<Score>(n);
  for (let i = 0; i < n; i++) {
    const value = values[i] as number;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    scores[i] = groupScore[lo] as Score;
  }
  return scores;
}
