import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { ForbiddenError } from '../../http/http-errors';
import { hasScope, type Scope } from '../../plugins/scopes';
import { errorResponses } from '../../schemas/common';
import { CSV_CONTENT_TYPE, wantsCsv } from '../orders/csv';
import {
  EXPORT_RESOURCES,
  ExportParams,
  ExportQuery,
  NDJSON_CONTENT_TYPE,
  type ExportResource,
} from './schemas';
import type { ExportService } from './service';

export interface ExportRoutesOptions {
  exports: ExportService;
}

const isResource = (value: unknown): value is ExportResource =>
  typeof value === 'string' && (EXPORT_RESOURCES as readonly string[]).includes(value);

const readScope = (resource: ExportResource): Scope => `${resource}:read`;

const exportRoutes: FastifyPluginAsyncTypebox<ExportRoutesOptions> = async (app, { exports }) => {
  app.get(
    '/exports/:resource',
    {
      // The scope depends on the resource in the path.
      preValidation: async (request) => {
        const { resource } = request.params as Record<string, unknown>;
        if (isResource(resource) && !hasScope(request.principal?.scopes ?? [], readScope(resource))) {
          throw new ForbiddenError(readScope(resource));
        }
      },
      schema: {
        operationId: 'exportResource',
        summary: 'Export all customers, orders or payments',
        description:
          'Every record, streamed in id order page by page as the client reads (payments newest first), with bounded memory on the server. ' +
          'Records have the fields their GET answers. NDJSON (`application/x-ndjson`) by default; CSV with `format=csv` or `Accept: text/csv` ' +
          '(a header row, then one row per record; lists and objects as JSON in their cell, booleans as true/false). ' +
          'Soft-deleted customers are left out unless `includeDeleted=true`. Needs `<resource>:read`.',
        tags: ['exports'],
        params: ExportParams,
        querystring: ExportQuery,
        'x-required-scopes': ['{resource}:read'],
        response: {
          200: {
            description: 'The records, streamed.',
            content: {
              'application/x-ndjson': { schema: Type.String({ description: 'One JSON record per line.' }) },
              'text/csv': { schema: Type.String({ description: 'Header row, then one row per record.' }) },
            },
          },
          ...errorResponses(),
        },
      },
    },
    async (request, reply) => {
      const { resource } = request.params;
      const format = request.query.format ?? (wantsCsv(request) ? 'csv' : 'ndjson');
      const stream = exports.stream(resource, format, {
        includeDeleted: request.query.includeDeleted ?? false,
      });
      // The response schema documents the two text forms; the body itself is a stream.
      const untyped: FastifyReply = reply;
      return untyped
        .type(format === 'csv' ? CSV_CONTENT_TYPE : NDJSON_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="${resource}.${format}"`)
        .send(stream);
    },
  );
};

export default exportRoutes;
