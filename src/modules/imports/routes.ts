import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ForbiddenError, HttpError } from '../../http/http-errors';
import { hasScope, type Scope } from '../../plugins/scopes';
import { errorResponses, IdParams, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import {
  CSV_MEDIA_TYPE,
  IMPORT_RESOURCES,
  ImportJob,
  ImportJobPage,
  ImportJobSummary,
  ImportListQuery,
  ImportQuery,
  NDJSON_MEDIA_TYPES,
  type ImportResource,
} from './schemas';
import type { ImportService } from './service';

export interface ImportRoutesOptions {
  imports: ImportService;
}

const tags = ['imports'];

const isResource = (value: unknown): value is ImportResource =>
  typeof value === 'string' && (IMPORT_RESOURCES as readonly string[]).includes(value);

const writeScope = (resource: ImportResource): Scope => `${resource}:write`;
const readScope = (resource: ImportResource): Scope => `${resource}:read`;

/** A job is visible to keys that may read or write its resource. */
const canSee = (request: FastifyRequest, resource: ImportResource) =>
  hasScope(request.principal?.scopes ?? [], readScope(resource)) ||
  hasScope(request.principal?.scopes ?? [], writeScope(resource));

const FileBody = (description: string) => ({ schema: Type.Unknown({ description }) });

/** Takes the upload as the file arrives; the remainder of one that stopped early is read and dropped. */
function drain(body: Readable): void {
  if (body.readableEnded || body.destroyed) return;
  body.unpipe();
  body.resume();
}

const importRoutes: FastifyPluginAsyncTypebox<ImportRoutesOptions> = async (app, { imports }) => {
  app.addSchema(ImportJob);
  app.addSchema(ImportJobSummary);

  // Only this plugin's routes take NDJSON and CSV, and they take the raw stream: nothing is
  // buffered and BODY_LIMIT_BYTES does not apply. JSON routes keep their parser and limit.
  const uploads = new WeakMap<FastifyRequest, Readable>();
  app.addContentTypeParser(
    [...NDJSON_MEDIA_TYPES, CSV_MEDIA_TYPE],
    async (request: FastifyRequest, payload: IncomingMessage) => {
      uploads.set(request, payload);
      return undefined;
    },
  );

  app.post(
    '/imports',
    {
      // The scope depends on the resource in the query: checked before the body is read.
      preValidation: async (request) => {
        const { resource } = request.query as Record<string, unknown>;
        if (isResource(resource) && !hasScope(request.principal?.scopes ?? [], writeScope(resource))) {
          throw new ForbiddenError(writeScope(resource));
        }
      },
      schema: {
        operationId: 'createImport',
        summary: 'Import a file of customers, orders or payments',
        description:
          'Stream NDJSON (`application/x-ndjson`, one JSON object per line) or CSV (`text/csv`, a header row naming the fields) of batch items, ' +
          'the same fields as `POST /v1/<resource>/batch`. The body is read as it arrives, never buffered whole, and is not bound by the JSON body limit; ' +
          'the whole upload must arrive within the request timeout. Rows are validated one by one and upserted by `externalId` in transactions of `batchSize` rows; ' +
          "each commits together with the job's progress, so `lastCommittedLine` always marks what is written. " +
          'In `partial` mode a bad row (bad JSON, a schema error, an unknown customer, ...) is reported with its line and reason and the rest are written; ' +
          'in `atomic` mode any bad row fails the job and nothing is written. Progress shows meanwhile at `GET /v1/imports/{id}`. ' +
          'The answer is the finished job: 201, or 200 for a resumed one. If the upload breaks off, the job is `interrupted`: ' +
          'send the same file again with `jobId` to skip the committed lines, or without it (upserts by `externalId` answer `unchanged`). ' +
          'In CSV an empty cell leaves the field out, and lists or objects (order `lines`, `tags`) go in a cell as JSON. ' +
          'With `Idempotency-Key` the key covers the query only, as the file is never held.',
        tags,
        querystring: ImportQuery,
        body: {
          content: {
            'application/x-ndjson': FileBody('One batch item (a JSON object) per line.'),
            'text/csv': FileBody('A header row naming item fields, then one row per item.'),
          },
        },
        'x-required-scopes': ['{resource}:write'],
        response: {
          200: success(Type.Ref('ImportJob'), 'The resumed job (`jobId`), finished; Location is its path.', {
            headers: ['location'],
          }),
          201: success(Type.Ref('ImportJob'), 'The new job, finished; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses('import_not_found', 'import_in_progress', 'import_mismatch'),
        },
      },
    },
    async (request, reply) => {
      const body = uploads.get(request);
      if (!body) {
        throw new HttpError(415, 'unsupported_media_type.import', {});
      }
      const { query } = request;
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      try {
        const { job, resumed } = await imports.run(
          {
            resource: query.resource,
            format: query.format ?? (mediaType === CSV_MEDIA_TYPE ? 'csv' : 'ndjson'),
            mode: query.mode ?? 'partial',
            batchSize: query.batchSize,
            jobId: query.jobId,
          },
          body,
          actorOf(request),
        );
        reply.header('location', `/v1/imports/${job.id}`);
        return reply.code(resumed ? 200 : 201).send(job);
      } finally {
        drain(body);
      }
    },
  );

  app.get(
    '/imports',
    {
      schema: {
        operationId: 'listImports',
        summary: 'List import jobs',
        description:
          'Newest first, without their rejections; only jobs of resources the key may read or write.',
        tags,
        querystring: ImportListQuery,
        'x-required-scopes': [],
        response: {
          200: success(ImportJobPage, 'A page of import jobs the key may see, newest first.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => {
      const visible = IMPORT_RESOURCES.filter((resource) => canSee(request, resource));
      return imports.list(request.query, visible);
    },
  );

  app.get(
    '/imports/:id',
    {
      schema: {
        operationId: 'getImport',
        summary: 'Read an import job and its progress',
        description:
          'Lines read, rows written (created, updated, unchanged) and rejected, with the line and reason of each rejected row (the first 1,000). ' +
          'Needs the read or write scope of the job’s resource.',
        tags,
        params: IdParams,
        'x-required-scopes': ['{resource}:read'],
        response: {
          200: success(Type.Ref('ImportJob'), 'The job with its progress and the first 1,000 rejected rows.'),
          ...errorResponses('import_not_found'),
        },
      },
    },
    async (request) => {
      const job = await imports.get(request.params.id);
      if (!canSee(request, job.resource)) throw new ForbiddenError(readScope(job.resource));
      return job;
    },
  );
};

export default importRoutes;
