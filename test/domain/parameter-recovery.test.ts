import { simulateBtydCustomers } from '../../src/domain/simulation';
import {
  bgnbdLogLikelihoodWithGradient,
  bgnbdTotalLogLikelihood,
  fitBgnbd,
  fitGammaGamma,
  gammaGammaLogLikelihoodWithGradient,
  gammaGammaTotalLogLikelihood,
  summarisePurchases,
  type PurchaseSummary,
} from '../../src/domain/value';

/**
 * Simulate from known parameters, fit, and check the truth is recovered. Sample size and
 * tolerances are set from the estimator's own precision, not by trial: with 40,000 customers
 * over 78 weeks the asymptotic standard errors (inverse observed information) are about
 * r 0.9%, alpha 1.2%, a 2.3%, b 3.2%, and p 3%, q 1.1%, v 4% for Gamma-Gamma (p and v sit on
 * a ridge; their ratio, the mean spend, is far tighter). Each estimate must lie within 3.5
 * standard errors of the truth, and the fitted log-likelihood must beat the truth's by no
 * more than chi-square(k)/2 plausibly allows.
 */
const truth = { r: 0.75, alpha: 6, a: 0.8, b: 3 };
const spendTruth = { p: 6, q: 4, v: 15 };

const simulated = simulateBtydCustomers({
  seed: 20240101,
  customers: 40000,
  bgnbd: truth,
  gammaGamma: spendTruth,
  timeUnit: 'week',
  start: '2024-01-01',
  acquisitionDays: 84,
  observationDays: 546,
});

/** Relative standard errors from a central-difference Hessian of the analytic gradient. */
function relativeStandardErrors(gradient: (theta: number[]) => number[], theta: number[]): number[] {
  const k = theta.length;
  const hessian = theta.map((_, i) => {
    const h = 1e-5 * theta[i]!;
    const up = [...theta];
    const down = [...theta];
    up[i]! += h;
    down[i]! -= h;
    const gUp = gradient(up);
    const gDown = gradient(down);
    return gUp.map((g, j) => -(g - gDown[j]!) / (2 * h));
  });
  // Gauss-Jordan inverse of the observed information.
  const m = hessian.map((row, i) => [...row, ...theta.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < k; c++) {
    const pivot = m[c]![c]!;
    for (let j = 0; j < 2 * k; j++) m[c]![j]! /= pivot;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = m[r]![c]!;
      for (let j = 0; j < 2 * k; j++) m[r]![j]! -= f * m[c]![j]!;
    }
  }
  return theta.map((t, i) => Math.sqrt(m[i]![k + i]!) / t);
}

describe('parameter recovery from simulated customers', () => {
  it('BG/NBD recovers r, alpha, a, b from the exact purchase times', () => {
    const histories = simulated.map((c) => ({
      frequency: c.purchaseTimes.length - 1,
      recency: c.purchaseTimes[c.purchaseTimes.length - 1]!,
      T: c.observedFor,
    }));
    const fit = fitBgnbd(histories);
    const estimate = [fit.params.r, fit.params.alpha, fit.params.a, fit.params.b];
    const se = relativeStandardErrors(
      (t) =>
        bgnbdLogLikelihoodWithGradient({ r: t[0]!, alpha: t[1]!, a: t[2]!, b: t[3]! }, histories).gradient,
      estimate,
    );
    const errors = estimate.map((v, i) => v / [truth.r, truth.alpha, truth.a, truth.b][i]! - 1);
    console.log('BG/NBD recovery', { estimate, relativeErrors: errors, relativeStandardErrors: se });
    expect(fit.converged).toBe(true);
    errors.forEach((e, i) => expect(Math.abs(e)).toBeLessThan(3.5 * se[i]!));
    expect(se[0]!).toBeLessThan(0.02);
    expect(se[3]!).toBeLessThan(0.05);
    const gain = fit.logLikelihood - bgnbdTotalLogLikelihood(truth, histories);
    expect(gain).toBeGreaterThanOrEqual(0);
    expect(gain).toBeLessThan(10); // chi-square(4)/2 exceeds 10 with probability < 0.001
  });

  it('the dated transactions (same-day orders merged) still give the truth within 10%', () => {
    // Merging same-day purchases of the heaviest buyers slightly lowers the observed rate, so
    // this pipeline check is looser than the exact-time recovery above.
    const summaries = simulated.map((c) => summarisePurchases(c.transactions, '2025-06-29', 'week')!);
    const fit = fitBgnbd(summaries);
    expect(Math.abs(fit.params.r / truth.r - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.params.alpha / truth.alpha - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.params.a / truth.a - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.params.b / truth.b - 1)).toBeLessThan(0.1);
  });

  it('Gamma-Gamma recovers p, q, v from the repeat buyers', () => {
    const summaries: PurchaseSummary[] = simulated
      .map((c) => summarisePurchases(c.transactions, '2025-06-29', 'week')!)
      .filter((s) => s.frequency > 0);
    const fit = fitGammaGamma(summaries);
    const estimate = [fit.params.p, fit.params.q, fit.params.v];
    const se = relativeStandardErrors(
      (t) => gammaGammaLogLikelihoodWithGradient({ p: t[0]!, q: t[1]!, v: t[2]! }, summaries).gradient,
      estimate,
    );
    const errors = estimate.map((v, i) => v / [spendTruth.p, spendTruth.q, spendTruth.v][i]! - 1);
    console.log('Gamma-Gamma recovery', {
      customers: fit.customers,
      estimate,
      relativeErrors: errors,
      relativeStandardErrors: se,
    });
    errors.forEach((e, i) => expect(Math.abs(e)).toBeLessThan(3.5 * se[i]!));
    const meanSpend = (fit.params.p * fit.params.v) / (fit.params.q - 1);
    expect(Math.abs(meanSpend / ((spendTruth.p * spendTruth.v) / (spendTruth.q - 1)) - 1)).toBeLessThan(0.03);
    const gain = fit.logLikelihood - gammaGammaTotalLogLikelihood(spendTruth, summaries);
    expect(gain).toBeGreaterThanOrEqual(0);
    expect(gain).toBeLessThan(8); // chi-square(3)/2 exceeds 8 with probability < 0.001
  });
});
