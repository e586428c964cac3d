import type { Knex } from 'knex';
import type { ProductRow } from './repository';

/**
 * The products table as Knex's query builder types it (knex/types/tables). The repository
 * imports this file, which is what brings the declaration into a program.
 */

/** A new product: every column but the version, which starts at the database's default. */
export type ProductInsert = Omit<ProductRow, 'version'> & { version?: number };

/** An update sets any columns but the key and the creation time. */
export type ProductUpdate = Partial<Omit<ProductInsert, 'id' | 'created_at'>>;

declare module 'knex/types/tables' {
  interface Tables {
    products: Knex.CompositeTableType<ProductRow, ProductInsert, ProductUpdate>;
  }
}
