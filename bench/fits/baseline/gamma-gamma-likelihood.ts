/**
 * Gamma-Gamma spend model (Fader, Hardie and Lee 2005, "RFM and CLV: using iso-value curves
 * for customer base analysis", JMR 42(4); likelihood as in Fader and Hardie 2013, note 025,
 * "The Gamma-Gamma model of monetary value"). Each purchase is z ~ Gamma(p, nu) (shape p,
 * rate nu), nu ~ Gamma(q, v) across customers (v is the rate the papers call gamma). For a
 * customer with x purchases of mean zbar:
 *   f(zbar) = Gamma(px+q) / (Gamma(px) Gamma(q)) v^q zbar^(px-1) x^(px) / (v + x zbar)^(px+q).
 */
import { isFinite, isInteger, log } from '../../../src/domain/value/fast-math';
import { ValueDomainError } from '../../../src/domain/value/domain-error';
import { groupByFrequency, type SpendHistory } from './model-inputs';
import { digamma, lnGamma } from '../../../src/domain/value/special-functions';

export interface GammaGammaParams {
  p: number;
  q: number;
  /** The scale parameter often written gamma (a rate of the distribution of nu). */
  v: number;
}

/** Only repeat buyers with a positive mean spend carry information about spend. */
export function isSpendObservation(c: SpendHistory): boolean {
  return c.frequency > 0 && c.repeatAverageAmount > 0;
}

export function gammaGammaLogLikelihood(params: GammaGammaParams, customer: SpendHistory): number {
  return gammaGammaLogLikelihoodWithGradient(params, [customer]).value;
}

/** Summed over customers; throws `invalid_input` for a customer without positive repeat spend. */
export function gammaGammaTotalLogLikelihood(
  params: GammaGammaParams,
  customers: readonly SpendHistory[],
): number {
  return gammaGammaLogLikelihoodWithGradient(params, customers).value;
}

export function gammaGammaLogLikelihoodWithGradient(
  params: GammaGammaParams,
  customers: readonly SpendHistory[],
): { value: number; gradient: [number, number, number] } {
  assertGammaGammaParams(params);
  const { p, q, v } = params;
  const logV = log(v);
  const psiQ = digamma(q);
  const lnGammaQ = lnGamma(q);
  let value = 0;
  const gradient: [number, number, number] = [0, 0, 0];
  for (const [x, group] of groupByFrequency(customers)) {
    const px = p * x;
    const constant = lnGamma(px + q) - lnGamma(px) - lnGammaQ + q * logV + px * log(x);
    const psiSum = digamma(px + q);
    const psiPx = digamma(px);
    for (const c of group) {
      if (!isSpendObservation(c) || !isFinite(c.repeatAverageAmount) || !isInteger(x)) {
        throw new ValueDomainError(
          'invalid_input',
          'Gamma-Gamma takes customers with an integer frequency >= 1 and a positive repeat mean spend',
        );
      }
      const logZ = log(c.repeatAverageAmount);
      const logDenominator = log(v + x * c.repeatAverageAmount);
      value += constant + (px - 1) * logZ - (px + q) * logDenominator;
      gradient[0] += x * (psiSum - psiPx + logZ + log(x) - logDenominator);
      gradient[1] += psiSum - psiQ + logV - logDenominator;
      gradient[2] += q / v - (px + q) / (v + x * c.repeatAverageAmount);
    }
  }
  return { value, gradient };
}

export function assertGammaGammaParams(params: GammaGammaParams): void {
  for (const [name, value] of Object.entries(params)) {
    if (!isFinite(value) || value <= 0) {
      throw new ValueDomainError('invalid_input', `Gamma-Gamma ${name} must be finite and > 0`);
    }
  }
}
