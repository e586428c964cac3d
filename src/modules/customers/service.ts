import type { Knex } from 'knex';
import { isUuid } from '../../db/ids';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
} from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { Actor } from '../events/actor';
import type { EventDraft, EventWriter } from '../events/event-writer';
import type { LifecycleRepository } from '../lifecycle/repository';
import type { BatchRowResult, Outcome } from '../shared/batch/outcome';
import { checkDuplicateKeys } from '../shared/batch/duplicate-keys';
import { RowErrors, singleBody } from '../shared/batch/row-errors';
import { derivedTagOf } from './customer-etag';
import { customerEvents, deletedAtChange } from './customer-events';
import { DEFAULT_STATE, toCustomer, type CustomerRow } from './customer-row';
import { CustomerWriter, merge } from './customer-writer';
import { parseSort, sortValueOf, type CustomerRepository } from './repository';
import type {
  BatchItem,
  Customer,
  CustomerCreate,
  CustomerListQuery,
  CustomerPatch,
  CustomerUpsert,
} from './schemas';

export type { BatchRowResult, Outcome };

/**
 * A customer as a route answers it, with the derived part of its ETag (customer-etag.ts): the
 * route sends `"v<version>.<derived>"`, and If-Match still compares the version alone.
 */
export interface TaggedCustomer {
  customer: Customer;
  derived: string | undefined;
}

const tagged = (row: CustomerRow): TaggedCustomer => ({
  customer: toCustomer(row),
  derived: derivedTagOf(row),
});

export class CustomerService {
  private readonly writer: CustomerWriter;

  constructor(
    private readonly knex: Knex,
    private readonly customers: CustomerRepository,
    lifecycle: LifecycleRepository,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
  ) {
    this.writer = new CustomerWriter(customers, lifecycle, events, clock);
  }

  private notFound(id: string): NotFoundError {
    return new NotFoundError('customer_not_found', { id });
  }

  /** Reads a live customer (or a deleted one when asked), 404 otherwise. */
  async get(id: string, includeDeleted = false): Promise<Customer> {
    return (await this.read(id, includeDeleted)).customer;
  }

  /** As get, with its ETag's derived part. */
  async read(id: string, includeDeleted = false): Promise<TaggedCustomer> {
    const row = isUuid(id) ? await this.customers.findById(id) : undefined;
    if (!row || (row.deleted_at && !includeDeleted)) throw this.notFound(id);
    return tagged(row);
  }

  async getByExternalId(externalId: string, includeDeleted = false): Promise<TaggedCustomer> {
    const row = await this.customers.findByExternalId(externalId);
    if (!row || (row.deleted_at && !includeDeleted)) {
      throw new NotFoundError('customer_not_found.external_id', { externalId });
    }
    return tagged(row);
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

  async create(input: CustomerCreate, actor: Actor): Promise<TaggedCustomer> {
    const state = merge({ ...DEFAULT_STATE, name: input.name }, input);
    return this.knex.transaction(async (trx) => {
      this.writer.checkBirthdays([{ place: singleBody, state }]);
      await this.writer.checkChannels([{ place: singleBody, state }], trx);
      if (state.externalId && (await this.customers.findByExternalId(state.externalId, trx))) {
        throw new ConflictError('external_id_taken.customer', { externalId: state.externalId });
      }
      const [created] = await this.writer.insertCustomers([state], actor, this.clock(), trx);
      await this.events.record(created!.events, actor, trx);
      return tagged(created!.row);
    });
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
  ): Promise<TaggedCustomer> {
    return this.knex.transaction(async (trx) => {
      const row = await this.lockLive(id, trx);
      if (input.externalId && input.externalId !== row.external_id) {
        const other = await this.customers.findByExternalId(input.externalId, trx);
        if (other) throw new ConflictError('external_id_taken', { externalId: input.externalId });
      }
      const result = await this.writer.applyChange(row, input, ifMatch(row.version), actor, trx);
      await this.events.record(result.events, actor, trx);
      return tagged(result.row);
    });
  }

  /**
   * Adds a tag inside the caller's transaction (a lost opportunity's `not-converted:<reason>`),
   * through the one writer, so the customer's version moves and its audit entry is made. Answers
   * the customer's events for the caller to record with its own, last.
   */
  async addTag(id: string, tag: string, actor: Actor, trx: Knex.Transaction): Promise<EventDraft[]> {
    const row = await this.lockLive(id, trx);
    if (row.tags.includes(tag)) return [];
    return (await this.writer.applyChange(row, { tags: [...row.tags, tag] }, undefined, actor, trx)).events;
  }

  /** PUT by external id: creates the customer, or updates the fields given (a deleted one is restored). */
  async upsertByExternalId(
    externalId: string,
    input: CustomerUpsert,
    ifMatch: ((currentVersion: number) => number | undefined) | undefined,
    actor: Actor,
  ): Promise<TaggedCustomer & { outcome: Outcome }> {
    if (input.externalId !== undefined && input.externalId !== externalId) {
      throw new BadRequestError('external_id_mismatch', {});
    }
    return this.knex.transaction(async (trx) => {
      // If-Match promises the record exists (RFC 9110 13.1.1): never create under it.
      if (ifMatch && !(await this.customers.findByExternalId(externalId, trx))) {
        throw new PreconditionFailedError({ externalId }, 'precondition_failed.absent');
      }
      const results = await this.writer.upsertRows(
        [{ ...input, externalId }],
        trx,
        actor,
        ifMatch,
        () => singleBody,
      );
      const result = results[0]!;
      return { ...tagged(result.row), outcome: result.outcome };
    });
  }

  /** One transaction for the whole batch: the caller's (an import commits its progress in it), or a new one. */
  async batchUpsert(items: BatchItem[], actor: Actor, outer?: Knex.Transaction): Promise<BatchRowResult[]> {
    const duplicates = new RowErrors();
    checkDuplicateKeys(items, (item) => item.externalId, 'externalId', duplicates);
    duplicates.throwIfAny();
    const work = async (trx: Knex.Transaction) => {
      const results = await this.writer.upsertRows(items, trx, actor);
      return results.map((r, index) => ({
        index,
        id: r.row.id,
        externalId: r.row.external_id ?? '',
        outcome: r.outcome,
      }));
    };
    return outer ? work(outer) : this.knex.transaction(work);
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
        throw new PreconditionFailedError({}, 'precondition_failed.changed');
      const now = this.clock();
      const deleted = await this.customers.update(
        row.id,
        row.version,
        { deleted_at: now, updated_at: now },
        trx,
      );
      await this.events.record(
        customerEvents('customer.deleted', null, toCustomer(deleted!), deletedAtChange(null, now)),
        actor,
        trx,
      );
    });
  }

  async restore(id: string, actor: Actor): Promise<TaggedCustomer> {
    return this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.customers.findById(id, trx, true) : undefined;
      if (!row) throw this.notFound(id);
      if (!row.deleted_at) throw new ConflictError('customer_not_deleted', { id });
      const now = this.clock();
      const restored = await this.customers.update(
        row.id,
        row.version,
        { deleted_at: null, updated_at: now },
        trx,
      );
      const result = tagged(restored!);
      await this.events.record(
        customerEvents('customer.restored', null, result.customer, deletedAtChange(row.deleted_at, null)),
        actor,
        trx,
      );
      return result;
    });
  }

  /** The customer as GET answers it, read inside the caller's transaction (for its events). */
  async view(id: string, trx: Knex.Transaction): Promise<Customer> {
    const row = await this.customers.findById(id, trx);
    if (!row) throw this.notFound(id);
    return toCustomer(row);
  }

  /** The live customer, locked for the transaction with `forUpdate` (a write that reads its state first). */
  async requireLive(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<CustomerRow> {
    const row = isUuid(id) ? await this.customers.findById(id, trx, forUpdate) : undefined;
    if (!row || row.deleted_at) throw this.notFound(id);
    return row;
  }
}
