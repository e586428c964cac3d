import type { PurchaseSummary } from '../../../src/domain/value';
import type { TimeUnit } from '../../../src/domain/value/time-units';
import type { BgnbdParams } from './bgnbd-likelihood';
import { probabilityAlive } from './bgnbd-predictions';
import type { GammaGammaParams } from './gamma-gamma-likelihood';
import { expectedSpend } from './gamma-gamma-spend';
import { probabilisticClv } from './probabilistic-clv';

export interface BaselineScore {
  pAlive: number;
  spend: number;
  predicted: number;
  expectedPurchases: number;
}

/** The model part of the old valueCustomers: one customer at a time, as it was. */
export function baselineScores(
  summaries: readonly PurchaseSummary[],
  bgnbd: BgnbdParams,
  gammaGamma: GammaGammaParams,
  options: { timeUnit: TimeUnit; horizonMonths: number; annualDiscountRate: number; margin: number },
): BaselineScore[] {
  return summaries.map((s) => {
    const spend = expectedSpend(gammaGamma, s);
    const pAlive = probabilityAlive(bgnbd, s);
    const clv = probabilisticClv({ bgnbd, customer: s, expectedSpend: spend, ...options });
    return { pAlive, spend, predicted: clv.value, expectedPurchases: clv.expectedPurchases };
  });
}
