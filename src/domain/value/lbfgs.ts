/**
 * Limited-memory BFGS with a strong-Wolfe line search (Nocedal and Wright, Numerical
 * Optimization, 2nd ed., algorithms 7.4, 3.5 and 3.6). Written here because the npm
 * optimisers on offer are unmaintained or ship build tools as runtime dependencies.
 * Pure: the objective is a plain function and nothing but numbers goes in or out.
 */
import * as fastMath from './fast-math';

// Bound once: an imported binding compiled to CommonJS is a property read at every use.
const { POSITIVE_INFINITY, abs, isFinite, max, min, sign, sqrt } = fastMath;

export interface Evaluation {
  value: number;
  gradient: number[];
}

/** The function to minimise; a non-finite value marks a point outside the domain. */
export type Objective = (x: readonly number[]) => Evaluation;

export interface MinimizeOptions {
  maxIterations?: number;
  /** Stop when max |gradient_i| <= gradientTolerance. */
  gradientTolerance?: number;
  /** Stop when an iteration improves the value by less than this, relative to max(1, |f|). */
  functionTolerance?: number;
  /** Correction pairs kept. */
  memory?: number;
}

export type StopReason = 'gradient' | 'function' | 'max_iterations' | 'line_search';

export interface MinimizeResult {
  x: number[];
  value: number;
  gradient: number[];
  iterations: number;
  /** The gradient test passed: the point is a stationary point to the tolerance. */
  converged: boolean;
  reason: StopReason;
}

const C1 = 1e-4;
const C2 = 0.9;
const MAX_LINE_SEARCH_STEPS = 60;
const MACHINE_EPSILON = 2 ** -52;

export function minimizeLbfgs(
  objective: Objective,
  x0: readonly number[],
  options: MinimizeOptions = {},
): MinimizeResult {
  const maxIterations = options.maxIterations ?? 500;
  const gradientTolerance = options.gradientTolerance ?? 1e-8;
  const functionTolerance = options.functionTolerance ?? 1e-15;
  const memory = options.memory ?? 8;

  let x = [...x0];
  let current = objective(x);
  if (!isFinite(current.value) || !current.gradient.every(isFinite)) {
    throw new RangeError('the objective is not finite at the starting point');
  }
  const history: { s: number[]; y: number[]; rho: number }[] = [];
  let iterations = 0;
  let reason: StopReason = 'max_iterations';

  while (iterations < maxIterations) {
    if (maxAbs(current.gradient) <= gradientTolerance) {
      reason = 'gradient';
      break;
    }
    let direction = searchDirection(current.gradient, history);
    if (dot(direction, current.gradient) >= 0) {
      history.length = 0;
      direction = searchDirection(current.gradient, history);
    }
    let step = lineSearch(objective, x, current, direction);
    if (!step && history.length > 0) {
      // A stale curvature model can point badly: retry once along steepest descent.
      history.length = 0;
      direction = searchDirection(current.gradient, history);
      step = lineSearch(objective, x, current, direction);
    }
    if (!step) {
      reason = 'line_search';
      break;
    }
    iterations++;
    const s = step.x.map((v, i) => v - (x[i] as number));
    const y = step.evaluation.gradient.map((v, i) => v - (current.gradient[i] as number));
    const sy = dot(s, y);
    // Skip pairs without positive curvature: they would break the positive-definite update.
    if (sy > 1e-12 * sqrt(dot(s, s) * dot(y, y))) {
      history.push({ s, y, rho: 1 / sy });
      if (history.length > memory) history.shift();
    }
    const improvement = current.value - step.evaluation.value;
    x = step.x;
    current = step.evaluation;
    if (improvement <= functionTolerance * max(1, abs(current.value))) {
      reason = maxAbs(current.gradient) <= gradientTolerance ? 'gradient' : 'function';
      break;
    }
  }
  return {
    x,
    value: current.value,
    gradient: current.gradient,
    iterations,
    converged: reason === 'gradient',
    reason,
  };
}

/** Two-loop recursion: -H g with H the L-BFGS inverse-Hessian estimate. */
function searchDirection(
  gradient: readonly number[],
  history: readonly { s: number[]; y: number[]; rho: number }[],
) {
  const q = [...gradient];
  const alphas: number[] = [];
  for (let k = history.length - 1; k >= 0; k--) {
    const { s, y, rho } = history[k] as (typeof history)[number];
    const alpha = rho * dot(s, q);
    alphas[k] = alpha;
    for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) - alpha * (y[i] as number);
  }
  const latest = history[history.length - 1];
  // Scale the initial Hessian by the latest curvature; without history take a unit-length step.
  const gamma = latest ? dot(latest.s, latest.y) / dot(latest.y, latest.y) : 1 / max(1, norm(gradient));
  for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) * gamma;
  for (let k = 0; k < history.length; k++) {
    const { s, y, rho } = history[k] as (typeof history)[number];
    const beta = rho * dot(y, q);
    const alpha = alphas[k] as number;
    for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) + (alpha - beta) * (s[i] as number);
  }
  return q.map((v) => -v);
}

interface Step {
  x: number[];
  evaluation: Evaluation;
}

/** A point on the search line; `step` is absent for the starting point. */
interface Trial {
  t: number;
  value: number;
  slope: number;
  step?: Step;
}

/** Strong-Wolfe line search; null when no acceptable step exists along `direction`. */
function lineSearch(
  objective: Objective,
  x: readonly number[],
  start: Evaluation,
  direction: readonly number[],
): Step | null {
  const slope0 = dot(start.gradient, direction);
  if (!(slope0 < 0)) return null;
  const at = (t: number): Trial => {
    const point = x.map((v, i) => v + t * (direction[i] as number));
    const evaluation = objective(point);
    // Outside the domain (overflow, a parameter off its range) counts as +infinity.
    const finite = isFinite(evaluation.value) && evaluation.gradient.every(isFinite);
    return finite
      ? {
          t,
          value: evaluation.value,
          slope: dot(evaluation.gradient, direction),
          step: { x: point, evaluation },
        }
      : { t, value: POSITIVE_INFINITY, slope: NaN };
  };
  const sufficient = (trial: Trial) => trial.value <= start.value + C1 * trial.t * slope0;
  const curvature = (trial: Trial) => abs(trial.slope) <= -C2 * slope0;

  const zoom = (lowIn: Trial, highIn: Trial): Step | null => {
    let low = lowIn;
    let high = highIn;
    for (let i = 0; i < MAX_LINE_SEARCH_STEPS; i++) {
      const trial = at(interpolate(low, high));
      if (!sufficient(trial) || trial.value >= low.value) {
        high = trial;
      } else {
        if (curvature(trial)) return trial.step ?? null;
        if (trial.slope * (high.t - low.t) >= 0) high = low;
        low = trial;
      }
      if (abs(high.t - low.t) <= 1e-16 * max(1, abs(low.t))) break;
      // Near a minimum the whole bracket may be worth less than one rounding step of f: then
      // no further trial can tell its points apart, and each costs a full objective call.
      if (abs(slope0 * (high.t - low.t)) <= MACHINE_EPSILON * max(1, abs(start.value))) break;
    }
    // The bracket collapsed: a point with sufficient decrease is still progress.
    return low.t > 0 ? (low.step ?? null) : null;
  };

  let previous: Trial = { t: 0, value: start.value, slope: slope0 };
  let t = 1;
  for (let i = 0; i < MAX_LINE_SEARCH_STEPS; i++) {
    const trial = at(t);
    if (!sufficient(trial) || (i > 0 && trial.value >= previous.value)) return zoom(previous, trial);
    if (curvature(trial)) return trial.step ?? null;
    if (trial.slope >= 0) return zoom(trial, previous);
    previous = trial;
    t *= 2;
  }
  return null;
}

/**
 * Minimiser of the cubic through both ends (values and slopes), kept inside the bracket;
 * bisection when the cubic is useless (an infinite end, or a minimiser too near an end).
 */
function interpolate(a: Trial, b: Trial): number {
  const lo = min(a.t, b.t);
  const hi = max(a.t, b.t);
  const mid = (lo + hi) / 2;
  if (!isFinite(a.value) || !isFinite(b.value) || !isFinite(a.slope) || !isFinite(b.slope)) {
    return mid;
  }
  const d1 = a.slope + b.slope - (3 * (a.value - b.value)) / (a.t - b.t);
  const radicand = d1 * d1 - a.slope * b.slope;
  if (radicand < 0) return mid;
  const d2 = sign(b.t - a.t) * sqrt(radicand);
  const t = b.t - ((b.t - a.t) * (b.slope + d2 - d1)) / (b.slope - a.slope + 2 * d2);
  const margin = 0.1 * (hi - lo);
  if (!isFinite(t) || t < lo + margin || t > hi - margin) return mid;
  return t;
}

function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

function norm(a: readonly number[]): number {
  return sqrt(dot(a, a));
}

function maxAbs(a: readonly number[]): number {
  return a.reduce((m, v) => max(m, abs(v)), 0);
}
