import { exp, log, sqrt } from '../value/fast-math';
import type { RandomSource } from './seeded-random';

/** Exponential with the given rate (mean 1 / rate). */
export function sampleExponential(random: RandomSource, rate: number): number {
  return -log(random.next()) / rate;
}

/** Standard normal by the Marsaglia polar method. */
export function sampleStandardNormal(random: RandomSource): number {
  for (;;) {
    const u = 2 * random.next() - 1;
    const v = 2 * random.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * sqrt((-2 * log(s)) / s);
  }
}

/**
 * ln of a Gamma(shape, 1) draw (Marsaglia and Tsang 2000; for shape < 1 the boost
 * G(shape) = G(shape + 1) U^(1/shape)). Returned in logs because for small shapes the draw
 * itself can underflow to 0, which would turn a Beta draw into 0/0.
 */
export function sampleLogGamma(random: RandomSource, shape: number): number {
  if (shape < 1) return sampleLogGamma(random, shape + 1) + log(random.next()) / shape;
  const d = shape - 1 / 3;
  const c = 1 / sqrt(9 * d);
  for (;;) {
    const x = sampleStandardNormal(random);
    const v = 1 + c * x;
    if (v <= 0) continue;
    const v3 = v * v * v;
    const u = random.next();
    if (log(u) < 0.5 * x * x + d - d * v3 + d * log(v3)) return log(d * v3);
  }
}

/** Gamma with shape and rate (mean shape / rate). */
export function sampleGamma(random: RandomSource, shape: number, rate: number): number {
  return exp(sampleLogGamma(random, shape)) / rate;
}

/** Beta(a, b) as X / (X + Y) of two gammas, formed from logs. */
export function sampleBeta(random: RandomSource, a: number, b: number): number {
  const logX = sampleLogGamma(random, a);
  const logY = sampleLogGamma(random, b);
  return 1 / (1 + exp(logY - logX));
}
