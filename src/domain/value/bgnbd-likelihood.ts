/**
 * BG/NBD likelihood (Fader, Hardie and Lee 2005, "Counting your customers the easy way",
 * Marketing Science 24(2), equation 6): for x repeat purchases, the last at t_x, in (0, T],
 *   L = B(a, b+x)/B(a, b) * Gamma(r+x) alpha^r / (Gamma(r) (alpha+T)^(r+x))
 *     + [x > 0] B(a+1, b+x-1)/B(a, b) * Gamma(r+x) alpha^r / (Gamma(r) (alpha+t_x)^(r+x)).
 * Evaluated in logs (the two terms joined by log-add-exp) so x = 1000 stays finite.
 */
import * as fastMath from './fast-math';
import { ValueDomainError } from './domain-error';
import type { RepeatHistory } from './model-inputs';
import { tabulateRepeatHistories, type RepeatHistoryTable } from './repeat-history-table';
import { digammaDifference, lnRisingFactorial } from './special-functions';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { isFinite } = fastMath;

export interface BgnbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** One customer's log-likelihood. */
export function bgnbdLogLikelihood(params: BgnbdParams, customer: RepeatHistory): number {
  return bgnbdLogLikelihoodWithGradient(params, [customer]).value;
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
  const value = tableLogLikelihood(params, tabulateRepeatHistories(customers), gradient);
  return { value, gradient };
}

/**
 * The total log-likelihood of a table, its gradient written into `gradient` (length 4).
 * Parameters are not checked: a fit calls this in its inner loop with parameters it made.
 * Per-row sums are gathered first and multiplied by the terms of their x once per group,
 * which keeps the row loop to one exp and one log1p for a repeat buyer and none otherwise.
 */
export function tableLogLikelihood(
  params: BgnbdParams,
  table: RepeatHistoryTable,
  gradient: number[],
): number {
  // Read once per call: tsx compiles imported bindings to getters, too slow once per row.
  const { abs, exp, log, log1p } = fastMath;
  const { r, alpha, a, b } = params;
  const { times, frequencies, groupStarts, tIndex, recencyIndex, weight } = table;
  const logTime = new Float64Array(times.length);
  const invTime = new Float64Array(times.length);
  for (let k = 0; k < times.length; k++) {
    const shifted = alpha + (times[k] as number);
    logTime[k] = log(shifted);
    invTime[k] = 1 / shifted;
  }
  const logAlpha = log(alpha);
  const logA = log(a);
  let value = 0;
  let dR = 0;
  let dAlpha = 0;
  let dA = 0;
  let dB = 0;
  for (let g = 0; g < frequencies.length; g++) {
    const x = frequencies[g] as number;
    const rx = r + x;
    const end = groupStarts[g + 1] as number;
    // Over the group: weights, and weighted ln(alpha+t), 1/(alpha+t), log-likelihood (less
    // its x-only constant) and dropped-out weight, t being T or t_x as each branch weighs it.
    let count = 0;
    let logs = 0;
    let inverses = 0;
    let rest = 0;
    let dropped = 0;
    if (x === 0) {
      for (let i = groupStarts[g] as number; i < end; i++) {
        const w = weight[i] as number;
        const iT = tIndex[i] as number;
        count += w;
        logs += w * (logTime[iT] as number);
        inverses += w * (invTime[iT] as number);
      }
      rest = -rx * logs;
    } else {
      const dropOut = logA - log(b + x - 1);
      for (let i = groupStarts[g] as number; i < end; i++) {
        const w = weight[i] as number;
        const iT = tIndex[i] as number;
        const iTx = recencyIndex[i] as number;
        const logAlphaT = logTime[iT] as number;
        const logAlphaTx = logTime[iTx] as number;
        const alive = -rx * logAlphaT;
        const out = dropOut - rx * logAlphaTx;
        // log-add-exp of the branches and the logistic weight of the dropped one, sharing exp.
        const gap = out - alive;
        const e = exp(-abs(gap));
        const wDropped = gap >= 0 ? 1 / (1 + e) : e / (1 + e);
        const wAlive = 1 - wDropped;
        count += w;
        rest += w * ((gap >= 0 ? out : alive) + log1p(e));
        logs += w * (wAlive * logAlphaT + wDropped * logAlphaTx);
        inverses += w * (wAlive * (invTime[iT] as number) + wDropped * (invTime[iTx] as number));
        dropped += w * wDropped;
      }
      dA += dropped / a;
      dB -= dropped / (b + x - 1);
    }
    // The x-only terms: ln Gamma(r+x) - ln Gamma(r) + r ln alpha + ln B(a, b+x) - ln B(a, b).
    const psiB = digammaDifference(b, x);
    const psiAB = digammaDifference(a + b, x);
    const constant =
      lnRisingFactorial(r, x) + r * logAlpha + lnRisingFactorial(b, x) - lnRisingFactorial(a + b, x);
    value += count * constant + rest;
    dR += count * (digammaDifference(r, x) + logAlpha) - logs;
    dAlpha += (count * r) / alpha - rx * inverses;
    dA -= count * psiAB;
    dB += count * (psiB - psiAB);
  }
  gradient[0] = dR;
  gradient[1] = dAlpha;
  gradient[2] = dA;
  gradient[3] = dB;
  return value;
}

const PARAM_NAMES = ['r', 'alpha', 'a', 'b'] as const;

export function assertBgnbdParams(params: BgnbdParams): void {
  for (const name of PARAM_NAMES) {
    const v = params[name];
    if (!isFinite(v) || v <= 0)
      throw new ValueDomainError('invalid_input', `BG/NBD ${name} must be finite and > 0`);
  }
}
