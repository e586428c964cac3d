import type { Knex } from 'knex';
import type { CursorPosition } from '../../http/pagination';
import type { ProductListQuery } from './schemas';
import type { ProductInsert, ProductUpdate } from './table';

export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  category: string | null;
  list_price: string | null;
  currency: string | null;
  active: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export class ProductRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  async insert(rows: ProductInsert[], trx?: Knex.Transaction): Promise<ProductRow[]> {
    return this.db(trx)('products').insert(rows).returning('*');
  }

  async findById(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<ProductRow | undefined> {
    const q = this.db(trx)('products').where({ id }).first();
    if (forUpdate) q.forUpdate();
    return q;
  }

  async findBySku(sku: string): Promise<ProductRow | undefined> {
    return this.knex('products').where({ sku }).first();
  }

  /** Products named by id or by sku, in one query (the order paths resolve whole batches). */
  async findByIdsOrSkus(ids: string[], skus: string[], trx?: Knex.Transaction): Promise<ProductRow[]> {
    if (ids.length === 0 && skus.length === 0) return [];
    return this.db(trx)('products').where((w) => {
      if (ids.length) w.orWhereIn('id', ids);
      if (skus.length) w.orWhereIn('sku', skus);
    });
  }

  async findBySkus(skus: string[], trx: Knex.Transaction): Promise<ProductRow[]> {
    return trx('products').whereIn('sku', skus).forUpdate();
  }

  async update(
    id: string,
    version: number,
    columns: Omit<ProductUpdate, 'version'>,
    trx?: Knex.Transaction,
  ): Promise<ProductRow | undefined> {
    const [row] = await this.db(trx)('products')
      .where({ id, version })
      .update({ ...columns, version: version + 1 })
      .returning('*');
    return row;
  }

  async isReferenced(id: string, trx: Knex.Transaction): Promise<boolean> {
    return Boolean(await trx('order_lines').where({ product_id: id }).first('order_id'));
  }

  async delete(id: string, trx: Knex.Transaction): Promise<void> {
    await trx('products').where({ id }).delete();
  }

  async list(query: ProductListQuery, limit: number, after?: CursorPosition): Promise<ProductRow[]> {
    const q = this.knex('products').select('*');
    if (query.category) q.where('category', query.category);
    if (query.active !== undefined) q.where('active', query.active);
    if (after) q.where('id', '>', after.id);
    return q.orderBy('id').limit(limit + 1);
  }
}
