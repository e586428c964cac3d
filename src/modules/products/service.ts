import type { Knex } from 'knex';
import { normalizeMoney } from '../../domain/money';
import { isUuid, newId } from '../../db/ids';
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  UnprocessableError,
  ValidationError,
  type FieldError,
} from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { ProductRepository, ProductRow } from './repository';
import type { Product, ProductBatchItem, ProductCreate, ProductListQuery, ProductPatch } from './schemas';

type Outcome = 'created' | 'updated' | 'unchanged';

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
function priceErrors(state: ProductState, path: string, index?: number): FieldError[] {
  return state.listPrice !== null && state.currency === null
    ? [
        {
          path: `${path}/currency`,
          message: 'is required with listPrice',
          ...(index !== undefined ? { index } : {}),
        },
      ]
    : [];
}

/** The catalogue that order lines refer to (by id or by sku). */
export class ProductService {
  constructor(
    private readonly knex: Knex,
    private readonly products: ProductRepository,
    private readonly clock: () => Date,
  ) {}

  private notFound(id: string) {
    return new NotFoundError('product_not_found', `No product has id ${id}.`);
  }

  async get(id: string): Promise<Product> {
    const row = isUuid(id) ? await this.products.findById(id) : undefined;
    if (!row) throw this.notFound(id);
    return toProduct(row);
  }

  async getBySku(sku: string): Promise<Product> {
    const row = await this.products.findBySku(sku);
    if (!row) throw new NotFoundError('product_not_found', `No product has sku ${sku}.`);
    return toProduct(row);
  }

  async list(query: ProductListQuery) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, 'id') : undefined;
    const rows = await this.products.list(query, limit, after);
    return pageFrom(rows, limit, toProduct, (row) => ({ sort: 'id', value: null, id: row.id }));
  }

  async create(input: ProductCreate): Promise<Product> {
    const state = merge(
      { sku: input.sku, name: input.name, category: null, listPrice: null, currency: null, active: true },
      input,
    );
    const errors = priceErrors(state, 'body');
    if (errors.length) throw new ValidationError('listPrice needs a currency.', errors);
    return this.knex.transaction(async (trx) => {
      const [taken] = await this.products.findBySkus([state.sku], trx);
      if (taken)
        throw new ConflictError(
          'sku_taken',
          `A product with sku ${state.sku} exists; use POST /v1/products/batch to upsert.`,
        );
      const now = this.clock();
      const [row] = await this.products.insert(
        [{ id: newId(), ...columnsOf(state), created_at: now, updated_at: now }],
        trx,
      );
      return toProduct(row!);
    });
  }

  async patch(
    id: string,
    input: ProductPatch,
    ifMatch: (version: number) => number | undefined,
  ): Promise<Product> {
    return this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.products.findById(id, trx, true) : undefined;
      if (!row) throw this.notFound(id);
      ifMatch(row.version);
      const before = stateOf(row);
      const after = merge(before, input);
      const errors = priceErrors(after, 'body');
      if (errors.length) throw new ValidationError('listPrice needs a currency.', errors);
      if (sameState(before, after)) return toProduct(row);
      if (after.sku !== before.sku && (await this.products.findBySkus([after.sku], trx)).length > 0) {
        throw new ConflictError('sku_taken', `Another product has sku ${after.sku}.`);
      }
      const updated = await this.products.update(
        row.id,
        row.version,
        { ...columnsOf(after), updated_at: this.clock() },
        trx,
      );
      if (!updated)
        throw new PreconditionFailedError('The product changed while this request was applied; retry.');
      return toProduct(updated);
    });
  }

  /** Products that order lines name cannot be removed (deactivate them instead). */
  async delete(id: string, ifMatch: (version: number) => number | undefined): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.products.findById(id, trx, true) : undefined;
      if (!row) throw this.notFound(id);
      ifMatch(row.version);
      if (await this.products.isReferenced(row.id, trx)) {
        throw new ConflictError(
          'product_in_use',
          'Orders refer to this product; set active to false instead.',
        );
      }
      await this.products.delete(row.id, trx);
    });
  }

  async batchUpsert(
    items: ProductBatchItem[],
  ): Promise<Array<{ index: number; id: string; sku: string; outcome: Outcome }>> {
    const seen = new Map<string, number>();
    const errors: FieldError[] = [];
    items.forEach((item, index) => {
      const first = seen.get(item.sku);
      if (first !== undefined)
        errors.push({ index, path: `/items/${index}/sku`, message: `repeats the sku of row ${first}` });
      else seen.set(item.sku, index);
    });
    if (errors.length)
      throw new UnprocessableError('duplicate_sku', 'Each sku may appear once per batch.', errors);
    return this.knex.transaction(async (trx) => {
      const existing = new Map(
        (
          await this.products.findBySkus(
            items.map((i) => i.sku),
            trx,
          )
        ).map((r) => [r.sku, r]),
      );
      const states = items.map((item, index) => {
        const row = existing.get(item.sku);
        if (!row && item.name === undefined) {
          errors.push({ index, path: `/items/${index}/name`, message: 'is required to create a product' });
        }
        const base = row
          ? stateOf(row)
          : {
              sku: item.sku,
              name: item.name ?? '',
              category: null,
              listPrice: null,
              currency: null,
              active: true,
            };
        const state = merge(base, item);
        errors.push(...priceErrors(state, `/items/${index}`, index));
        return state;
      });
      if (errors.length)
        throw new UnprocessableError('validation_failed', 'Some rows cannot be applied.', errors);
      const now = this.clock();
      const results: Array<{ index: number; id: string; sku: string; outcome: Outcome }> = [];
      const toInsert: Record<string, unknown>[] = [];
      for (const [index, state] of states.entries()) {
        const row = existing.get(state.sku);
        if (!row) {
          const id = newId();
          toInsert.push({ id, ...columnsOf(state), created_at: now, updated_at: now });
          results.push({ index, id, sku: state.sku, outcome: 'created' });
        } else if (sameState(stateOf(row), state)) {
          results.push({ index, id: row.id, sku: row.sku, outcome: 'unchanged' });
        } else {
          await this.products.update(row.id, row.version, { ...columnsOf(state), updated_at: now }, trx);
          results.push({ index, id: row.id, sku: row.sku, outcome: 'updated' });
        }
      }
      if (toInsert.length) await this.products.insert(toInsert, trx);
      return results;
    });
  }
}
