import type { LifecycleStage } from './lifecycle-types';

/**
 * Whether a later purchase day extends the relationship (docs/lifecycle.md "Stages"): it
 * brings a category the customer never bought before, or its amount is above `factor` times the
 * mean of all earlier purchase days (`earlierSum` over `earlierCount` days, counted from the
 * first purchase ever, not from where a replay starts). Compared as amount x count > factor x
 * sum: the same test without a division.
 */
export function extendsRelationship(
  newCategory: boolean,
  amount: number,
  earlierSum: number,
  earlierCount: number,
  factor: number,
): boolean {
  return newCategory || (earlierCount > 0 && amount * earlierCount > factor * earlierSum);
}

/**
 * The stage a purchase day leaves: the first purchase ever is acquisition; a later one that
 * extends is extension; any other later one moves selection (no purchase yet, or set so by hand)
 * and acquisition on to retention, and leaves retention and extension where they are
 * (extension is not undone by an ordinary repeat).
 */
export function stageAfterPurchase(
  stage: LifecycleStage,
  firstEver: boolean,
  extending: boolean,
): LifecycleStage {
  if (firstEver) return 'acquisition';
  if (extending) return 'extension';
  return stage === 'selection' || stage === 'acquisition' ? 'retention' : stage;
}
