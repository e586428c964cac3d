/** Receivables (docs/domain.md section 4): payments allocated to orders, overdue amounts and aging, exact in bigint units. */
export {
  allocatePayments,
  type AllocationResult,
  type ExplicitAllocation,
  type OrderSettlement,
  type ReceivableOrder,
  type ReceivablePayment,
} from './allocation';
export {
  AGING_BUCKETS,
  agingBuckets,
  bucketOf,
  overdueOf,
  type Aging,
  type AgingBucket,
  type Overdue,
} from './aging';
export { summariseReceivables, type ReceivablesSummary } from './receivables-summary';
export { DEFAULT_PAYMENT_TERMS_DAYS, dueDayOf, epochDayOf } from './days';
