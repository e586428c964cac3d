/** The lifecycle replay (docs/lifecycle.md): a customer's purchase days in, dated stage and churn changes out. */
export { baseCycleDays, customerCycleDays } from './base-cycle';
export { churnAfterPurchase, mayBecomeAtRisk, mayBecomeChurned, thresholdDay } from './churn-replay';
export { DEFAULT_LIFECYCLE_RULES, requireValidRules, type LifecycleRules } from './lifecycle-rules';
export type {
  ChurnStatus,
  CustomerHistory,
  LifecycleCause,
  LifecycleStage,
  LifecycleStart,
  LifecycleTransition,
} from './lifecycle-types';
export { replayLifecycle, type ReplayContext } from './replay-lifecycle';
export { extendsRelationship, stageAfterPurchase } from './stage-replay';
