/**
 * The measures of an association rule A -> B over a set of baskets (docs/associations.md):
 *
 *   support(A -> B)    = n(A and B) / N                       (Agrawal, Imielinski & Swami 1993)
 *   confidence(A -> B) = n(A and B) / n(A)                    (ibid.)
 *   lift(A -> B)       = confidence(A -> B) / (n(B) / N)      (Brin, Motwani, Ullman & Tsur 1997,
 *                      = n(A and B) * N / (n(A) * n(B))        there called "interest")
 *
 * N is the number of baskets, n(X) the number of baskets containing X. Lift above 1 means the
 * two are bought together more often than if they were independent.
 */
export interface RuleCounts {
  /** Baskets with both products. */
  both: number;
  /** Baskets with the antecedent. */
  antecedent: number;
  /** Baskets with the consequent. */
  consequent: number;
  /** All baskets. */
  baskets: number;
}

export interface RuleMeasures {
  support: number;
  confidence: number;
  lift: number;
}

export function ruleMeasures(counts: RuleCounts): RuleMeasures {
  const { both, antecedent, consequent, baskets } = counts;
  if (baskets <= 0 || antecedent <= 0 || consequent <= 0) return { support: 0, confidence: 0, lift: 0 };
  return {
    support: both / baskets,
    confidence: both / antecedent,
    lift: (both * baskets) / (antecedent * consequent),
  };
}

/**
 * The fewest baskets a pair (or a product) must appear in to reach `minSupport` of `baskets`:
 * the smallest whole count c with c / baskets >= minSupport, and at least 1. Computed on
 * millionths so that 0.07 x 100 is 7, not 7.000000000000001 rounded up to 8.
 */
export function minimumCount(minSupport: number, baskets: number): number {
  if (!(minSupport > 0) || baskets <= 0) return 1;
  const millionths = BigInt(Math.round(minSupport * 1_000_000));
  const scaled = millionths * BigInt(baskets);
  const count = (scaled + 999_999n) / 1_000_000n;
  return Math.max(1, Number(count));
}
