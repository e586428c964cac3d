import type { Knex } from 'knex';
import { birthdayProblem } from '../../domain/date-limits';
import { fieldChanges } from '../../domain/field-changes';
import { newId } from '../../db/ids';
import { PreconditionFailedError } from '../../http/http-errors';
import type { Actor } from '../events/actor';
import type { EventDraft, EventWriter } from '../events/event-writer';
import type { LifecycleChange, LifecycleRepository } from '../lifecycle/repository';
import type { Outcome } from '../shared/batch/outcome';
import { batchRow, RowErrors, singleBody, type RowPlace } from '../shared/batch/row-errors';
import { customerEvents, deletedAtChange } from './customer-events';
import {
  DEFAULT_STATE,
  columnsOf,
  stateOf,
  toCustomer,
  type CustomerRow,
  type CustomerState,
} from './customer-row';
import type { CustomerRepository } from './repository';
import type { Customer } from './schemas';
import type { CustomerPatch, CustomerUpsert } from './schemas';
import type { CustomerInsert, CustomerUpdate } from './table';

/** Applies a partial input onto a state: a field that is present replaces the old value. */
export function merge(base: CustomerState, input: Partial<CustomerPatch>): CustomerState {
  const next = { ...base } as Record<string, unknown>;
  for (const [field, value] of Object.entries(input)) {
    if (value !== undefined) next[field] = value;
  }
  // One shape for a lunar birthday however it was sent, so that a resend compares unchanged.
  const lunar = next.lunarBirthday as CustomerState['lunarBirthday'];
  if (lunar) next.lunarBirthday = { month: lunar.month, day: lunar.day, leapMonth: lunar.leapMonth ?? false };
  return next as CustomerState;
}

/**
 * A stage set by hand (docs/lifecycle.md "Stages"): an event with cause `manual`, dated now.
 * Undefined when the stage stays: setting the current stage again records nothing.
 */
export function manualStageChange(
  customerId: string,
  from: string,
  to: string,
  at: Date,
  actor: Actor,
): LifecycleChange | undefined {
  if (from === to) return undefined;
  return { customerId, kind: 'stage', from, to, at, cause: 'manual', actor: actor.name };
}

/**
 * The events of a new customer: customer.created, and customer.lifecycle_stage_changed when it
 * was created in a stage other than selection (its first lifecycle event).
 */
function createdEvents(customer: Customer): EventDraft[] {
  const drafts = customerEvents('customer.created', null, customer, null);
  if (customer.lifecycleStage !== DEFAULT_STATE.lifecycleStage) {
    drafts.push({
      type: 'customer.lifecycle_stage_changed',
      entityId: customer.id,
      customerId: customer.id,
      data: customer,
      changes: [{ field: 'lifecycleStage', from: DEFAULT_STATE.lifecycleStage, to: customer.lifecycleStage }],
    });
  }
  return drafts;
}

/**
 * The customers' write path (docs/design.md, "The one write path"): load the rows a write
 * names, plan each change (merge, fieldChanges), persist it, and write the events last.
 * CustomerService holds the entry points and reads; this is what they share.
 */
export class CustomerWriter {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly lifecycle: LifecycleRepository,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
  ) {}

  /**
   * Inserts new customers with their stages: the stage is not a customers column, so a
   * customer created in a stage other than selection gets its first lifecycle event (from
   * selection) in the same transaction. Answers the rows as read back, in input order, with
   * the events to write.
   */
  async insertCustomers(
    states: CustomerState[],
    actor: Actor,
    now: Date,
    trx: Knex.Transaction,
  ): Promise<Array<{ row: CustomerRow; events: EventDraft[] }>> {
    let rows = await this.customers.insert(
      states.map((state) => this.insertColumns(state, actor, now)),
      trx,
    );
    const staged = rows.flatMap((row, i) => {
      const change = manualStageChange(
        row.id,
        DEFAULT_STATE.lifecycleStage,
        states[i]!.lifecycleStage,
        now,
        actor,
      );
      return change ? [change] : [];
    });
    if (staged.length > 0) {
      await this.lifecycle.record(staged, trx);
      rows = await this.customers.withValues(rows, trx);
    }
    return rows.map((row) => {
      const customer = toCustomer(row);
      return { row, events: createdEvents(customer) };
    });
  }

  /** A channel named by viaChannelId must exist, be a live channel customer, and not be the customer itself. */
  async checkChannels(
    items: Array<{ place: RowPlace; state: CustomerState; selfId?: string }>,
    trx: Knex.Transaction,
  ): Promise<void> {
    const wanted = [
      ...new Set(items.map((i) => i.state.viaChannelId).filter((v): v is string => Boolean(v))),
    ];
    const live = await this.customers.findLiveChannels(wanted, trx);
    const errors = new RowErrors();
    for (const { place, state, selfId } of items) {
      const channel = state.viaChannelId;
      if (!channel) continue;
      if (channel === selfId)
        errors.add(place, 'viaChannelId', 'channel_not_found', 'a customer cannot be its own channel');
      else if (!live.has(channel))
        errors.add(place, 'viaChannelId', 'channel_not_found', `no live channel customer has id ${channel}`);
    }
    errors.throwIfAny();
  }

  /**
   * A birthday a row sets may not lie in the future (422 `date_in_future`, decided by the
   * clock) nor before 1900 (400). Only a new value is judged: a stored one stays resendable.
   */
  checkBirthdays(items: Array<{ place: RowPlace; state: CustomerState; stored?: string | null }>): void {
    const now = this.clock();
    const errors = new RowErrors();
    for (const { place, state, stored } of items) {
      // A lunar calendar without a lunar birthday would greet nobody: refused with the request.
      if (state.birthdayCalendar === 'lunar' && state.lunarBirthday === null)
        errors.invalid(place, 'lunarBirthday', 'is required when birthdayCalendar is lunar');
      if (!state.birthday || state.birthday === stored) continue;
      const problem = birthdayProblem(state.birthday, now);
      if (problem?.code === 'too_early') errors.invalid(place, 'birthday', problem.message);
      else if (problem) errors.add(place, 'birthday', problem.code, problem.message);
    }
    errors.throwIfAny();
  }

  private insertColumns(state: CustomerState, actor: Actor, now: Date): CustomerInsert {
    return {
      id: newId(),
      ...columnsOf(state),
      stars_override_by: state.starsOverride ? actor.name : null,
      stars_override_at: state.starsOverride ? now : null,
      created_at: now,
      updated_at: now,
    };
  }

  private updateColumns(row: CustomerRow, state: CustomerState, actor: Actor, now: Date): CustomerUpdate {
    const before = stateOf(row).starsOverride;
    const overrideChanged = JSON.stringify(before) !== JSON.stringify(state.starsOverride);
    return {
      ...columnsOf(state),
      ...(overrideChanged
        ? {
            stars_override_by: state.starsOverride ? actor.name : null,
            stars_override_at: state.starsOverride ? now : null,
          }
        : {}),
      updated_at: now,
    };
  }

  /**
   * Applies `input` to an existing row under a row lock. `expected` is the version an If-Match
   * named; a stale one is 412. Unchanged input writes nothing and keeps the version.
   */
  async applyChange(
    row: CustomerRow,
    input: Partial<CustomerPatch>,
    expected: number | undefined,
    actor: Actor,
    trx: Knex.Transaction,
    place: RowPlace = singleBody,
  ): Promise<{ row: CustomerRow; outcome: Outcome; events: EventDraft[] }> {
    if (expected !== undefined && expected !== row.version) {
      throw new PreconditionFailedError({ current: row.version, expected }, 'precondition_failed.stale');
    }
    const before = stateOf(row);
    const after = merge(before, input);
    const changes = fieldChanges(before, after);
    if (changes.length === 0) return { row, outcome: 'unchanged', events: [] };
    this.checkBirthdays([{ place, state: after, stored: before.birthday }]);
    if (after.viaChannelId && after.viaChannelId !== row.via_channel_id) {
      await this.checkChannels([{ place, state: after, selfId: row.id }], trx);
    }
    const now = this.clock();
    // The stage first, so that the row read back after the update shows it.
    const stage = manualStageChange(row.id, before.lifecycleStage, after.lifecycleStage, now, actor);
    if (stage) await this.lifecycle.record([stage], trx);
    const updated = await this.customers.update(
      row.id,
      row.version,
      this.updateColumns(row, after, actor, now),
      trx,
    );
    if (!updated) throw new PreconditionFailedError({}, 'precondition_failed.changed');
    return {
      row: updated,
      outcome: 'updated',
      events: customerEvents('customer.updated', toCustomer(row), toCustomer(updated), changes),
    };
  }

  /** The shared upsert: one read of the existing rows, one insert of the new ones, one audit write. */
  async upsertRows(
    items: Array<CustomerUpsert & { externalId: string }>,
    trx: Knex.Transaction,
    actor: Actor,
    ifMatch?: (currentVersion: number) => number | undefined,
    // Where a row sits in the request body, for error paths: a batch row, or the whole PUT body.
    placeOf: (index: number) => RowPlace = batchRow,
  ): Promise<Array<{ row: CustomerRow; outcome: Outcome }>> {
    // Load: the rows the items name, locked.
    const existing = new Map(
      (
        await this.customers.findByExternalIds(
          items.map((i) => i.externalId),
          trx,
        )
      ).map((r) => [r.external_id, r]),
    );
    const errors = new RowErrors();
    items.forEach((item, index) => {
      if (!existing.has(item.externalId) && item.name === undefined) {
        errors.add(placeOf(index), 'name', 'name_required', 'is required to create a customer');
      }
    });
    errors.throwIfAny();
    this.checkBirthdays(
      items.map((item, index) => {
        const row = existing.get(item.externalId);
        const before = row ? stateOf(row) : { ...DEFAULT_STATE, name: item.name ?? '' };
        return {
          place: placeOf(index),
          state: merge(before, item),
          stored: row ? before.birthday : undefined,
        };
      }),
    );

    const now = this.clock();
    const toCreate: Array<{ index: number; state: CustomerState }> = [];
    const results: Array<{ row: CustomerRow; outcome: Outcome } | undefined> = [];
    const events: EventDraft[] = [];
    // Only channels a row newly names are checked: one that was valid when it was set stays,
    // so resending a customer whose channel was deleted since is not an error.
    await this.checkChannels(
      items.flatMap((item, index) => {
        const row = existing.get(item.externalId);
        const state = row
          ? merge(stateOf(row), item)
          : merge({ ...DEFAULT_STATE, name: item.name ?? '' }, item);
        return state.viaChannelId !== (row?.via_channel_id ?? null)
          ? [{ place: placeOf(index), state, selfId: row?.id }]
          : [];
      }),
      trx,
    );
    // Plan and persist: existing rows change one by one (each under its version), new ones wait.
    for (const [index, item] of items.entries()) {
      const row = existing.get(item.externalId);
      if (!row) {
        toCreate.push({ index, state: merge({ ...DEFAULT_STATE, name: item.name ?? '' }, item) });
        continue;
      }
      const result = await this.applyChange(row, item, ifMatch?.(row.version), actor, trx, placeOf(index));
      let finalRow = result.row;
      let outcome = result.outcome;
      if (row.deleted_at) {
        finalRow = (await this.customers.update(
          finalRow.id,
          finalRow.version,
          { deleted_at: null, updated_at: now },
          trx,
        ))!;
        events.push(...result.events);
        events.push(
          ...customerEvents(
            'customer.restored',
            null,
            toCustomer(finalRow),
            deletedAtChange(row.deleted_at, null),
          ),
        );
        outcome = 'updated';
      } else events.push(...result.events);
      results[index] = { row: finalRow, outcome };
    }
    if (toCreate.length > 0) {
      const created = await this.insertCustomers(
        toCreate.map((c) => c.state),
        actor,
        now,
        trx,
      );
      toCreate.forEach((c, i) => {
        const { row, events: own } = created[i]!;
        results[c.index] = { row, outcome: 'created' };
        events.push(...own);
      });
    }
    // Events last.
    await this.events.record(events, actor, trx);
    return results as Array<{ row: CustomerRow; outcome: Outcome }>;
  }
}
