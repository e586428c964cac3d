import type { Knex } from 'knex';
import type { Actor } from '../events/actor';
import type { EventDraft, EventWriter } from '../events/event-writer';
import { fieldChanges } from '../../domain/field-changes';
import { checkDuplicateKeys } from '../shared/batch/duplicate-keys';
import { outcomeOf, type Outcome } from '../shared/batch/outcome';
import { batchRow, RowErrors, singleBody } from '../shared/batch/row-errors';
import { normalizeMoney } from '../../domain/money';
import { isUuid, newId } from '../../db/ids';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { ProductRepository, ProductRow } from './repository';
import type { ProductInsert } from './table';
import type { Product, ProductBatchItem, ProductCreate, ProductListQuery, ProductPatch } from './schemas';

interface ProductState {
  sku: string;
  name: string;
  category: string | null;
  listPrice: string | null;
  currency: string | null;
  active: boolean;
}

export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    category: row.category,
    listPrice: row.list_price === null ? null : normalizeMoney(row.list_price),
    currency: row.currency,
    active: row.active,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

const stateOf = (row: ProductRow): ProductState => ({
  sku: row.sku,
  name: row.name,
  category: row.category,
  listPrice: row.list_price === null ? null : normalizeMoney(row.list_price),
  currency: row.currency,
  active: row.active,
});

function merge(base: ProductState, input: Partial<ProductState>): ProductState {
  const next = { ...base };
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined) (next as Record<string, unknown>)[key] = value;
  }
  if (next.listPrice !== null) next.listPrice = normalizeMoney(next.listPrice);
  return next;
}

const columnsOf = (s: ProductState) => ({
  sku: s.sku,
  name: s.name,
  category: s.category,
  list_price: s.listPrice,
  currency: s.currency,
  active: s.active,
});

const sameState = (a: ProductState, b: ProductState) => JSON.stringify(a) === JSON.stringify(b);

/** A list price means nothing without its currency. */
const lacksCurrency = (state: ProductState) => state.listPrice !== null && state.currency === null;

const NEW_PRODUCT = { category: null, listPrice: null, currency: null, active: true };

/** The catalogue that order lines refer to (by id or by sku). */
export class ProductService {
  constructor(
    private readonly knex: Knex,
    private readonly products: ProductRepository,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
  ) {}

  private notFound(id: string) {
    return new NotFoundError('product_not_found', { id });
  }

  async get(id: string): Promise<Product> {
    const row = isUuid(id) ? await this.products.findById(id) : undefined;
    if (!row) throw this.notFound(id);
    return toProduct(row);
  }

  async getBySku(sku: string): Promise<Product> {
    const row = await this.products.findBySku(sku);
    if (!row) throw new NotFoundError('product_not_found.sku', { sku });
    return toProduct(row);
  }

  async list(query: ProductListQuery) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, 'id') : undefined;
    const rows = await this.products.list(query, limit, after);
    return pageFrom(rows, limit, toProduct, (row) => ({ sort: 'id', value: null, id: row.id }));
  }

  async create(input: ProductCreate, actor: Actor): Promise<Product> {
    const state = merge({ sku: input.sku, name: input.name, ...NEW_PRODUCT }, input);
    const errors = new RowErrors();
    if (lacksCurrency(state)) errors.invalid(singleBody, 'currency', 'is required with listPrice');
    errors.throwIfAny();
    return this.knex.transaction(async (trx) => {
      const [taken] = await this.products.findBySkus([state.sku], trx);
      if (taken) throw new ConflictError('sku_taken.create', { sku: state.sku });
      const now = this.clock();
      const [row] = await this.products.insert(
        [{ id: newId(), ...columnsOf(state), created_at: now, updated_at: now }],
        trx,
      );
      const product = toProduct(row!);
      await this.events.record([this.event('product.created', product)], actor, trx);
      return product;
    });
  }

  private event(
    type: EventDraft['type'],
    product: Product,
    changes: EventDraft['changes'] = null,
  ): EventDraft {
    return { type, entityId: product.id, customerId: null, data: product, changes };
  }

  async patch(
    id: string,
    input: ProductPatch,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<Product> {
    return this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.products.findById(id, trx, true) : undefined;
      if (!row) throw this.notFound(id);
      ifMatch(row.version);
      const before = stateOf(row);
      const after = merge(before, input);
      const errors = new RowErrors();
      if (lacksCurrency(after))
        errors.add(singleBody, 'currency', 'currency_required', 'is required with listPrice');
      errors.throwIfAny();
      if (sameState(before, after)) return toProduct(row);
      if (after.sku !== before.sku && (await this.products.findBySkus([after.sku], trx)).length > 0) {
        throw new ConflictError('sku_taken', { sku: after.sku });
      }
      const updated = await this.products.update(
        row.id,
        row.version,
        { ...columnsOf(after), updated_at: this.clock() },
        trx,
      );
      if (!updated) throw new PreconditionFailedError({}, 'precondition_failed.changed');
      const product = toProduct(updated);
      await this.events.record(
        [this.event('product.updated', product, fieldChanges(before, after))],
        actor,
        trx,
      );
      return product;
    });
  }

  /** Products that order lines name cannot be removed (deactivate them instead). */
  async delete(id: string, ifMatch: (version: number) => number | undefined, actor: Actor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.products.findById(id, trx, true) : undefined;
      if (!row) throw this.notFound(id);
      ifMatch(row.version);
      if (await this.products.isReferenced(row.id, trx)) {
        throw new ConflictError('product_in_use', {});
      }
      await this.products.delete(row.id, trx);
      await this.events.record([this.event('product.deleted', toProduct(row))], actor, trx);
    });
  }

  /** One transaction for the whole batch: the caller's, or a new one. */
  async batchUpsert(
    items: ProductBatchItem[],
    actor: Actor,
    outer?: Knex.Transaction,
  ): Promise<Array<{ index: number; id: string; sku: string; outcome: Outcome }>> {
    const duplicates = new RowErrors();
    checkDuplicateKeys(items, (item) => item.sku, 'sku', duplicates);
    duplicates.throwIfAny();
    const work = async (trx: Knex.Transaction) => {
      const found = await this.products.findBySkus(
        items.map((i) => i.sku),
        trx,
      );
      const existing = new Map(found.map((r) => [r.sku, r]));
      const errors = new RowErrors();
      const plans = items.map((item, index) => {
        const row = existing.get(item.sku);
        if (!row && item.name === undefined)
          errors.add(batchRow(index), 'name', 'name_required', 'is required to create a product');
        const before = row ? stateOf(row) : null;
        const state = merge(before ?? { sku: item.sku, name: item.name ?? '', ...NEW_PRODUCT }, item);
        if (lacksCurrency(state))
          errors.add(batchRow(index), 'currency', 'currency_required', 'is required with listPrice');
        return { index, row, before, state, outcome: outcomeOf(before, state) };
      });
      errors.throwIfAny();
      const now = this.clock();
      const events: EventDraft[] = [];
      const results: Array<{ index: number; id: string; sku: string; outcome: Outcome }> = [];
      const toInsert: ProductInsert[] = [];
      for (const plan of plans) {
        if (!plan.row) {
          const id = newId();
          toInsert.push({ id, ...columnsOf(plan.state), created_at: now, updated_at: now });
          results.push({ index: plan.index, id, sku: plan.state.sku, outcome: 'created' });
          continue;
        }
        results.push({ index: plan.index, id: plan.row.id, sku: plan.row.sku, outcome: plan.outcome });
        if (plan.outcome !== 'updated') continue;
        const updated = await this.products.update(
          plan.row.id,
          plan.row.version,
          { ...columnsOf(plan.state), updated_at: now },
          trx,
        );
        if (!updated) throw new PreconditionFailedError({}, 'precondition_failed.changed');
        events.push(this.event('product.updated', toProduct(updated), fieldChanges(plan.before, plan.state)));
      }
      if (toInsert.length) {
        for (const row of await this.products.insert(toInsert, trx))
          events.push(this.event('product.created', toProduct(row)));
      }
      await this.events.record(events, actor, trx);
      return results;
    };
    return outer ? work(outer) : this.knex.transaction(work);
  }
}
