/**
 * BG/NBD predictions for one customer (Fader, Hardie and Lee 2005, equations 7, 10 and the
 * P(alive) of their note 021, "Computing P(alive) using the BG/NBD model").
 */
import * as fastMath from './fast-math';
import { assertBgnbdParams, type BgnbdParams } from './bgnbd-likelihood';
import * as domainErrors from './domain-error';
import { ValueDomainError } from './domain-error';
import { assertRepeatHistory, type RepeatHistory } from './model-inputs';
import { hyp2f1, logistic } from './special-functions';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { requireNonNegative } = domainErrors;
const { abs, exp, isFinite, log, log1p } = fastMath;

/**
 * P(alive | x, t_x, T) = 1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)).
 * A customer with no repeat purchase cannot have dropped out yet in this model: 1.
 */
export function probabilityAlive(params: BgnbdParams, customer: RepeatHistory): number {
  assertBgnbdParams(params);
  assertRepeatHistory(customer);
  return aliveProbability(params, customer);
}

/** P(alive) for parameters and a customer already checked. */
export function aliveProbability({ r, alpha, a, b }: BgnbdParams, customer: RepeatHistory): number {
  const x = customer.frequency;
  if (x === 0) return 1;
  const logOdds =
    log(a) - log(b + x - 1) + (r + x) * (log(alpha + customer.T) - log(alpha + customer.recency));
  return logistic(-logOdds);
}

/**
 * E[Y(t) | x, t_x, T]: purchases expected in (T, T + t] (equation 10),
 *   (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)] P(alive),
 *   z = t / (alpha+T+t).
 * As written it overflows for large x (2F1 grows like (1-z)^-(r+x) while the power shrinks
 * like (1-z)^(r+x)), so Euler's transformation 2F1(A,B;C;z) = (1-z)^(C-A-B) 2F1(C-A,C-B;C;z)
 * is applied first: the bracket becomes 1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), whose
 * 2F1 has small upper parameters and a large lower one, so it is O(1) and converges fast.
 */
export function conditionalExpectedPurchases(
  params: BgnbdParams,
  customer: RepeatHistory,
  t: number,
): number {
  requireNonNegative(t, 'the horizon t');
  const pAlive = probabilityAlive(params, customer);
  if (t === 0) return 0;
  const { r, alpha, a, b } = params;
  const x = customer.frequency;
  const z = t / (alpha + customer.T + t);
  return checkedExpectation(expectedIfAlive(r, a, b, x, z) * pAlive);
}

/** Throws `undefined_expectation` for what no expectation can be (NaN, infinite, negative). */
export function checkedExpectation(expected: number): number {
  if (!isFinite(expected) || expected < 0) {
    throw new ValueDomainError(
      'undefined_expectation',
      'the expected number of purchases could not be evaluated',
    );
  }
  return expected;
}

/**
 * E[X(t)] for a customer seen only at their first purchase (equation 7): the conditional
 * expectation at x = 0, t_x = 0, T = 0, where P(alive) = 1.
 */
export function expectedPurchasesNewCustomer(params: BgnbdParams, t: number): number {
  return conditionalExpectedPurchases(params, { frequency: 0, recency: 0, T: 0 }, t);
}

/** Relative step around b where a + b = 1 exactly (x = 0): see below. */
const B_STEP = 1e-7;

/**
 * (a+b+x-1) [1 - (1-z)^(a-1) 2F1(...)] / (a-1): purchases expected if alive. For x = 0 and
 * a + b = 1 exactly, 2F1's lower parameter is 0 and the factors are 0 x infinity; the value is
 * continuous in b there, so it is the mean of b (1 -/+ 1e-7), exact to O(1e-14).
 */
export function expectedIfAlive(r: number, a: number, b: number, x: number, z: number): number {
  if (a + b + x - 1 === 0) {
    const low = b * (1 - B_STEP);
    const high = b * (1 + B_STEP);
    return (
      ((a + low - 1) * bracketOverAMinusOne(r, a, low, x, z) +
        (a + high - 1) * bracketOverAMinusOne(r, a, high, x, z)) /
      2
    );
  }
  return (a + b + x - 1) * bracketOverAMinusOne(r, a, b, x, z);
}

/** Half-width of the band around a = 1 where the bracket is interpolated (see below). */
const A_NEAR_ONE = 1e-5;

/**
 * [1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z)] / (a-1). The ratio is smooth in a, but at
 * a = 1 both parts vanish and near it the subtraction cancels (relative error ~ 1e-16/|a-1|).
 * Within 1e-5 of a = 1 it is interpolated linearly between a = 1 -/+ 1e-5, where it is still
 * accurate to ~1e-11; the interpolation itself errs by O(1e-10).
 */
function bracketOverAMinusOne(r: number, a: number, b: number, x: number, z: number): number {
  if (abs(a - 1) >= A_NEAR_ONE) return exactBracket(r, a, b, x, z);
  const below = exactBracket(r, 1 - A_NEAR_ONE, b, x, z);
  const above = exactBracket(r, 1 + A_NEAR_ONE, b, x, z);
  return below + ((above - below) * (a - (1 - A_NEAR_ONE))) / (2 * A_NEAR_ONE);
}

function exactBracket(r: number, a: number, b: number, x: number, z: number): number {
  const power = exp((a - 1) * log1p(-z));
  return (1 - power * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z)) / (a - 1);
}
