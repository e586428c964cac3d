import { fitBgnbd, type BgnbdFit } from './bgnbd-fit';
import {
  churnStatus,
  baseMedianCycle,
  DEFAULT_CHURN_RULES,
  type ChurnRules,
  type ChurnStatus,
} from './churn-status';
import { ValueDomainError } from './domain-error';
import { fitGammaGamma, type GammaGammaFit } from './gamma-gamma-fit';
import { expectedSpend } from './gamma-gamma-spend';
import type { HistoricalValue } from './historical-value';
import { probabilisticClvs, type CustomerClv } from './probabilistic-clv';
import type { PurchaseSummary } from './purchase-summary';
import { rfmScores, type RfmScore } from './rfm-scores';
import type { TimeUnit } from './time-units';
import { valueClass, valueClassThresholds, type ValueClass, type ValueClassThresholds } from './value-class';
import { valueVerification } from './value-verification';

/** What a run knows of one customer before the base-wide steps. */
export interface CustomerFacts {
  id: string;
  summary: PurchaseSummary;
  history: HistoricalValue;
  previousStatus: ChurnStatus | null;
  /** A purchase after the previous status was set. */
  purchasedSincePrevious: boolean;
  /** The previous `churned` was recorded by hand (the customer said so): it stands until a purchase. */
  manualChurn?: boolean;
}

export interface ValuationParameters {
  timeUnit: TimeUnit;
  horizonMonths: number;
  annualDiscountRate: number;
  margin: number;
  churnRules?: ChurnRules;
  /** Configured period/amount thresholds; absent means the tertiles of the base. */
  thresholds?: ValueClassThresholds;
}

/** The fitted models, or why each could not be fitted (the run goes on without it). */
export interface FittedModels {
  bgnbd: BgnbdFit | null;
  bgnbdError: string | null;
  gammaGamma: GammaGammaFit | null;
  gammaGammaError: string | null;
}

export interface CustomerValuation {
  id: string;
  rfm: Omit<RfmScore, 'id'>;
  valueClass: ValueClass;
  clv: {
    historical: number;
    current: number;
    predicted: number;
    expectedPurchases: number;
    expectedAverageAmount: number;
  };
  churn: { status: ChurnStatus; pAlive: number | null };
  stars: number;
}

/** Default star rating by value class; `new` customers start where development ones do. */
export const STARS_BY_CLASS: Record<ValueClass, number> = {
  platinum: 5,
  gold: 4,
  silver: 3,
  development: 2,
  new: 2,
  optimization: 1,
};

function describeFailure(error: unknown): string {
  if (error instanceof ValueDomainError) return `${error.code}: ${error.message}`;
  throw error;
}

/**
 * Maximum-likelihood fits on the whole base: BG/NBD on every customer, Gamma-Gamma on the
 * repeat buyers. A base the models cannot describe (no repeat buyer, a single customer,
 * identical customers) gives null with the reason, never NaN.
 */
export function fitModels(summaries: readonly PurchaseSummary[]): FittedModels {
  const models: FittedModels = { bgnbd: null, bgnbdError: null, gammaGamma: null, gammaGammaError: null };
  try {
    models.bgnbd = fitBgnbd(summaries);
  } catch (error) {
    models.bgnbdError = describeFailure(error);
  }
  try {
    const repeaters = summaries.filter((s) => s.frequency > 0);
    models.gammaGamma = fitGammaGamma(repeaters);
    // The expected spend of a customer needs p x + q > 1 for every x >= 0, i.e. q > 1.
    if (models.gammaGamma.params.q <= 1) {
      models.gammaGammaError = 'undefined_expectation: fitted q <= 1 gives no finite mean spend';
      models.gammaGamma = null;
    }
  } catch (error) {
    models.gammaGammaError = describeFailure(error);
  }
  return models;
}

/**
 * Every customer's value card from the facts, the models and the base. Where BG/NBD could not
 * be fitted, the predicted value falls back to value verification (DOMAIN.md formula 2) and
 * P(alive) is null; without Gamma-Gamma the expected spend is the customer's own average.
 */
export function valueCustomers(
  facts: readonly CustomerFacts[],
  models: FittedModels,
  parameters: ValuationParameters,
): CustomerValuation[] {
  const summaries = facts.map((f) => f.summary);
  const thresholds = parameters.thresholds ?? valueClassThresholds(summaries);
  const baseCycle = baseMedianCycle(summaries.map((s) => s.averageCycle));
  const rfm = rfmScores(
    facts.map((f) => ({
      id: f.id,
      sinceLastPurchase: f.summary.sinceLastPurchase,
      purchases: f.summary.purchases,
      totalAmount: f.summary.totalAmount,
    })),
  );
  const rules = parameters.churnRules ?? DEFAULT_CHURN_RULES;
  const gammaGamma = models.gammaGamma;
  const spends = summaries.map((s) => (gammaGamma ? expectedSpend(gammaGamma.params, s) : s.averageAmount));
  const clvs: CustomerClv[] | null = models.bgnbd
    ? probabilisticClvs(summaries, spends, {
        bgnbd: models.bgnbd.params,
        timeUnit: parameters.timeUnit,
        horizonMonths: parameters.horizonMonths,
        annualDiscountRate: parameters.annualDiscountRate,
        margin: parameters.margin,
      })
    : null;
  return facts.map((fact, i) => {
    const s = fact.summary;
    const spend = spends[i]!;
    let predicted: number;
    let expectedPurchases: number;
    let pAlive: number | null = null;
    const clv = clvs?.[i];
    if (clv) {
      pAlive = clv.pAlive;
      predicted = clv.value;
      expectedPurchases = clv.expectedPurchases;
    } else {
      const verified = valueVerification({
        averageCycle: s.averageCycle ?? baseCycle,
        averageAmount: s.averageAmount,
        horizonMonths: parameters.horizonMonths,
        annualDiscountRate: parameters.annualDiscountRate,
        margin: parameters.margin,
        timeUnit: parameters.timeUnit,
      });
      predicted = verified.value;
      expectedPurchases = verified.expectedPurchases;
    }
    const klass = valueClass(s, thresholds);
    const { id: _id, ...scores } = rfm[i]!;
    return {
      id: fact.id,
      rfm: scores,
      valueClass: klass,
      clv: {
        historical: fact.history.historical,
        current: fact.history.current,
        predicted,
        expectedPurchases,
        expectedAverageAmount: spend,
      },
      churn: {
        status:
          fact.manualChurn && fact.previousStatus === 'churned' && !fact.purchasedSincePrevious
            ? 'churned'
            : churnStatus(
                {
                  sinceLastPurchase: s.sinceLastPurchase,
                  averageCycle: s.averageCycle,
                  pAlive,
                  previousStatus: fact.previousStatus,
                  purchasedSincePrevious: fact.purchasedSincePrevious,
                },
                baseCycle,
                rules,
              ),
        pAlive,
      },
      stars: STARS_BY_CLASS[klass],
    };
  });
}
