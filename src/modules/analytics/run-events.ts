import type { Knex } from 'knex';
import type { FieldChange } from '../../domain/field-changes';
import type { CustomerRepository } from '../customers/repository';
import { toCustomer } from '../customers/customer-row';
import { SYSTEM_ACTOR, type EventDraft, type EventWriter } from '../events/event-writer';
import type { EventType } from '../events/event-types';
import type { ValueChange } from './repository';

/** Customers read and events written per step, so memory stays bounded on a large base. */
const EVENT_CHUNK = 2_000;

interface CustomerChanges {
  stars?: FieldChange;
  valueClass?: FieldChange;
  rfmSegment?: FieldChange;
  pAlive?: FieldChange;
}

const KINDS: Array<{ key: keyof CustomerChanges; type: EventType }> = [
  { key: 'stars', type: 'customer.stars_changed' },
  { key: 'valueClass', type: 'customer.value_class_changed' },
  { key: 'rfmSegment', type: 'customer.rfm_segment_changed' },
  { key: 'pAlive', type: 'customer.p_alive_dropped' },
];

function collect(values: ValueChange[], pAliveThreshold: number): Map<string, CustomerChanges> {
  const byCustomer = new Map<string, CustomerChanges>();
  const entry = (id: string) => {
    let changes = byCustomer.get(id);
    if (!changes) byCustomer.set(id, (changes = {}));
    return changes;
  };
  for (const v of values) {
    if (v.old_class !== v.new_class)
      entry(v.id).valueClass = { field: 'valueClass', from: v.old_class, to: v.new_class };
    if (v.old_segment !== v.new_segment)
      entry(v.id).rfmSegment = { field: 'rfmSegment', from: v.old_segment, to: v.new_segment };
    if (v.old_stars !== v.new_stars)
      entry(v.id).stars = { field: 'stars', from: v.old_stars, to: v.new_stars };
    if (
      v.new_p_alive !== null &&
      v.new_p_alive < pAliveThreshold &&
      (v.old_p_alive === null || v.old_p_alive >= pAliveThreshold)
    )
      entry(v.id).pAlive = { field: 'pAlive', from: v.old_p_alive, to: v.new_p_alive };
  }
  return byCustomer;
}

/**
 * The events of a published run, in the publishing transaction, last: one per customer and
 * kind of change (stars, value class, RFM segment, P(alive) dropping below the threshold; churn status and stage changes are the
 * lifecycle's own events, src/modules/lifecycle/run-changes.ts), each carrying the customer
 * as GET answers it now and the run's id.
 */
export async function recordRunEvents(
  deps: { customers: CustomerRepository; events: EventWriter },
  runId: string,
  values: ValueChange[],
  pAliveThreshold: number,
  trx: Knex.Transaction,
): Promise<number> {
  const changes = collect(values, pAliveThreshold);
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
