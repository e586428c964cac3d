import { Type, type Static } from 'typebox';
import { batchBodyOf, SkuBatchResult } from '../shared/batch/schemas';
import { Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';
import { Currency, Money } from '../orders/money-schema';

export const Sku = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[\\x21-\\x7e]+$',
  description: 'Stock keeping unit: visible ASCII, unique.',
  example: 'WID-100',
});

const writable = {
  sku: Sku,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  category: Nullable(Type.String({ minLength: 1, maxLength: 100 })),
  listPrice: Nullable(Money),
  currency: Nullable(Currency),
  active: Type.Boolean(),
};

export const ProductCreate = Type.Object(
  {
    sku: writable.sku,
    name: writable.name,
    category: Type.Optional(writable.category),
    listPrice: Type.Optional(writable.listPrice),
    currency: Type.Optional(writable.currency),
    active: Type.Optional(writable.active),
  },
  {
    additionalProperties: false,
    example: { sku: 'WID-100', name: 'Widget', category: 'hardware', listPrice: '19.90', currency: 'USD' },
  },
);
export type ProductCreate = Static<typeof ProductCreate>;

export const ProductPatch = Type.Partial(Type.Object(writable), {
  additionalProperties: false,
  minProperties: 1,
  example: { listPrice: '21.50', active: false },
});
export type ProductPatch = Static<typeof ProductPatch>;

export const Product = Type.Object(
  {
    id: Uuid,
    sku: Type.String(),
    name: Type.String(),
    category: Nullable(Type.String()),
    listPrice: Nullable(Type.String()),
    currency: Nullable(Type.String()),
    active: Type.Boolean(),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Product', title: 'Product' },
);
export type Product = Static<typeof Product>;

export const ProductListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ProductListQuery = Static<typeof ProductListQuery>;

export const ProductPage = pageOf(Type.Ref('Product'));

export const ProductBatchItem = Type.Object(
  {
    sku: writable.sku,
    name: Type.Optional(writable.name),
    category: Type.Optional(writable.category),
    listPrice: Type.Optional(writable.listPrice),
    currency: Type.Optional(writable.currency),
    active: Type.Optional(writable.active),
  },
  { additionalProperties: false },
);
export type ProductBatchItem = Static<typeof ProductBatchItem>;

export const ProductBatch = batchBodyOf(ProductBatchItem, {
  sku: 'WID-100',
  name: 'Widget',
  listPrice: '19.90',
  currency: 'USD',
});

export const ProductBatchResult = SkuBatchResult;

export const SkuParams = Type.Object({ sku: Type.String({ minLength: 1, maxLength: 100 }) });
