import { ValueDomainError } from '../value/domain-error';

/** The configurable factors of docs/lifecycle.md (CHURN_AT_RISK_FACTOR and friends). */
export interface LifecycleRules {
  /** At risk on the first day with d > atRiskFactor x c (default 2). */
  atRiskFactor: number;
  /** Churned on the first day with d > churnedFactor x c (default 3). */
  churnedFactor: number;
  /** A BG/NBD P(alive) below this churns the customer at asOf (default 0.1). */
  pAliveThreshold: number;
  /** A purchase day above this times the mean of the earlier ones is an extension (default 1.5). */
  extensionSpendFactor: number;
}

export const DEFAULT_LIFECYCLE_RULES: LifecycleRules = Object.freeze({
  atRiskFactor: 2,
  churnedFactor: 3,
  pAliveThreshold: 0.1,
  extensionSpendFactor: 1.5,
});

/**
 * Throws `invalid_input` unless the rules make sense. A handful of comparisons: cheap enough to
 * run for every customer, so a bad configuration fails on the first one instead of writing a
 * million wrong histories.
 */
export function requireValidRules(rules: LifecycleRules): void {
  const { atRiskFactor, churnedFactor, pAliveThreshold, extensionSpendFactor } = rules;
  // Written as negated "good" comparisons so that NaN fails every one of them.
  if (!(atRiskFactor > 0 && atRiskFactor <= churnedFactor && churnedFactor < Infinity)) {
    throw new ValueDomainError(
      'invalid_input',
      'churn factors must satisfy 0 < atRiskFactor <= churnedFactor',
    );
  }
  if (!(pAliveThreshold >= 0 && pAliveThreshold <= 1)) {
    throw new ValueDomainError('invalid_input', 'pAliveThreshold must be between 0 and 1');
  }
  if (!(extensionSpendFactor > 0 && extensionSpendFactor < Infinity)) {
    throw new ValueDomainError('invalid_input', 'extensionSpendFactor must be a finite number > 0');
  }
}
