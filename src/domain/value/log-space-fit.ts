import { ValueDomainError } from './domain-error';
import { minimizeLbfgs, type MinimizeResult } from './lbfgs';

/** A positive-parameter model's mean log-likelihood and its gradient in the parameters. */
export type MeanLogLikelihood = (params: readonly number[]) => { value: number; gradient: number[] };

export interface LogSpaceFitOptions {
  /** Starting parameter vectors (all entries > 0). The best end point wins. */
  starts: readonly (readonly number[])[];
  /** Parameters outside [1/limit, limit] mean the likelihood has no interior maximum. */
  parameterLimit?: number;
  maxIterations?: number;
  gradientTolerance?: number;
  /** Names for error messages, in parameter order. */
  names: readonly string[];
}

export interface LogSpaceFit {
  params: number[];
  /** Mean log-likelihood at `params`. */
  meanLogLikelihood: number;
  converged: boolean;
  iterations: number;
}

/**
 * ln of the bound past which the optimiser may not go: far beyond any sensible fit, yet well
 * inside the range where lnGamma and exp stay accurate.
 */
const LOG_WALL = Math.log(1e12);

/**
 * The optimiser aims for a mean-gradient of 1e-9 but may stop earlier when the mean
 * log-likelihood stops changing in floating point (about 1e-15 relative). A mean gradient
 * below 1e-6 in log-parameters is then still a maximum for every practical purpose: it moves
 * the total log-likelihood by far less than 1e-3 and the parameters by far less than their
 * standard errors. Such an end point is reported as converged.
 */
const ACCEPTED_GRADIENT = 1e-6;

const isMaximum = (result: MinimizeResult) =>
  result.converged || result.gradient.every((g) => Math.abs(g) <= ACCEPTED_GRADIENT);

const FIRST_CLIMBS = 2;

/**
 * Two climbs end on the same maximum when both are maxima by the test above and their mean
 * log-likelihoods agree to 1e-9 relative: far below any difference between distinct local
 * maxima or a stall on a ridge, far above the rounding of a sum over a million customers.
 */
function sameMaximum(results: readonly MinimizeResult[]): boolean {
  const [first, second] = results;
  if (!first || !second || results.length < FIRST_CLIMBS) return false;
  if (!isMaximum(first) || !isMaximum(second)) return false;
  return Math.abs(first.value - second.value) <= 1e-9 * Math.max(1, Math.abs(first.value));
}

/** The objective's value for ranking starts: +infinity where it cannot be evaluated. */
function valueAt(objective: (u: readonly number[]) => { value: number }, u: readonly number[]): number {
  try {
    const { value } = objective(u);
    return Number.isNaN(value) ? Infinity : value;
  } catch {
    return Infinity;
  }
}

/**
 * Maximum likelihood on u = ln(theta): positivity comes free and the ridge that BG/NBD and
 * Gamma-Gamma likelihoods have in their shape parameters is far better conditioned in logs.
 * Runs L-BFGS from the starts (see `sameMaximum`) and keeps the best; a best point beyond
 * `parameterLimit` means the data pick no interior maximum (e.g. identical customers leave no
 * heterogeneity to estimate) and throws `fit_failed`.
 */
export function fitInLogSpace(
  meanLogLikelihood: MeanLogLikelihood,
  options: LogSpaceFitOptions,
): LogSpaceFit {
  const limit = options.parameterLimit ?? 1e6;
  const objective = (u: readonly number[]) => {
    if (u.some((v) => Math.abs(v) > LOG_WALL)) return { value: Infinity, gradient: u.map(() => NaN) };
    const theta = u.map(Math.exp);
    const { value, gradient } = meanLogLikelihood(theta);
    // d/du = theta d/dtheta; negated because L-BFGS minimises.
    return { value: -value, gradient: gradient.map((g, i) => -g * (theta[i] as number)) };
  };

  const results: MinimizeResult[] = [];
  const climb = (u0: readonly number[]) => {
    try {
      results.push(
        minimizeLbfgs(objective, u0, {
          maxIterations: options.maxIterations ?? 1000,
          gradientTolerance: options.gradientTolerance ?? 1e-9,
        }),
      );
    } catch {
      // this start is outside the likelihood's domain; the others may not be
    }
  };
  // Climb first from the two starts that already fit best. When both reach a maximum of the
  // same height it is the maximum every start has reached in practice, and the other climbs
  // (the costliest part of a fit) are skipped; otherwise every start is climbed.
  const ranked = options.starts
    .map((start) => start.map(Math.log))
    .map((u0) => ({ u0, value: valueAt(objective, u0) }))
    .sort((p, q) => (p.value === q.value ? 0 : p.value < q.value ? -1 : 1));
  ranked.slice(0, FIRST_CLIMBS).forEach(({ u0 }) => climb(u0));
  if (!sameMaximum(results)) ranked.slice(FIRST_CLIMBS).forEach(({ u0 }) => climb(u0));
  const best = results.reduce<MinimizeResult | null>((b, r) => (!b || r.value < b.value ? r : b), null);
  if (!best || !Number.isFinite(best.value)) {
    throw new ValueDomainError('fit_failed', 'the likelihood could not be evaluated from any starting point');
  }
  const params = best.x.map(Math.exp);
  params.forEach((p, i) => {
    if (p > limit || p < 1 / limit) {
      throw new ValueDomainError(
        'fit_failed',
        `no interior maximum: ${options.names[i] ?? `parameter ${i}`} ran to ${p.toPrecision(3)}; ` +
          'the data show too little variation between customers to estimate the model',
      );
    }
  });
  const converged = isMaximum(best);
  return { params, meanLogLikelihood: -best.value, converged, iterations: best.iterations };
}
