/** The vocabulary of docs/lifecycle.md: what a replay reads and what it answers. */

export type ChurnStatus = 'active' | 'at_risk' | 'churned' | 'won_back';
export type LifecycleStage = 'selection' | 'acquisition' | 'retention' | 'extension';
export type LifecycleCause = 'rule' | 'model' | 'manual' | 'purchase';

/** One change of a customer's stage or churn status, dated at the start of its UTC day. */
export interface LifecycleTransition {
  kind: 'stage' | 'churn_status';
  /** Epoch day (days since 1970-01-01 UTC). */
  day: number;
  from: string | null;
  to: string | null;
  cause: LifecycleCause;
}

/** A customer's counted purchases as column arrays (a run holds a million of them: no objects per day). */
export interface CustomerHistory {
  /** Purchase days ascending, unique, all <= asOfDay. */
  days: ArrayLike<number>;
  /** The day's counted amount, same index as days. */
  amounts: ArrayLike<number>;
  /** Days (ascending) on which the customer bought a product category for the first time (may be empty). */
  newCategoryDays: ArrayLike<number>;
}

/** Where the customer stands before the replay: each kind's current state and the day it was reached. */
export interface LifecycleStart {
  /** day null: nothing recorded yet, replay from the beginning. */
  churn: { status: ChurnStatus | null; day: number | null };
  /** day null: the default `selection` (no row yet), replay from the beginning. */
  stage: { stage: LifecycleStage; day: number | null };
}
