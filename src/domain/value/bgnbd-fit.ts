import { tableLogLikelihood, type BgnbdParams } from './bgnbd-likelihood';
import { ValueDomainError } from './domain-error';
import { fitInLogSpace } from './log-space-fit';
import type { RepeatHistory } from './model-inputs';
import { tabulateRepeatHistories } from './repeat-history-table';

export interface BgnbdFit {
  params: BgnbdParams;
  /** The full log-likelihood at the fitted parameters (not a mean). */
  logLikelihood: number;
  customers: number;
  /** The gradient test passed at the best start. */
  converged: boolean;
  iterations: number;
}

/**
 * Maximum-likelihood BG/NBD fit on every customer. The surface has a long flat ridge in
 * (a, b), so it is climbed in log-parameters by L-BFGS from several starts spread over the
 * plausible range (scaled to the data's purchase rate), and the best end point is kept.
 *
 * Throws `insufficient_data` for fewer than two customers or no repeat purchase at all (then
 * the likelihood keeps rising as r -> 0 and a, b are not identified), and `fit_failed` when
 * the best point is a boundary (e.g. identical customers: no heterogeneity to estimate).
 */
export function fitBgnbd(customers: Iterable<RepeatHistory>): BgnbdFit {
  const table = tabulateRepeatHistories(customers);
  const n = table.customers;
  if (n < 2) {
    throw new ValueDomainError('insufficient_data', 'BG/NBD needs at least two customers');
  }
  if (table.repeatBuyers === 0) {
    throw new ValueDomainError(
      'insufficient_data',
      'BG/NBD needs at least one customer with a repeat purchase',
    );
  }
  // Purchases per unit of time: r / alpha is the mean rate, so alpha = r / rate at each start.
  const rate = table.totalFrequency / n / Math.max(table.totalT / n, Number.EPSILON);
  const starts: [number, number, number, number][] = [
    [1, 1 / rate, 1, 1],
    [0.3, 0.3 / rate, 0.7, 2.5],
    [3, 3 / rate, 2, 6],
    [0.5, 0.5 / rate, 0.3, 0.8],
  ];
  const gradient = [0, 0, 0, 0];
  const fit = fitInLogSpace(
    (theta) => {
      const [r, alpha, a, b] = theta as [number, number, number, number];
      const value = tableLogLikelihood({ r, alpha, a, b }, table, gradient);
      return { value: value / n, gradient: gradient.map((g) => g / n) };
    },
    { starts, names: ['r', 'alpha', 'a', 'b'] },
  );
  const [r, alpha, a, b] = fit.params as [number, number, number, number];
  return {
    params: { r, alpha, a, b },
    logLikelihood: fit.meanLogLikelihood * n,
    customers: n,
    converged: fit.converged,
    iterations: fit.iterations,
  };
}
