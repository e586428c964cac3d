import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../events/actor';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { errorResponses, IdParams, IfMatchHeaders, NotModified, success } from '../../schemas/common';
import {
  Product,
  ProductBatch,
  ProductBatchResult,
  ProductCreate,
  ProductListQuery,
  ProductPage,
  ProductPatch,
  SkuParams,
} from './schemas';
import type { ProductService } from './service';

export interface ProductRoutesOptions {
  products: ProductService;
}

const tags = ['products'];
const ProductRef = Type.Ref('Product');

const productRoutes: FastifyPluginAsyncTypebox<ProductRoutesOptions> = async (app, { products }) => {
  app.addSchema(Product);

  app.post(
    '/products',
    {
      config: { scope: 'orders:write' },
      schema: {
        operationId: 'createProduct',
        summary: 'Create a product',
        description: 'A `listPrice` needs its `currency`. A taken `sku` is 409.',
        tags,
        body: ProductCreate,
        response: {
          201: success(ProductRef, 'The new product, with its ETag; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses('sku_taken', 'currency_required'),
        },
      },
    },
    async (request, reply) => {
      const product = await products.create(request.body, actorOf(request));
      setEtag(reply, product.version);
      reply.header('location', `/v1/products/${product.id}`);
      return reply.code(201).send(product);
    },
  );

  app.get(
    '/products',
    {
      config: { scope: 'orders:read' },
      schema: {
        operationId: 'listProducts',
        summary: 'List products',
        tags,
        querystring: ProductListQuery,
        response: {
          200: success(ProductPage, 'A page of products matching the filters.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => products.list(request.query),
  );

  app.get(
    '/products/:id',
    {
      config: { scope: 'orders:read' },
      schema: {
        operationId: 'getProduct',
        summary: 'Read a product',
        tags,
        params: IdParams,
        response: {
          200: success(ProductRef, 'The product, with its ETag.'),
          304: NotModified,
          ...errorResponses('product_not_found'),
        },
      },
    },
    async (request, reply) => {
      const product = await products.get(request.params.id);
      setEtag(reply, product.version);
      if (notModified(request, product.version)) return sendNotModified(reply, product.version);
      return product;
    },
  );

  app.get(
    '/products/sku/:sku',
    {
      config: { scope: 'orders:read' },
      schema: {
        operationId: 'getProductBySku',
        summary: 'Read a product by sku',
        tags,
        params: SkuParams,
        response: {
          200: success(ProductRef, 'The product with this sku, with its ETag.'),
          304: NotModified,
          ...errorResponses('product_not_found'),
        },
      },
    },
    async (request, reply) => {
      const product = await products.getBySku(request.params.sku);
      setEtag(reply, product.version);
      if (notModified(request, product.version)) return sendNotModified(reply, product.version);
      return product;
    },
  );

  app.patch(
    '/products/:id',
    {
      config: { scope: 'orders:write' },
      schema: {
        operationId: 'updateProduct',
        summary: 'Update some fields of a product',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: ProductPatch,
        response: {
          200: success(ProductRef, 'The product as changed, with its new ETag.'),
          ...errorResponses('product_not_found', 'sku_taken', 'currency_required'),
        },
      },
    },
    async (request, reply) => {
      const product = await products.patch(
        request.params.id,
        request.body,
        (v) => expectedVersion(request, v),
        actorOf(request),
      );
      setEtag(reply, product.version);
      return product;
    },
  );

  app.delete(
    '/products/:id',
    {
      config: { scope: 'orders:write' },
      schema: {
        operationId: 'deleteProduct',
        summary: 'Delete a product no order refers to',
        description:
          'A product named by an order line is 409 `product_in_use`: set `active` to false instead.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'Deleted; no body.' }),
          ...errorResponses('product_not_found', 'product_in_use'),
        },
      },
    },
    async (request, reply) => {
      await products.delete(request.params.id, (v) => expectedVersion(request, v), actorOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/products/batch',
    {
      config: { scope: 'orders:write' },
      schema: {
        operationId: 'batchUpsertProducts',
        summary: 'Upsert up to 1,000 products by sku',
        description:
          'All rows in one transaction; each is `created`, `updated` or `unchanged`. Any bad row: nothing is written and the problem names each row by `index`.',
        tags,
        body: ProductBatch,
        response: {
          200: success(ProductBatchResult, 'What happened to each row, in input order.'),
          ...errorResponses(
            'duplicate_in_batch',
            'precondition_failed',
            'name_required',
            'currency_required',
            'invalid_rows',
          ),
        },
      },
    },
    async (request) => ({ results: await products.batchUpsert(request.body.items, actorOf(request)) }),
  );
};

export default productRoutes;
