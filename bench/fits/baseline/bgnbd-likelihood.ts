/**
 * BG/NBD likelihood (Fader, Hardie and Lee 2005, "Counting your customers the easy way",
 * Marketing Science 24(2), equation 6): for x repeat purchases, the last at t_x, in (0, T],
 *   L = B(a, b+x)/B(a, b) * Gamma(r+x) alpha^r / (Gamma(r) (alpha+T)^(r+x))
 *     + [x > 0] B(a+1, b+x-1)/B(a, b) * Gamma(r+x) alpha^r / (Gamma(r) (alpha+t_x)^(r+x)).
 * Evaluated in logs (the two terms joined by log-add-exp) so x = 1000 stays finite.
 */
import { NEGATIVE_INFINITY, isFinite, log } from '../../../src/domain/value/fast-math';
import { ValueDomainError } from '../../../src/domain/value/domain-error';
import { assertRepeatHistory, groupByFrequency, type RepeatHistory } from './model-inputs';
import {
  digammaDifference,
  lnRisingFactorial,
  logAddExp,
  logistic,
} from '../../../src/domain/value/special-functions';

export interface BgnbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Terms that depend on the parameters and x only. */
interface FrequencyTerms {
  /** ln Gamma(r+x) - ln Gamma(r) + r ln alpha + ln B(a, b+x) - ln B(a, b) */
  constant: number;
  /** ln a - ln(b+x-1): the dropped-out branch relative to the alive one (x > 0). */
  dropOut: number;
  dConstant: [number, number, number, number];
}

function frequencyTerms({ r, alpha, a, b }: BgnbdParams, x: number): FrequencyTerms {
  const psiR = digammaDifference(r, x);
  const psiB = digammaDifference(b, x);
  const psiAB = digammaDifference(a + b, x);
  return {
    constant:
      lnRisingFactorial(r, x) + r * log(alpha) + lnRisingFactorial(b, x) - lnRisingFactorial(a + b, x),
    dropOut: x > 0 ? log(a) - log(b + x - 1) : NEGATIVE_INFINITY,
    dConstant: [psiR + log(alpha), r / alpha, -psiAB, psiB - psiAB],
  };
}

/** One customer's log-likelihood. */
export function bgnbdLogLikelihood(params: BgnbdParams, customer: RepeatHistory): number {
  assertRepeatHistory(customer);
  assertBgnbdParams(params);
  const terms = frequencyTerms(params, customer.frequency);
  return customerTerm(params, terms, customer).value;
}

/** The sum over customers: the full log-likelihood of the paper (-9582.4 on the CDNOW sample). */
export function bgnbdTotalLogLikelihood(params: BgnbdParams, customers: readonly RepeatHistory[]): number {
  return bgnbdLogLikelihoodWithGradient(params, customers).value;
}

/** Total log-likelihood and its gradient in (r, alpha, a, b). */
export function bgnbdLogLikelihoodWithGradient(
  params: BgnbdParams,
  customers: readonly RepeatHistory[],
): { value: number; gradient: [number, number, number, number] } {
  assertBgnbdParams(params);
  const gradient: [number, number, number, number] = [0, 0, 0, 0];
  let value = 0;
  for (const [x, group] of groupByFrequency(customers)) {
    const terms = frequencyTerms(params, x);
    for (const customer of group) {
      assertRepeatHistory(customer);
      const term = customerTerm(params, terms, customer);
      value += term.value;
      for (let i = 0; i < 4; i++) gradient[i] = (gradient[i] as number) + (term.gradient[i] as number);
    }
  }
  return { value, gradient };
}

function customerTerm(
  params: BgnbdParams,
  terms: FrequencyTerms,
  { frequency: x, recency, T }: RepeatHistory,
) {
  const { r, alpha, a, b } = params;
  const logAlphaT = log(alpha + T);
  const alive = -(r + x) * logAlphaT;
  if (x === 0) {
    return {
      value: terms.constant + alive,
      gradient: [
        terms.dConstant[0] - logAlphaT,
        terms.dConstant[1] - r / (alpha + T),
        terms.dConstant[2],
        terms.dConstant[3],
      ],
    };
  }
  const logAlphaTx = log(alpha + recency);
  const dropped = terms.dropOut - (r + x) * logAlphaTx;
  const wDropped = logistic(dropped - alive);
  const wAlive = 1 - wDropped;
  return {
    value: terms.constant + logAddExp(alive, dropped),
    gradient: [
      terms.dConstant[0] - wAlive * logAlphaT - wDropped * logAlphaTx,
      terms.dConstant[1] - (r + x) * (wAlive / (alpha + T) + wDropped / (alpha + recency)),
      terms.dConstant[2] + wDropped / a,
      terms.dConstant[3] - wDropped / (b + x - 1),
    ],
  };
}

export function assertBgnbdParams(params: BgnbdParams): void {
  for (const [name, v] of Object.entries(params)) {
    if (!isFinite(v) || v <= 0)
      throw new ValueDomainError('invalid_input', `BG/NBD ${name} must be finite and > 0`);
  }
}
