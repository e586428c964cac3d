import type { Knex } from 'knex';
import type { FieldChange } from '../../domain/field-changes';
import type { CustomerRepository } from '../customers/repository';
import { toCustomer } from '../customers/customer-row';
import { SYSTEM_ACTOR, type EventDraft, type EventWriter } from '../events/event-writer';
import type { EventType } from '../events/event-types';
import type { PublishedChange, ValueChange } from './repository';

/** Customers read and events written per step, so memory stays bounded on a large base. */
const EVENT_CHUNK = 2_000;

interface CustomerChanges {
  churn?: FieldChange;
  stars?: FieldChange;
  valueClass?: FieldChange;
  rfmSegment?: FieldChange;
}

const KINDS: Array<{ key: keyof CustomerChanges; type: EventType }> = [
  { key: 'churn', type: 'customer.churn_status_changed' },
  { key: 'stars', type: 'customer.stars_changed' },
  { key: 'valueClass', type: 'customer.value_class_changed' },
  { key: 'rfmSegment', type: 'customer.rfm_segment_changed' },
];

function collect(published: PublishedChange[], values: ValueChange[]): Map<string, CustomerChanges> {
  const byCustomer = new Map<string, CustomerChanges>();
  const entry = (id: string) => {
    let changes = byCustomer.get(id);
    if (!changes) byCustomer.set(id, (changes = {}));
    return changes;
  };
  for (const p of published) {
    if (p.old_status !== p.new_status)
      entry(p.id).churn = { field: 'churnStatus', from: p.old_status, to: p.new_status };
    if (p.old_stars !== p.new_stars)
      entry(p.id).stars = { field: 'stars', from: p.old_stars, to: p.new_stars };
  }
  for (const v of values) {
    if (v.old_class !== v.new_class)
      entry(v.id).valueClass = { field: 'valueClass', from: v.old_class, to: v.new_class };
    if (v.old_segment !== v.new_segment)
      entry(v.id).rfmSegment = { field: 'rfmSegment', from: v.old_segment, to: v.new_segment };
  }
  return byCustomer;
}

/**
 * The events of a published run, in the publishing transaction, last: one per customer and
 * kind of change (churn status, stars, value class, RFM segment), each carrying the customer
 * as GET answers it now and the run's id.
 */
export async function recordRunEvents(
  deps: { customers: CustomerRepository; events: EventWriter },
  runId: string,
  published: PublishedChange[],
  values: ValueChange[],
  trx: Knex.Transaction,
): Promise<number> {
  const changes = collect(published, values);
  const ids = [...changes.keys()].sort();
  let written = 0;
  for (let from = 0; from < ids.length; from += EVENT_CHUNK) {
    const rows = await deps.customers.findByIds(ids.slice(from, from + EVENT_CHUNK), trx);
    const drafts: EventDraft[] = [];
    for (const row of rows.sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const customer = toCustomer(row);
      const mine = changes.get(row.id)!;
      for (const { key, type } of KINDS) {
        const change = mine[key];
        if (change)
          drafts.push({
            type,
            entityId: row.id,
            customerId: row.id,
            data: customer,
            changes: [change],
            runId,
          });
      }
    }
    await deps.events.record(drafts, SYSTEM_ACTOR, trx);
    written += drafts.length;
  }
  return written;
}
