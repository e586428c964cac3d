import { ValueDomainError } from './domain-error';
import { spendTableLogLikelihood, type GammaGammaParams } from './gamma-gamma-likelihood';
import { fitInLogSpace } from './log-space-fit';
import type { SpendHistory } from './model-inputs';
import { tabulateSpendHistories } from './spend-history-table';

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  /** Customers the fit used: repeat buyers with a positive repeat mean spend. */
  customers: number;
  converged: boolean;
  iterations: number;
}

/**
 * Maximum-likelihood Gamma-Gamma fit. Customers without a repeat purchase (or whose repeat
 * purchases sum to 0 or less, e.g. free orders) are left out, as the model is defined on
 * positive spend of repeat purchases (docs/api.md "Analytics runs and the value card"). Throws `insufficient_data` with fewer than two
 * such customers, `fit_failed` when they show no spread to estimate (e.g. all spend alike).
 */
export function fitGammaGamma(customers: Iterable<SpendHistory>): GammaGammaFit {
  const table = tabulateSpendHistories(customers, true);
  const n = table.customers;
  if (n < 2) {
    throw new ValueDomainError(
      'insufficient_data',
      'Gamma-Gamma needs at least two customers with repeat purchases',
    );
  }
  const meanSpend = table.totalSpend / n;
  // E[z] = p v / (q - 1): each start puts the population mean spend at the observed mean.
  const starts = [
    [1, 2, meanSpend],
    [5, 3, (2 * meanSpend) / 5],
    [0.5, 5, 8 * meanSpend],
    [10, 10, (9 * meanSpend) / 10],
  ];
  const gradient = [0, 0, 0];
  const fit = fitInLogSpace(
    (theta) => {
      const [p, q, v] = theta as [number, number, number];
      const value = spendTableLogLikelihood({ p, q, v }, table, gradient);
      return { value: value / n, gradient: gradient.map((g) => g / n) };
    },
    { starts, names: ['p', 'q', 'v'] },
  );
  const [p, q, v] = fit.params as [number, number, number];
  return {
    params: { p, q, v },
    logLikelihood: fit.meanLogLikelihood * n,
    customers: n,
    converged: fit.converged,
    iterations: fit.iterations,
  };
}
