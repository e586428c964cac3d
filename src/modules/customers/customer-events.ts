import type { FieldChange } from '../../domain/field-changes';
import type { EventDraft } from '../events/event-writer';
import type { EventType } from '../events/event-types';
import type { Customer } from './schemas';

/**
 * The fields that have an event type of their own besides `customer.updated`, so that a
 * consumer interested in one kind of change (a webhook on stars, say) need not read them all.
 */
const OWN_EVENTS: Array<{ field: keyof Customer; type: EventType }> = [
  { field: 'stars', type: 'customer.stars_changed' },
  { field: 'lifecycleStage', type: 'customer.lifecycle_stage_changed' },
  { field: 'churnStatus', type: 'customer.churn_status_changed' },
];

/** The events of one change to a customer: its own type, then one per field that has one. */
export function customerEvents(
  type: EventType,
  before: Customer | null,
  after: Customer,
  changes: FieldChange[] | null,
): EventDraft[] {
  const drafts: EventDraft[] = [{ type, entityId: after.id, customerId: after.id, data: after, changes }];
  if (!before) return drafts;
  for (const { field, type: own } of OWN_EVENTS) {
    if (before[field] !== after[field]) {
      drafts.push({
        type: own,
        entityId: after.id,
        customerId: after.id,
        data: after,
        changes: [{ field, from: before[field] ?? null, to: after[field] ?? null }],
      });
    }
  }
  return drafts;
}

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/** The change a delete or a restore records: deletedAt from one time (or none) to another. */
export const deletedAtChange = (from: Date | string | null, to: Date | string | null): FieldChange[] => [
  { field: 'deletedAt', from: iso(from), to: iso(to) },
];
