import type { Knex } from 'knex';
import { DATE_IN_FUTURE, futureTimestampProblem } from '../../domain/date-limits';
import { fieldChanges } from '../../domain/field-changes';
import { newId } from '../../db/ids';
import { ConflictError, PreconditionFailedError } from '../../http/http-errors';
import type { Actor } from '../events/actor';
import type { EventDraft, EventWriter } from '../events/event-writer';
import {
  CustomerReferences,
  keepsItsCustomer,
  type CustomerRefLookup,
} from '../shared/batch/customer-references';
import { outcomeOf, type Outcome } from '../shared/batch/outcome';
import { RowErrors, type RowPlace } from '../shared/batch/row-errors';
import { columnsOf, stateOf, toInteraction, type InteractionState } from './interaction-view';
import type { InteractionRepository, InteractionRow } from './repository';
import type { InteractionCreate, InteractionPatch } from './schemas';

/** An interaction as a request names it, with where it sits in the body (for error paths). */
export interface RowInput extends InteractionCreate {
  place: RowPlace;
}

export interface RowResult {
  index: number;
  id: string;
  externalId: string | null;
  outcome: Outcome;
}

/** The fields a row names win over the stored ones; fields it leaves out keep their value. */
function merged(
  before: InteractionState | null,
  input: InteractionPatch & { externalId?: string },
  customerId: string,
  now: Date,
): InteractionState {
  const base: InteractionState = before ?? {
    externalId: null,
    customerId,
    contactId: null,
    channel: 'other',
    direction: 'inbound',
    employee: null,
    occurredAt: now.toISOString(),
    durationSeconds: null,
    subject: null,
    summary: null,
    orderId: null,
    serviceRecordId: null,
    complaintId: null,
  };
  const next: InteractionState = { ...base, customerId };
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined && key in next) (next as unknown as Record<string, unknown>)[key] = value;
  }
  next.occurredAt = new Date(next.occurredAt).toISOString();
  return next;
}

/**
 * The interactions' write path (docs/design.md, "The one write path"), shared by create,
 * patch and batch: load the rows, customers, contact persons and orders named; plan each
 * row's state or its errors; persist; record the events last.
 */
export class InteractionWriter {
  constructor(
    private readonly interactions: InteractionRepository,
    private readonly customerRefs: CustomerRefLookup,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
    /** Days an occurredAt may lie ahead of the clock (FUTURE_DATE_TOLERANCE_DAYS). */
    private readonly futureToleranceDays: number,
  ) {}

  async upsertRows(
    inputs: RowInput[],
    mode: 'create' | 'upsert',
    actor: Actor,
    trx: Knex.Transaction,
  ): Promise<RowResult[]> {
    const externalIds = inputs.map((i) => i.externalId).filter((e): e is string => Boolean(e));
    const existingRows = await this.interactions.findByExternalIds(externalIds, trx);
    if (mode === 'create' && existingRows.length > 0) {
      throw new ConflictError('external_id_taken.interaction', {
        externalId: String(existingRows[0]!.external_id),
      });
    }
    const existing = new Map(existingRows.map((r) => [r.external_id!, r]));
    const customers = await CustomerReferences.load(this.customerRefs, inputs, [], trx);
    const now = this.clock();
    const errors = new RowErrors();
    const plans: Array<{
      place: RowPlace;
      row?: InteractionRow;
      before: InteractionState | null;
      state: InteractionState;
    }> = [];
    for (const input of inputs) {
      const customer = customers.resolve(input, input.place, errors);
      if (!customer) continue;
      const row = input.externalId ? existing.get(input.externalId) : undefined;
      const before = row ? stateOf(row) : null;
      if (!keepsItsCustomer('interaction', before?.customerId, customer.id, input.place, errors)) continue;
      const { customerId: _id, customerExternalId: _ext, place: _place, ...fields } = input;
      plans.push({ place: input.place, row, before, state: merged(before, fields, customer.id, now) });
    }
    await this.checkPlans(plans, errors, trx);
    errors.throwIfAny();

    const events: EventDraft[] = [];
    const results: RowResult[] = [];
    const toInsert: Array<Omit<InteractionRow, 'version'>> = [];
    for (const plan of plans) {
      if (!plan.row) {
        const id = newId();
        toInsert.push({ id, ...columnsOf(plan.state), created_at: now, updated_at: now });
        results.push({ index: plan.place.index, id, externalId: plan.state.externalId, outcome: 'created' });
        continue;
      }
      const outcome = outcomeOf(plan.before, plan.state);
      results.push({ index: plan.place.index, id: plan.row.id, externalId: plan.state.externalId, outcome });
      if (outcome === 'updated') events.push(await this.update(plan.row, plan.before!, plan.state, trx));
    }
    if (toInsert.length > 0) {
      for (const row of await this.interactions.insert(toInsert, trx))
        events.push(this.event('interaction.created', row));
    }
    await this.events.record(events, actor, trx);
    return results;
  }

  /** A PATCH of one stored interaction (its customer stays). */
  async patch(
    row: InteractionRow,
    input: InteractionPatch,
    place: RowPlace,
    actor: Actor,
    trx: Knex.Transaction,
  ) {
    const before = stateOf(row);
    const state = merged(before, input, row.customer_id, this.clock());
    const errors = new RowErrors();
    await this.checkPlans([{ place, before, state }], errors, trx);
    errors.throwIfAny();
    if (outcomeOf(before, state) === 'unchanged') return row;
    const event = await this.update(row, before, state, trx);
    await this.events.record([event], actor, trx);
    return (await this.interactions.findById(row.id, trx))!;
  }

  async remove(row: InteractionRow, actor: Actor, trx: Knex.Transaction): Promise<void> {
    await this.interactions.delete(row.id, trx);
    await this.events.record([this.event('interaction.deleted', row)], actor, trx);
  }

  private async update(
    row: InteractionRow,
    before: InteractionState,
    state: InteractionState,
    trx: Knex.Transaction,
  ): Promise<EventDraft> {
    const updated = await this.interactions.update(
      row.id,
      row.version,
      { ...columnsOf(state), updated_at: this.clock() },
      trx,
    );
    if (!updated) throw new PreconditionFailedError({}, 'precondition_failed.changed');
    return this.event('interaction.updated', updated, fieldChanges(before, state));
  }

  private event(
    type: 'interaction.created' | 'interaction.updated' | 'interaction.deleted',
    row: InteractionRow,
    changes: EventDraft['changes'] = null,
  ): EventDraft {
    return { type, entityId: row.id, customerId: row.customer_id, data: toInteraction(row), changes };
  }

  /**
   * What needs the database: the contact person is one of the customer's, the linked order,
   * service record and complaint exist and are the customer's, and a new occurredAt is not far in the future. Only what changed
   * is judged, so a stored row resent unchanged stays possible.
   */
  private async checkPlans(
    plans: Array<{ place: RowPlace; before: InteractionState | null; state: InteractionState }>,
    errors: RowErrors,
    trx: Knex.Transaction,
  ): Promise<void> {
    const contactIds = [...new Set(plans.map((p) => p.state.contactId).filter((c): c is string => !!c))];
    const idsOf = (key: 'orderId' | 'serviceRecordId' | 'complaintId') => [
      ...new Set(plans.map((p) => p.state[key]).filter((id): id is string => !!id)),
    ];
    const contacts = await this.interactions.contactOwners(contactIds, trx);
    const orders = await this.interactions.ownersIn('orders', idsOf('orderId'), trx);
    const records = await this.interactions.ownersIn('service_records', idsOf('serviceRecordId'), trx);
    const complaints = await this.interactions.ownersIn('complaints', idsOf('complaintId'), trx);
    const future = { now: this.clock(), days: this.futureToleranceDays };
    for (const { place, before, state } of plans) {
      if (state.contactId && contacts.get(state.contactId) !== state.customerId) {
        errors.add(
          place,
          'contactId',
          'contact_not_of_customer',
          `contact ${state.contactId} is not a contact person of customer ${state.customerId}`,
        );
      }
      if (state.orderId && orders.get(state.orderId) !== state.customerId) {
        errors.add(
          place,
          'orderId',
          'order_not_found',
          `customer ${state.customerId} has no order ${state.orderId}`,
        );
      }
      if (state.serviceRecordId && records.get(state.serviceRecordId) !== state.customerId) {
        errors.add(
          place,
          'serviceRecordId',
          'service_record_not_found',
          `customer ${state.customerId} has no service record ${state.serviceRecordId}`,
        );
      }
      if (state.complaintId && complaints.get(state.complaintId) !== state.customerId) {
        errors.add(
          place,
          'complaintId',
          'complaint_not_found',
          `customer ${state.customerId} has no complaint ${state.complaintId}`,
        );
      }
      const tooLate =
        state.occurredAt !== before?.occurredAt
          ? futureTimestampProblem(state.occurredAt, future)
          : undefined;
      if (tooLate) errors.add(place, 'occurredAt', DATE_IN_FUTURE, tooLate);
    }
  }
}
