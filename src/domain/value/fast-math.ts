/**
 * Math and Number functions read once at module load, for the hot loops of the likelihoods,
 * predictions and simulator. Jest runs tests inside a vm context where every global lookup
 * (`Math`, `Number`, `Infinity`) goes through an interceptor, making `Math.log(x)` about 20
 * times slower than under plain Node; the model fits in the tests would crawl. Reading them
 * through these module bindings costs the same everywhere.
 */
export const { abs, exp, floor, imul, log, log1p, max, min, pow, round, sign, sqrt } = Math;
export const { isFinite, isInteger } = Number;
export const POSITIVE_INFINITY = Number.POSITIVE_INFINITY;
export const NEGATIVE_INFINITY = Number.NEGATIVE_INFINITY;
