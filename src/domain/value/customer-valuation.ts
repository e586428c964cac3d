import { fitBgnbd, type BgnbdFit } from './bgnbd-fit';
import {
  baseMedianCycle,
  churnStatus,
  DEFAULT_CHURN_RULES,
  type ChurnRules,
  type ChurnStatus,
} from './churn-status';
import { ValueDomainError } from './domain-error';
import { fitGammaGamma, type GammaGammaFit } from './gamma-gamma-fit';
import { expectedSpend } from './gamma-gamma-spend';
import type { HistoricalValue } from './historical-value';
import { clvScorer, type CustomerClv } from './probabilistic-clv';
import type { PurchaseSummary } from './purchase-summary';
import { rfmQuintilesOf, rfmScore, type RfmScore } from './rfm-scores';
import type { Score } from './rfm-segments';
import type { TimeUnit } from './time-units';
import {
  valueClass,
  valueClassThresholdsOf,
  type ValueClass,
  type ValueClassThresholds,
} from './value-class';
import type { RepeatHistory, SpendHistory } from './model-inputs';
import { PurchaseSummaryTable } from './purchase-summary-table';
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
  return { ...fitBgnbdModel(summaries), ...fitGammaGammaModel(summaries) };
}

/** The BG/NBD half of `fitModels`. */
export function fitBgnbdModel(
  summaries: Iterable<RepeatHistory>,
): Pick<FittedModels, 'bgnbd' | 'bgnbdError'> {
  try {
    return { bgnbd: fitBgnbd(summaries), bgnbdError: null };
  } catch (error) {
    return { bgnbd: null, bgnbdError: describeFailure(error) };
  }
}

/** The Gamma-Gamma half of `fitModels`, on the repeat buyers. */
export function fitGammaGammaModel(
  summaries: Iterable<SpendHistory>,
): Pick<FittedModels, 'gammaGamma' | 'gammaGammaError'> {
  try {
    const fit = fitGammaGamma(summaries);
    // The expected spend of a customer needs p x + q > 1 for every x >= 0, i.e. q > 1.
    if (fit.params.q <= 1) {
      return {
        gammaGamma: null,
        gammaGammaError: 'undefined_expectation: fitted q <= 1 gives no finite mean spend',
      };
    }
    return { gammaGamma: fit, gammaGammaError: null };
  } catch (error) {
    return { gammaGamma: null, gammaGammaError: describeFailure(error) };
  }
}

/** What every customer's valuation shares, computed once over the whole base. */
export interface ValuationBasis {
  parameters: ValuationParameters;
  thresholds: ValueClassThresholds;
  /** The median cycle of the base: a one-time buyer's cycle for the churn rule. */
  baseCycle: number | null;
  rules: ChurnRules;
  gammaGamma: GammaGammaFit | null;
  /** RFM quintile scores by the customer's position in the facts. */
  rfm: { r: Score[]; f: Score[]; m: Score[] };
  /** P(alive) and potential value; null without a BG/NBD fit. */
  clv: ((customer: PurchaseSummary, expectedSpend: number) => CustomerClv) | null;
}

/**
 * The base-wide steps of valuing a base of customers whose summaries are `summaries`: class
 * thresholds, the median cycle, RFM quintiles and the CLV scorer. Each customer is then valued
 * on its own (`valueCustomer`, with its position in the table), in any batches.
 */
export function valuationBasis(
  summaries: PurchaseSummaryTable,
  models: FittedModels,
  parameters: ValuationParameters,
): ValuationBasis {
  const cycles = summaries.column('averageCycle').filter((c) => !Number.isNaN(c));
  return {
    parameters,
    thresholds: parameters.thresholds ?? valueClassThresholdsOf(cycles, summaries.averageAmounts()),
    baseCycle: baseMedianCycle(cycles),
    rules: parameters.churnRules ?? DEFAULT_CHURN_RULES,
    gammaGamma: models.gammaGamma,
    rfm: rfmQuintilesOf({
      sinceLastPurchase: summaries.column('sinceLastPurchase'),
      purchases: summaries.column('purchases'),
      totalAmount: summaries.column('totalAmount'),
    }),
    clv: models.bgnbd
      ? clvScorer({
          bgnbd: models.bgnbd.params,
          timeUnit: parameters.timeUnit,
          horizonMonths: parameters.horizonMonths,
          annualDiscountRate: parameters.annualDiscountRate,
          margin: parameters.margin,
        })
      : null,
  };
}

/**
 * Every customer's value card from the facts, the models and the base. Where BG/NBD could not
 * be fitted, the predicted value falls back to value verification (docs/domain.md 5.3, formula 2) and
 * P(alive) is null; without Gamma-Gamma the expected spend is the customer's own average.
 */
export function valueCustomers(
  facts: readonly CustomerFacts[],
  models: FittedModels,
  parameters: ValuationParameters,
): CustomerValuation[] {
  const table = new PurchaseSummaryTable(parameters.timeUnit);
  facts.forEach((f) => table.push(f.summary));
  const basis = valuationBasis(table, models, parameters);
  return facts.map((fact, i) => valueCustomer(fact, i, basis));
}

/** The value card of `fact`, the customer at `position` of the facts `basis` was made from. */
export function valueCustomer(
  fact: CustomerFacts,
  position: number,
  basis: ValuationBasis,
): CustomerValuation {
  const s = fact.summary;
  const { parameters } = basis;
  const spend = basis.gammaGamma ? expectedSpend(basis.gammaGamma.params, s) : s.averageAmount;
  let predicted: number;
  let expectedPurchases: number;
  let pAlive: number | null = null;
  if (basis.clv) {
    const clv = basis.clv(s, spend);
    pAlive = clv.pAlive;
    predicted = clv.value;
    expectedPurchases = clv.expectedPurchases;
  } else {
    const verified = valueVerification({
      averageCycle: s.averageCycle ?? basis.baseCycle,
      averageAmount: s.averageAmount,
      horizonMonths: parameters.horizonMonths,
      annualDiscountRate: parameters.annualDiscountRate,
      margin: parameters.margin,
      timeUnit: parameters.timeUnit,
    });
    predicted = verified.value;
    expectedPurchases = verified.expectedPurchases;
  }
  const klass = valueClass(s, basis.thresholds);
  const rfm = rfmScore(
    basis.rfm.r[position] as Score,
    basis.rfm.f[position] as Score,
    basis.rfm.m[position] as Score,
  );
  return {
    id: fact.id,
    rfm,
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
              basis.baseCycle,
              basis.rules,
            ),
      pAlive,
    },
    stars: STARS_BY_CLASS[klass],
  };
}
