import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { decodeCursor, pageFrom } from '../../http/pagination';
import { errorResponses, IdParams, success } from '../../schemas/common';
import { ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyListQuery, ApiKeyPage } from './schemas';
import type { ApiKeyService } from './service';

export interface ApiKeyRoutesOptions {
  apiKeys: ApiKeyService;
}

const tags = ['api-keys'];

const apiKeyRoutes: FastifyPluginAsyncTypebox<ApiKeyRoutesOptions> = async (app, { apiKeys }) => {
  app.addSchema(ApiKey);

  app.post(
    '/api-keys',
    {
      config: { scope: 'admin', secretResponse: true },
      schema: {
        operationId: 'createApiKey',
        summary: 'Create an API key',
        description: 'The secret `key` is in this response only; the server keeps a hash of it.',
        tags,
        body: ApiKeyCreate,
        response: {
          201: success(ApiKeyCreated, 'The new key with its secret, shown this once; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses('idempotency_secret_not_replayed'),
        },
      },
    },
    async (request, reply) => {
      const { view, key } = await apiKeys.create(
        request.body.name,
        request.body.scopes,
        request.principal?.id ?? null,
      );
      reply.header('location', `/v1/api-keys/${view.id}`);
      return reply.code(201).send({ ...view, key });
    },
  );

  app.get(
    '/api-keys',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'listApiKeys',
        summary: 'List API keys',
        description: 'Secrets are never listed, only their prefixes.',
        tags,
        querystring: ApiKeyListQuery,
        response: {
          200: success(ApiKeyPage, 'A page of API keys, revoked ones included, without secrets.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const after = request.query.cursor ? decodeCursor(request.query.cursor, 'id') : undefined;
      const rows = await apiKeys.list(limit + 1, after?.id);
      return pageFrom(
        rows,
        limit,
        (row) => row,
        (row) => ({ sort: 'id', value: null, id: row.id }),
      );
    },
  );

  app.get(
    '/api-keys/:id',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'getApiKey',
        summary: 'Read an API key',
        tags,
        params: IdParams,
        response: {
          200: success(Type.Ref('ApiKey'), 'The API key, without its secret.'),
          ...errorResponses('api_key_not_found'),
        },
      },
    },
    async (request) => apiKeys.get(request.params.id),
  );

  app.delete(
    '/api-keys/:id',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key',
        description: 'The key stops working at once on this server and within AUTH_CACHE_TTL_MS on others.',
        tags,
        params: IdParams,
        response: {
          200: success(Type.Ref('ApiKey'), 'The key as revoked, with its `revokedAt`.'),
          ...errorResponses('api_key_not_found'),
        },
      },
    },
    async (request) => apiKeys.revoke(request.params.id),
  );
};

export default apiKeyRoutes;
