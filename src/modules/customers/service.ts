import type { Knex } from 'knex';
import { isUuid, newId } from '../../db/ids';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
} from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { Actor } from '../events/actor';
import { fieldChanges, type FieldChange } from '../../domain/field-changes';
import type { EventDraft, EventWriter } from '../events/event-writer';
import type { BatchRowResult, Outcome } from '../shared/batch/outcome';
import { checkDuplicateKeys } from '../shared/batch/duplicate-keys';
import { batchRow, RowErrors, singleBody, type RowPlace } from '../shared/batch/row-errors';
import { customerEvents } from './customer-events';
import {
  DEFAULT_STATE,
  columnsOf,
  stateOf,
  toCustomer,
  type CustomerRow,
  type CustomerState,
} from './customer-row';
import { parseSort, sortValueOf, type CustomerRepository } from './repository';
import type {
  BatchItem,
  Customer,
  CustomerCreate,
  CustomerListQuery,
  CustomerPatch,
  CustomerUpsert,
} from './schemas';

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

export type { BatchRowResult, Outcome };

const deletedAtChange = (from: string | null, to: string | null): FieldChange[] => [
  { field: 'deletedAt', from, to },
];

/** Applies a partial input onto a state: a field that is present replaces the old value. */
function merge(base: CustomerState, input: Partial<CustomerPatch>): CustomerState {
  const next = { ...base } as Record<string, unknown>;
  for (const [field, value] of Object.entries(input)) {
    if (value !== undefined) next[field] = value;
  }
  return next as CustomerState;
}

export class CustomerService {
  constructor(
    private readonly knex: Knex,
    private readonly customers: CustomerRepository,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
  ) {}

  private notFound(id: string): NotFoundError {
    return new NotFoundError('customer_not_found', `No customer has id ${id}.`);
  }

  /** Reads a live customer (or a deleted one when asked), 404 otherwise. */
  async get(id: string, includeDeleted = false): Promise<Customer> {
    const row = isUuid(id) ? await this.customers.findById(id) : undefined;
    if (!row || (row.deleted_at && !includeDeleted)) throw this.notFound(id);
    return toCustomer(row);
  }

  async getByExternalId(externalId: string, includeDeleted = false): Promise<Customer> {
    const row = await this.customers.findByExternalId(externalId);
    if (!row || (row.deleted_at && !includeDeleted)) {
      throw new NotFoundError('customer_not_found', `No customer has externalId ${externalId}.`);
    }
    return toCustomer(row);
  }

  async list(query: CustomerListQuery) {
    const sort = parseSort(query.sort);
    const sortName = query.sort ?? 'createdAt';
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, sortName) : undefined;
    const rows = await this.customers.list(query, sort, limit, after);
    return pageFrom(rows, limit, toCustomer, (row) => ({
      sort: sortName,
      value: sortValueOf(row, sort),
      id: row.id,
    }));
  }

  /** A channel named by viaChannelId must exist, be a live channel customer, and not be the customer itself. */
  private async checkChannels(
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

  private insertColumns(state: CustomerState, actor: Actor, now: Date) {
    return {
      id: newId(),
      ...columnsOf(state, null),
      stars_override_by: state.starsOverride ? actor.name : null,
      stars_override_at: state.starsOverride ? now : null,
      created_at: now,
      updated_at: now,
    };
  }

  private updateColumns(row: CustomerRow, state: CustomerState, actor: Actor, now: Date) {
    const before = stateOf(row).starsOverride;
    const overrideChanged = JSON.stringify(before) !== JSON.stringify(state.starsOverride);
    return {
      ...columnsOf(state, row.stars_derived),
      ...(overrideChanged
        ? {
            stars_override_by: state.starsOverride ? actor.name : null,
            stars_override_at: state.starsOverride ? now : null,
          }
        : {}),
      updated_at: now,
    };
  }

  async create(input: CustomerCreate, actor: Actor): Promise<Customer> {
    const state = merge({ ...DEFAULT_STATE, name: input.name }, input);
    return this.knex.transaction(async (trx) => {
      await this.checkChannels([{ place: singleBody, state }], trx);
      if (state.externalId && (await this.customers.findByExternalId(state.externalId, trx))) {
        throw new ConflictError(
          'external_id_taken',
          `A customer with externalId ${state.externalId} exists; use PUT /v1/customers/external/{externalId} to upsert.`,
        );
      }
      const now = this.clock();
      const [row] = await this.customers.insert([this.insertColumns(state, actor, now)], trx);
      const customer = toCustomer(row!);
      await this.events.record(customerEvents('customer.created', null, customer, null), actor, trx);
      return customer;
    });
  }

  /**
   * Applies `input` to an existing row under a row lock. `expected` is the version an If-Match
   * named; a stale one is 412. Unchanged input writes nothing and keeps the version.
   */
  private async applyChange(
    row: CustomerRow,
    input: Partial<CustomerPatch>,
    expected: number | undefined,
    actor: Actor,
    trx: Knex.Transaction,
    place: RowPlace = singleBody,
  ): Promise<{ row: CustomerRow; outcome: Outcome; events: EventDraft[] }> {
    if (expected !== undefined && expected !== row.version) {
      throw new PreconditionFailedError(`The customer is at version ${row.version}, not ${expected}.`);
    }
    const before = stateOf(row);
    const after = merge(before, input);
    const changes = fieldChanges(before, after);
    if (changes.length === 0) return { row, outcome: 'unchanged', events: [] };
    if (after.viaChannelId && after.viaChannelId !== row.via_channel_id) {
      await this.checkChannels([{ place, state: after, selfId: row.id }], trx);
    }
    const updated = await this.customers.update(
      row.id,
      row.version,
      this.updateColumns(row, after, actor, this.clock()),
      trx,
    );
    if (!updated)
      throw new PreconditionFailedError('The customer changed while this request was applied; retry.');
    return {
      row: updated,
      outcome: 'updated',
      events: customerEvents('customer.updated', toCustomer(row), toCustomer(updated), changes),
    };
  }

  private async lockLive(id: string, trx: Knex.Transaction): Promise<CustomerRow> {
    const row = isUuid(id) ? await this.customers.findById(id, trx, true) : undefined;
    if (!row || row.deleted_at) throw this.notFound(id);
    return row;
  }

  async patch(
    id: string,
    input: CustomerPatch,
    ifMatch: (currentVersion: number) => number | undefined,
    actor: Actor,
  ): Promise<Customer> {
    return this.knex.transaction(async (trx) => {
      const row = await this.lockLive(id, trx);
      if (input.externalId && input.externalId !== row.external_id) {
        const other = await this.customers.findByExternalId(input.externalId, trx);
        if (other)
          throw new ConflictError(
            'external_id_taken',
            `Another customer has externalId ${input.externalId}.`,
          );
      }
      const result = await this.applyChange(row, input, ifMatch(row.version), actor, trx);
      await this.events.record(result.events, actor, trx);
      return toCustomer(result.row);
    });
  }

  /** PUT by external id: creates the customer, or updates the fields given (a deleted one is restored). */
  async upsertByExternalId(
    externalId: string,
    input: CustomerUpsert,
    ifMatch: ((currentVersion: number) => number | undefined) | undefined,
    actor: Actor,
  ): Promise<{ customer: Customer; outcome: Outcome }> {
    if (input.externalId !== undefined && input.externalId !== externalId) {
      throw new BadRequestError('external_id_mismatch', 'The body names another externalId than the path.');
    }
    return this.knex.transaction(async (trx) => {
      // If-Match promises the record exists (RFC 9110 13.1.1): never create under it.
      if (ifMatch && !(await this.customers.findByExternalId(externalId, trx))) {
        throw new PreconditionFailedError(
          `No customer has externalId ${externalId}, so If-Match cannot match.`,
        );
      }
      const results = await this.upsertRows(
        [{ ...input, externalId }],
        trx,
        actor,
        ifMatch,
        () => singleBody,
      );
      const result = results[0]!;
      return { customer: toCustomer(result.row), outcome: result.outcome };
    });
  }

  /** One transaction for the whole batch: the caller's (an import commits its progress in it), or a new one. */
  async batchUpsert(items: BatchItem[], actor: Actor, outer?: Knex.Transaction): Promise<BatchRowResult[]> {
    const duplicates = new RowErrors();
    checkDuplicateKeys(items, (item) => item.externalId, 'externalId', duplicates);
    duplicates.throwIfAny();
    const work = async (trx: Knex.Transaction) => {
      const results = await this.upsertRows(items, trx, actor);
      return results.map((r, index) => ({
        index,
        id: r.row.id,
        externalId: r.row.external_id ?? '',
        outcome: r.outcome,
      }));
    };
    return outer ? work(outer) : this.knex.transaction(work);
  }

  /** The shared upsert: one read of the existing rows, one insert of the new ones, one audit write. */
  private async upsertRows(
    items: Array<CustomerUpsert & { externalId: string }>,
    trx: Knex.Transaction,
    actor: Actor,
    ifMatch?: (currentVersion: number) => number | undefined,
    // Where a row sits in the request body, for error paths: a batch row, or the whole PUT body.
    placeOf: (index: number) => RowPlace = batchRow,
  ): Promise<Array<{ row: CustomerRow; outcome: Outcome }>> {
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
            deletedAtChange(iso(row.deleted_at), null),
          ),
        );
        outcome = 'updated';
      } else events.push(...result.events);
      results[index] = { row: finalRow, outcome };
    }
    if (toCreate.length > 0) {
      const created = await this.customers.insert(
        toCreate.map((c) => this.insertColumns(c.state, actor, now)),
        trx,
      );
      toCreate.forEach((c, i) => {
        const row = created[i]!;
        results[c.index] = { row, outcome: 'created' };
        events.push(...customerEvents('customer.created', null, toCustomer(row), null));
      });
    }
    await this.events.record(events, actor, trx);
    return results as Array<{ row: CustomerRow; outcome: Outcome }>;
  }

  async softDelete(
    id: string,
    ifMatch: (currentVersion: number) => number | undefined,
    actor: Actor,
  ): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = await this.lockLive(id, trx);
      const expected = ifMatch(row.version);
      if (expected !== undefined && expected !== row.version)
        throw new PreconditionFailedError('Stale version.');
      const now = this.clock();
      const deleted = await this.customers.update(
        row.id,
        row.version,
        { deleted_at: now, updated_at: now },
        trx,
      );
      await this.events.record(
        customerEvents('customer.deleted', null, toCustomer(deleted!), deletedAtChange(null, iso(now))),
        actor,
        trx,
      );
    });
  }

  async restore(id: string, actor: Actor): Promise<Customer> {
    return this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.customers.findById(id, trx, true) : undefined;
      if (!row) throw this.notFound(id);
      if (!row.deleted_at) throw new ConflictError('customer_not_deleted', `Customer ${id} is not deleted.`);
      const now = this.clock();
      const restored = await this.customers.update(
        row.id,
        row.version,
        { deleted_at: null, updated_at: now },
        trx,
      );
      const customer = toCustomer(restored!);
      await this.events.record(
        customerEvents('customer.restored', null, customer, deletedAtChange(iso(row.deleted_at), null)),
        actor,
        trx,
      );
      return customer;
    });
  }

  /** The customer as GET answers it, read inside the caller's transaction (for its events). */
  async view(id: string, trx: Knex.Transaction): Promise<Customer> {
    const row = await this.customers.findById(id, trx);
    if (!row) throw this.notFound(id);
    return toCustomer(row);
  }

  async requireLive(id: string, trx?: Knex.Transaction): Promise<CustomerRow> {
    const row = isUuid(id) ? await this.customers.findById(id, trx) : undefined;
    if (!row || row.deleted_at) throw this.notFound(id);
    return row;
  }
}
