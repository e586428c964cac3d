import * as domainErrors from './domain-error';
import { ValueDomainError } from './domain-error';
import { median } from './quantiles';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { requireNonNegative } = domainErrors;

export type ChurnStatus = 'active' | 'at_risk' | 'churned' | 'won_back';

export interface ChurnRules {
  /** d > atRiskFactor x c is at risk (default 2). */
  atRiskFactor: number;
  /** d > churnedFactor x c is churned (default 3). */
  churnedFactor: number;
  /** P(alive) below this is churned too, where a BG/NBD fit exists (default 0.1). */
  pAliveThreshold: number;
}

export const DEFAULT_CHURN_RULES: ChurnRules = { atRiskFactor: 2, churnedFactor: 3, pAliveThreshold: 0.1 };

export interface ChurnInput {
  /** d: time since the last purchase, in the cycle's unit. */
  sinceLastPurchase: number;
  /** c; null for a one-time buyer. */
  averageCycle: number | null;
  /** P(alive) from the BG/NBD fit, when there is one. */
  pAlive?: number | null;
  /** The status recorded at the previous snapshot, if any. */
  previousStatus?: ChurnStatus | null;
  /** Whether the customer bought after that previous snapshot. */
  purchasedSincePrevious?: boolean;
}

/**
 * Median cycle of the base: the cycle a one-time buyer is judged by. Null when nobody has
 * bought twice yet.
 */
export function baseMedianCycle(cycles: ArrayLike<number | null>): number | null {
  return median(Array.from(cycles).filter((c): c is number => c !== null && !Number.isNaN(c)));
}

/**
 * docs/domain.md 5.7 churn rule. With c the customer's cycle (a one-time buyer's is the base median
 * `baseCycle`) and d the time since the last purchase: d > churnedFactor c churned, else
 * d > atRiskFactor c at risk, else active; P(alive) < threshold also makes churned.
 * Won back: a purchase after a snapshot that said churned gives `won_back`, and the label
 * stays while the rule says active (a won-back customer remains one until they lapse again).
 * With no cycle at all (a one-time buyer in a base where nobody bought twice) only P(alive)
 * can judge; without it the customer is active.
 */
export function churnStatus(
  input: ChurnInput,
  baseCycle: number | null,
  rules: ChurnRules = DEFAULT_CHURN_RULES,
): ChurnStatus {
  requireNonNegative(input.sinceLastPurchase, 'sinceLastPurchase');
  if (rules.churnedFactor < rules.atRiskFactor || rules.atRiskFactor <= 0) {
    throw new ValueDomainError(
      'invalid_input',
      'churn factors must satisfy 0 < atRiskFactor <= churnedFactor',
    );
  }
  const byRule = ruleStatus(input, baseCycle, rules);
  const previous = input.previousStatus ?? null;
  if (previous === 'churned' && input.purchasedSincePrevious === true && byRule !== 'churned')
    return 'won_back';
  if (previous === 'won_back' && byRule === 'active') return 'won_back';
  return byRule;
}

function ruleStatus(
  input: ChurnInput,
  baseCycle: number | null,
  rules: ChurnRules,
): Exclude<ChurnStatus, 'won_back'> {
  const pAlive = input.pAlive ?? null;
  if (pAlive !== null && pAlive < rules.pAliveThreshold) return 'churned';
  const cycle = input.averageCycle ?? baseCycle;
  if (cycle === null) return 'active';
  const d = input.sinceLastPurchase;
  if (d > rules.churnedFactor * cycle) return 'churned';
  if (d > rules.atRiskFactor * cycle) return 'at_risk';
  return 'active';
}
