/**
 * Special functions the models need. Gamma, digamma and the Gauss hypergeometric 2F1 come
 * from stdlib (maintained ports of Cephes/Boost, accurate to a few ulps over our ranges);
 * the helpers here only combine them so that large counts do not lose precision.
 */
import * as fastMath from './fast-math';
import digammaFn from '@stdlib/math-base-special-digamma';
import gammalnFn from '@stdlib/math-base-special-gammaln';
import hyp2f1Fn from '@stdlib/math-base-special-hyp2f1';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { NEGATIVE_INFINITY, abs, exp, isInteger, log, log1p, max } = fastMath;

export const lnGamma: (x: number) => number = gammalnFn;
export const digamma: (x: number) => number = digammaFn;

/** Gauss hypergeometric 2F1(a, b; c; z) for z < 1. */
export const hyp2f1: (a: number, b: number, c: number, z: number) => number = hyp2f1Fn;

/** Below this many terms an exact sum beats the difference of two large lnGamma values. */
const SMALL_COUNT = 64;

/**
 * ln Gamma(a + n) - ln Gamma(a) for a > 0, n >= 0. For a small integer n the sum of logs is
 * exact even when a is huge (where the lnGamma difference would cancel catastrophically).
 */
export function lnRisingFactorial(a: number, n: number): number {
  if (isInteger(n) && n <= SMALL_COUNT) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += log(a + k);
    return sum;
  }
  return lnGamma(a + n) - lnGamma(a);
}

/** digamma(a + n) - digamma(a), exact as a finite sum for small integer n. */
export function digammaDifference(a: number, n: number): number {
  if (isInteger(n) && n <= SMALL_COUNT) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += 1 / (a + k);
    return sum;
  }
  return digamma(a + n) - digamma(a);
}

/** ln(e^x + e^y) without overflow. */
export function logAddExp(x: number, y: number): number {
  if (x === NEGATIVE_INFINITY) return y;
  if (y === NEGATIVE_INFINITY) return x;
  const larger = max(x, y);
  return larger + log1p(exp(-abs(x - y)));
}

/** 1 / (1 + e^-x), saturating to 0 or 1 instead of producing NaN. */
export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + exp(-x));
  const e = exp(x);
  return e / (1 + e);
}
