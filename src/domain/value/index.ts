/** The pure customer-value core (docs/domain.md section 5): transactions and a date in, values out. */
export { ValueDomainError, type ValueErrorCode } from './domain-error';
export {
  DAYS_PER_MONTH,
  DAYS_PER_YEAR,
  TIME_UNITS,
  daysPerUnit,
  daysToUnits,
  epochDayToIsoDate,
  monthsToUnits,
  toEpochDay,
  unitsPerMonth,
  utcEpochDayOf,
  type DateInput,
  type TimeUnit,
} from './time-units';
export {
  EXCLUDED_ORDER_STATUSES,
  PurchaseDayBuffer,
  purchaseDays,
  type OrderInput,
  type PurchaseDay,
} from './purchase-days';
export { summarisePurchaseDays, summarisePurchases, type PurchaseSummary } from './purchase-summary';
export { PurchaseSummaryTable } from './purchase-summary-table';
export { discountFactor, discountedValue, monthlyDiscountRate, type Contribution } from './discounting';
export { historicalValue, type HistoricalValue, type HistoricalValueOptions } from './historical-value';
export { valueVerification, type ValueVerification, type ValueVerificationInput } from './value-verification';
export type { RepeatHistory, SpendHistory } from './model-inputs';
export {
  bgnbdLogLikelihood,
  bgnbdLogLikelihoodWithGradient,
  bgnbdTotalLogLikelihood,
  type BgnbdParams,
} from './bgnbd-likelihood';
export { fitBgnbd, type BgnbdFit } from './bgnbd-fit';
export {
  conditionalExpectedPurchases,
  expectedPurchasesNewCustomer,
  probabilityAlive,
} from './bgnbd-predictions';
export {
  gammaGammaLogLikelihood,
  gammaGammaLogLikelihoodWithGradient,
  gammaGammaTotalLogLikelihood,
  isSpendObservation,
  type GammaGammaParams,
} from './gamma-gamma-likelihood';
export { fitGammaGamma, type GammaGammaFit } from './gamma-gamma-fit';
export { expectedSpend, expectedSpendNewCustomer } from './gamma-gamma-spend';
export {
  clvScorer,
  probabilisticClv,
  probabilisticClvs,
  type ClvHorizon,
  type CustomerClv,
  type ProbabilisticClv,
  type ProbabilisticClvInput,
} from './probabilistic-clv';
export { median, quantileOfSorted, tertiles } from './quantiles';
export {
  periodAmountCell,
  valueClass,
  valueClassThresholds,
  valueClassThresholdsOf,
  type AmountClass,
  type CycleClass,
  type ValueClass,
  type ValueClassInput,
  type ValueClassThresholds,
} from './value-class';
export {
  quintileScores,
  rfmQuintiles,
  rfmQuintilesOf,
  rfmScore,
  rfmScores,
  type RfmInput,
  type RfmScore,
} from './rfm-scores';
export { rfmSegment, type RfmSegment, type Score } from './rfm-segments';
export {
  DEFAULT_CHURN_RULES,
  baseMedianCycle,
  churnStatus,
  type ChurnInput,
  type ChurnRules,
  type ChurnStatus,
} from './churn-status';
export { paretoFigures, paretoShare, type Contributor, type ParetoShare } from './pareto';
export { hyp2f1, lnGamma, digamma } from './special-functions';
export { minimizeLbfgs, type MinimizeOptions, type MinimizeResult, type Objective } from './lbfgs';
export {
  STARS_BY_CLASS,
  fitBgnbdModel,
  fitGammaGammaModel,
  fitModels,
  valuationBasis,
  valueCustomer,
  valueCustomers,
  type ValuationBasis,
  type CustomerFacts,
  type CustomerValuation,
  type FittedModels,
  type ValuationParameters,
} from './customer-valuation';
