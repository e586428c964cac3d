import { requireFinite } from './domain-error';
import { rfmSegment, type RfmSegment, type Score } from './rfm-segments';

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
  for (const c of customers) {
    requireFinite(c.sinceLastPurchase, 'sinceLastPurchase');
    requireFinite(c.purchases, 'purchases');
    requireFinite(c.totalAmount, 'totalAmount');
  }
  const r = quintileScores(customers.map((c) => -c.sinceLastPurchase));
  const f = quintileScores(customers.map((c) => c.purchases));
  const m = quintileScores(customers.map((c) => c.totalAmount));
  return customers.map((c, i) => {
    const scores = [r[i], f[i], m[i]] as [Score, Score, Score];
    return {
      id: c.id,
      r: scores[0],
      f: scores[1],
      m: scores[2],
      code: scores.join(''),
      segment: rfmSegment(scores[0], scores[1]),
    };
  });
}

/** Scores of `values` (higher value, higher score) by mid-rank quintile; see rfmScores. */
export function quintileScores(values: readonly number[]): Score[] {
  const n = values.length;
  const order = values.map((_, i) => i).sort((i, j) => (values[i] as number) - (values[j] as number));
  const scores: Score[] = new Array<Score>(n);
  let start = 0;
  while (start < n) {
    let end = start;
    const value = values[order[start] as number];
    while (end + 1 < n && values[order[end + 1] as number] === value) end++;
    const midrank = (start + end) / 2 + 1;
    const score = Math.min(5, Math.max(1, 1 + Math.floor((5 * (midrank - 0.5)) / n))) as Score;
    for (let k = start; k <= end; k++) scores[order[k] as number] = score;
    start = end + 1;
  }
  return scores;
}
