export { minimumCount, ruleMeasures, type RuleCounts, type RuleMeasures } from './measures';
export {
  MIN_CO_CUSTOMERS,
  PEERS_PER_PRODUCT,
  cooccurrenceReason,
  recommend,
  ruleReason,
  upsell,
  upsellReason,
  type CoPurchase,
  type PricedProduct,
  type ProductRef,
  type Recommendation,
  type RecommendationSource,
  type StoredRule,
  type UpsellCandidate,
} from './recommendations';
