import { ValueDomainError } from '../../../src/domain/value/domain-error';
import { assertGammaGammaParams, type GammaGammaParams } from './gamma-gamma-likelihood';
import type { SpendHistory } from './model-inputs';

/**
 * E[Z | x, zbar] = p (v + x zbar) / (p x + q - 1) (Fader, Hardie and Lee 2005, RFM and CLV,
 * equation 5): a weighted mean of the population mean p v / (q - 1) and the customer's own
 * zbar, the weight on zbar growing with x. With x = 0 it is the population mean. Throws
 * `undefined_expectation` when p x + q <= 1 (the posterior mean of 1/nu does not exist).
 */
export function expectedSpend(params: GammaGammaParams, customer: SpendHistory): number {
  assertGammaGammaParams(params);
  const { p, q, v } = params;
  const x = customer.frequency;
  const zbar = x > 0 ? customer.repeatAverageAmount : 0;
  if (!Number.isInteger(x) || x < 0 || !Number.isFinite(zbar)) {
    throw new ValueDomainError(
      'invalid_input',
      'frequency must be an integer >= 0 and the mean spend finite',
    );
  }
  const denominator = p * x + q - 1;
  if (denominator <= 0) {
    throw new ValueDomainError('undefined_expectation', 'expected spend is undefined when p x + q <= 1');
  }
  return (p * (v + x * zbar)) / denominator;
}

/** E[Z] = p v / (q - 1) for a customer with no repeat purchase yet. */
export function expectedSpendNewCustomer(params: GammaGammaParams): number {
  return expectedSpend(params, { frequency: 0, repeatAverageAmount: 0 });
}
