/**
 * Every type of event the outbox records (docs/api.md "The event feed"). The webhook
 * subscriptions and the OpenAPI document list them from here.
 */
const RESOURCES = [
  'customer',
  'contact',
  'relationship',
  'product',
  'order',
  'payment',
  'interaction',
  'follow_up',
  'service_record',
  'service_level',
  'complaint',
  'complaint_category',
  'survey_response',
  'opportunity',
  'segment',
  'campaign',
  'rebate_program',
] as const;
const CHANGES = ['created', 'updated', 'deleted', 'restored'] as const;

export const EVENT_TYPES = [
  ...RESOURCES.flatMap((resource) => CHANGES.map((change) => `${resource}.${change}` as const)),
  'order.cancelled',
  'payment.refunded',
  'customer.churn_status_changed',
  'customer.lifecycle_stage_changed',
  'customer.stars_changed',
  'customer.value_class_changed',
  'customer.rfm_segment_changed',
  'customer.assigned_regions_changed',
  'customer.p_alive_dropped',
  'follow_up.completed',
  'service_record.transitioned',
  'opportunity.stage_changed',
  'segment.member_added',
  'segment.member_removed',
  'campaign.launched',
  'rebate_program.settled',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** What each type carries, for the catalogue and the OpenAPI description. */
export function describeEventType(type: EventType): string {
  const [resource, change] = type.split('.') as [string, string];
  switch (change) {
    case 'created':
      return `A ${resource} was created; data is the ${resource} as its GET answers it.`;
    case 'updated':
      return `A ${resource} changed; data is the ${resource} after the change, changes lists each field's from and to.`;
    case 'deleted':
      return `A ${resource} was deleted; data is the ${resource} as it was last.`;
    case 'restored':
      return `A deleted ${resource} was restored; data is the ${resource} after restoring.`;
    case 'cancelled':
      return 'An order was cancelled; data is the order after the change.';
    case 'refunded':
      return 'Part or all of a payment was refunded; data is the payment after the refund.';
    case 'completed':
      return 'A follow-up visit was completed; data is the follow-up with its content and outcome.';
    case 'transitioned':
      return 'A service record moved to another status; data is the record after the move, changes the status from and to.';
    case 'stage_changed':
      return 'An opportunity moved to another stage; data is the opportunity after the move, changes the stage from and to.';
    case 'member_added':
      return 'A customer entered a segment (added to a static one, or found by a dynamic one at a refresh or an analytics run); data is `{ segmentId, customerId, runId }`.';
    case 'member_removed':
      return 'A customer left a segment; data is `{ segmentId, customerId, runId }`.';
    case 'launched':
      return 'A campaign was launched: its recipients and control group are frozen; data is the campaign after launch.';
    case 'settled':
      return "A rebate programme's closed period was settled: each channel's rebate became a credit on its receivables; data is the settlement.";
    case 'p_alive_dropped':
      return "An analytics run found the customer's P(alive) below the configured threshold where the run before had it at or above; data is the customer, changes pAlive from and to, with its predicted CLV.";
    default:
      return `The customer's ${change.replace(/_changed$/, '').replace(/_/g, ' ')} changed; data is the customer, changes the field's from and to (runId when an analytics run caused it).`;
  }
}
