/**
 * Gamma-Gamma spend model (Fader, Hardie and Lee 2005, "RFM and CLV: using iso-value curves
 * for customer base analysis", JMR 42(4); likelihood as in Fader and Hardie 2013, note 025,
 * "The Gamma-Gamma model of monetary value"). Each purchase is z ~ Gamma(p, nu) (shape p,
 * rate nu), nu ~ Gamma(q, v) across customers (v is the rate the papers call gamma). For a
 * customer with x purchases of mean zbar:
 *   f(zbar) = Gamma(px+q) / (Gamma(px) Gamma(q)) v^q zbar^(px-1) x^(px) / (v + x zbar)^(px+q).
 */
import * as fastMath from './fast-math';
import { ValueDomainError } from './domain-error';
import type { SpendHistory } from './model-inputs';
import { tabulateSpendHistories, type SpendHistoryTable } from './spend-history-table';
import { digamma, lnGamma } from './special-functions';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { isFinite } = fastMath;

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
  const gradient: [number, number, number] = [0, 0, 0];
  const value = spendTableLogLikelihood(params, tabulateSpendHistories(customers), gradient);
  return { value, gradient };
}

/**
 * The total log-likelihood of a table, its gradient written into `gradient` (length 3);
 * parameters unchecked, as for the BG/NBD table. A customer costs one log and one division.
 */
export function spendTableLogLikelihood(
  params: GammaGammaParams,
  table: SpendHistoryTable,
  gradient: number[],
): number {
  // Read once per call: tsx compiles imported bindings to getters, too slow once per row.
  const { log } = fastMath;
  const { p, q, v } = params;
  const { frequencies, groupStarts, logSpendSums, totalRepeatSpend } = table;
  const logV = log(v);
  const psiQ = digamma(q);
  const lnGammaQ = lnGamma(q);
  let value = 0;
  let dP = 0;
  let dQ = 0;
  let dV = 0;
  for (let g = 0; g < frequencies.length; g++) {
    const x = frequencies[g] as number;
    const start = groupStarts[g] as number;
    const end = groupStarts[g + 1] as number;
    let logDenominators = 0;
    let inverseDenominators = 0;
    for (let i = start; i < end; i++) {
      const denominator = v + (totalRepeatSpend[i] as number);
      logDenominators += log(denominator);
      inverseDenominators += 1 / denominator;
    }
    const count = end - start;
    const logSpend = logSpendSums[g] as number;
    const px = p * x;
    const logX = log(x);
    const psiSum = digamma(px + q);
    const constant = lnGamma(px + q) - lnGamma(px) - lnGammaQ + q * logV + px * logX;
    value += count * constant + (px - 1) * logSpend - (px + q) * logDenominators;
    dP += x * (count * (psiSum - digamma(px) + logX) + logSpend - logDenominators);
    dQ += count * (psiSum - psiQ + logV) - logDenominators;
    dV += (count * q) / v - (px + q) * inverseDenominators;
  }
  gradient[0] = dP;
  gradient[1] = dQ;
  gradient[2] = dV;
  return value;
}

const PARAM_NAMES = ['p', 'q', 'v'] as const;

export function assertGammaGammaParams(params: GammaGammaParams): void {
  for (const name of PARAM_NAMES) {
    const value = params[name];
    if (!isFinite(value) || value <= 0) {
      throw new ValueDomainError('invalid_input', `Gamma-Gamma ${name} must be finite and > 0`);
    }
  }
}
