import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { errorResponses, IdParams, IfMatchHeaders, NotModified, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import { sendCsvPage, wantsCsv } from '../orders/csv';
import {
  Changes,
  ChangesQuery,
  MEMBER_CSV_COLUMNS,
  MemberCount,
  MemberPage,
  MemberParams,
  MembersAdd,
  MembersAddResult,
  PageQuery,
  RefreshResult,
  Segment,
  SegmentCreate,
  SegmentListQuery,
  SegmentPage,
  SegmentPatch,
} from './schemas';
import type { SegmentService } from './service';

export interface SegmentRoutesOptions {
  segments: SegmentService;
}

const tags = ['marketing'];
const Ref = Type.Ref('Segment');
const FILTER_ERRORS = ['unknown_segment_filter', 'invalid_segment_filter'] as const;

const segmentRoutes: FastifyPluginAsyncTypebox<SegmentRoutesOptions> = async (app, { segments }) => {
  app.addSchema(Segment);

  app.post(
    '/segments',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'createSegment',
        summary: 'Create a segment',
        description:
          'A dynamic segment needs `filter` (the parameters of `GET /v1/customers`) and is materialised at once; a static one has none and starts empty. See docs/segments.md.',
        tags,
        body: SegmentCreate,
        response: {
          201: success(Ref, 'The segment, with its ETag; Location is its path.', { headers: ['location'] }),
          ...errorResponses(...FILTER_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const view = await segments.create(request.body, actorOf(request));
      setEtag(reply, view.version);
      reply.header('location', `/v1/segments/${view.id}`);
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/segments',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'listSegments',
        summary: 'List segments',
        tags,
        querystring: SegmentListQuery,
        response: {
          200: success(SegmentPage, 'A page of segments, oldest first.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => segments.list(request.query),
  );

  app.get(
    '/segments/:id',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'getSegment',
        summary: 'Read a segment',
        tags,
        params: IdParams,
        response: {
          200: success(Ref, 'The segment, with its ETag.'),
          304: NotModified,
          ...errorResponses('segment_not_found'),
        },
      },
    },
    async (request, reply) => {
      const view = await segments.get(request.params.id);
      setEtag(reply, view.version);
      if (notModified(request, view.version)) return sendNotModified(reply, view.version);
      return view;
    },
  );

  app.patch(
    '/segments/:id',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'updateSegment',
        summary: 'Rename a segment or change its filter',
        description:
          'A new filter re-materialises a dynamic segment at once; a static segment takes no filter.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: SegmentPatch,
        response: {
          200: success(Ref, 'The segment as changed, with its new ETag.'),
          ...errorResponses('segment_not_found', ...FILTER_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const view = await segments.patch(
        request.params.id,
        request.body,
        (v) => expectedVersion(request, v),
        actorOf(request),
      );
      setEtag(reply, view.version);
      return view;
    },
  );

  app.delete(
    '/segments/:id',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'deleteSegment',
        summary: 'Delete a segment',
        description:
          'Soft: runs no longer refresh it and its reads answer 404; `POST .../restore` brings it back.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'Deleted; no body.' }),
          ...errorResponses('segment_not_found'),
        },
      },
    },
    async (request, reply) => {
      await segments.delete(request.params.id, (v) => expectedVersion(request, v), actorOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/segments/:id/restore',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'restoreSegment',
        summary: 'Restore a deleted segment',
        description: 'A dynamic segment is re-materialised on the way back.',
        tags,
        params: IdParams,
        response: {
          200: success(Ref, 'The segment, live again.'),
          ...errorResponses('segment_not_found'),
        },
      },
    },
    async (request, reply) => {
      const view = await segments.restore(request.params.id, actorOf(request));
      setEtag(reply, view.version);
      return view;
    },
  );

  app.post(
    '/segments/:id/members',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'addSegmentMembers',
        summary: 'Add up to 1,000 customers to a static segment',
        description:
          'All or nothing: an unknown or deleted customer is a row error (422 `customer_not_found`, `index` its position) and nothing is added. One already in is `unchanged`. A dynamic segment answers 409 `segment_not_static`. Each customer added is a `segment.member_added` event.',
        tags,
        params: IdParams,
        body: MembersAdd,
        response: {
          200: success(MembersAddResult, 'What happened to each id, in input order, and the count after.'),
          ...errorResponses('segment_not_found', '422:customer_not_found', 'segment_not_static'),
        },
      },
    },
    async (request) => segments.addMembers(request.params.id, request.body.customerIds, actorOf(request)),
  );

  app.delete(
    '/segments/:id/members/:customerId',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'removeSegmentMember',
        summary: 'Remove a customer from a static segment',
        description:
          'A `segment.member_removed` event. 404 `segment_member_not_found` when the customer is not in.',
        tags,
        params: MemberParams,
        response: {
          204: Type.Null({ description: 'Removed; no body.' }),
          ...errorResponses('segment_not_found', 'segment_member_not_found', 'segment_not_static'),
        },
      },
    },
    async (request, reply) => {
      await segments.removeMember(request.params.id, request.params.customerId, actorOf(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/segments/:id/members',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'listSegmentMembers',
        summary: 'List the members of a segment (JSON or CSV)',
        description:
          'Live members in customer id order: `{ customerId, externalId, name, addedAt }`. With `Accept: text/csv` the page comes as CSV with those columns and the next page in a `Link: <...>; rel="next"` header.',
        tags,
        params: IdParams,
        querystring: PageQuery,
        response: {
          200: {
            description: 'A page of members (JSON), or the same page as CSV.',
            content: {
              'application/json': { schema: MemberPage },
              'text/csv': {
                schema: Type.String({
                  description: 'Header row, then one row per member.',
                  example:
                    'customerId,externalId,name,addedAt\r\n0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f,ERP-C-20931,上海明德茶业有限公司,2026-11-23T08:00:00.000Z\r\n',
                }),
              },
            },
          },
          ...errorResponses('segment_not_found', 'invalid_cursor'),
        },
      },
    },
    async (request, reply) => {
      const page = await segments.members(request.params.id, request.query);
      return wantsCsv(request) ? sendCsvPage(request, reply, page, MEMBER_CSV_COLUMNS) : page;
    },
  );

  app.get(
    '/segments/:id/members/count',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'countSegmentMembers',
        summary: 'Count the members of a segment',
        tags,
        params: IdParams,
        response: {
          200: success(
            MemberCount,
            'The number of live members, and when the membership last changed hands.',
          ),
          ...errorResponses('segment_not_found'),
        },
      },
    },
    async (request) => segments.count(request.params.id),
  );

  app.post(
    '/segments/:id/refresh',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'refreshSegment',
        summary: 'Re-materialise a dynamic segment now',
        description:
          'From the current run\u2019s values and the customers as they are; each customer entering or leaving is an event (runId null). A static segment answers 409 `segment_not_dynamic`.',
        tags,
        params: IdParams,
        response: {
          200: success(RefreshResult, 'The count after, and how many entered and left.'),
          ...errorResponses('segment_not_found', 'segment_not_dynamic'),
        },
      },
    },
    async (request) => segments.refresh(request.params.id, actorOf(request)),
  );

  app.get(
    '/segments/:id/changes',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'getSegmentChanges',
        summary: 'Who entered and who left a segment at an analytics run',
        description:
          'The run\u2019s materialisation of the segment: `entered` then `left` customer ids, `limit` ids per page in all (entered first, each list by id), `nextCursor` for the rest. Without `runId` the current run. A run that did not change the segment (or ran before it existed) answers empty lists; an unknown run 404 `analytics_run_not_found`.',
        tags,
        params: IdParams,
        querystring: ChangesQuery,
        response: {
          200: success(Changes, 'The page of changes.'),
          ...errorResponses(
            'segment_not_found',
            'analytics_run_not_found',
            'no_analytics_run',
            'invalid_cursor',
          ),
        },
      },
    },
    async (request) => segments.changes(request.params.id, request.query),
  );
};

export default segmentRoutes;
