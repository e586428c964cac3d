import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { errorResponses, IdParams, IfMatchHeaders, NotModified, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import {
  FollowUp,
  FollowUpComplete,
  FollowUpCompletion,
  FollowUpCreate,
  FollowUpListQuery,
  FollowUpPage,
  FollowUpPatch,
  FollowUpReport,
  FollowUpReportQuery,
} from './schemas';
import type { FollowUpService } from './service';

export interface FollowUpRoutesOptions {
  followUps: FollowUpService;
}

const tags = ['follow-ups'];
const FollowUpRef = Type.Ref('FollowUp');

const followUpRoutes: FastifyPluginAsyncTypebox<FollowUpRoutesOptions> = async (app, { followUps }) => {
  app.addSchema(FollowUp);

  app.post(
    '/follow-ups',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'createFollowUp',
        summary: 'Plan a follow-up visit',
        description:
          'For a live customer (422 `customer_not_found`); a `contactId` must be one of its contact persons (422 `contact_not_of_customer`).',
        tags,
        body: FollowUpCreate,
        response: {
          201: success(FollowUpRef, 'The planned follow-up, with its ETag; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses('422:customer_not_found', 'contact_not_of_customer'),
        },
      },
    },
    async (request, reply) => {
      const followUp = await followUps.create(request.body, actorOf(request));
      setEtag(reply, followUp.version);
      reply.header('location', `/v1/follow-ups/${followUp.id}`);
      return reply.code(201).send(followUp);
    },
  );

  app.get(
    '/follow-ups',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'listFollowUps',
        summary: 'List follow-ups',
        description:
          '`?owner=&overdue=true` lists what an owner is past due on: open follow-ups whose `plannedAt` has passed. `from`/`to` (days, inclusive, UTC) filter on `plannedAt`. Sorted by `plannedAt` (default) or `-valueAtStake`.',
        tags,
        querystring: FollowUpListQuery,
        response: {
          200: success(FollowUpPage, 'A page of follow-ups.'),
          ...errorResponses('invalid_cursor', 'invalid_range'),
        },
      },
    },
    async (request) => followUps.list(request.query),
  );

  app.get(
    '/follow-ups/:id',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'getFollowUp',
        summary: 'Read a follow-up',
        tags,
        params: IdParams,
        response: {
          200: success(FollowUpRef, 'The follow-up, with its ETag.'),
          304: NotModified,
          ...errorResponses('follow_up_not_found'),
        },
      },
    },
    async (request, reply) => {
      const followUp = await followUps.get(request.params.id);
      setEtag(reply, followUp.version);
      if (notModified(request, followUp.version)) return sendNotModified(reply, followUp.version);
      return followUp;
    },
  );

  app.patch(
    '/follow-ups/:id',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'updateFollowUp',
        summary: 'Re-plan a follow-up',
        description: 'Changes the owner, time, contact person or purpose; the customer stays.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: FollowUpPatch,
        response: {
          200: success(FollowUpRef, 'The follow-up as changed, with its new ETag.'),
          ...errorResponses('follow_up_not_found', 'contact_not_of_customer'),
        },
      },
    },
    async (request, reply) => {
      const followUp = await followUps.patch(
        request.params.id,
        request.body,
        (v) => expectedVersion(request, v),
        actorOf(request),
      );
      setEtag(reply, followUp.version);
      return followUp;
    },
  );

  app.delete(
    '/follow-ups/:id',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'deleteFollowUp',
        summary: 'Delete a follow-up',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'Deleted; no body.' }),
          ...errorResponses('follow_up_not_found'),
        },
      },
    },
    async (request, reply) => {
      await followUps.remove(request.params.id, (v) => expectedVersion(request, v), actorOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/follow-ups/:id/complete',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'completeFollowUp',
        summary: 'Complete a follow-up, optionally planning the next',
        description:
          "Records `content`, `outcome` and `completedAt` (default now; more than `FUTURE_DATE_TOLERANCE_DAYS` ahead is 422 `date_in_future`). A follow-up completes once: again is 409 `follow_up_completed`. `next` plans the following visit (owner and contact default to this one's), answered beside it.",
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: FollowUpComplete,
        response: {
          200: success(
            FollowUpCompletion,
            'The completed follow-up (its ETag) and the next one, if planned.',
          ),
          ...errorResponses(
            'follow_up_not_found',
            'follow_up_completed',
            'date_in_future',
            'contact_not_of_customer',
          ),
        },
      },
    },
    async (request, reply) => {
      const result = await followUps.complete(
        request.params.id,
        request.body,
        (v) => expectedVersion(request, v),
        actorOf(request),
      );
      setEtag(reply, result.followUp.version);
      return result;
    },
  );

  app.get(
    '/analytics/follow-ups',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'followUpReport',
        summary: 'Follow-up completion and on-time rates per owner',
        description:
          'Over the follow-ups planned from `from` to `to` (days, inclusive, UTC; either may be left open): `planned`, `done`, `doneOnTime` (completed no later than `plannedAt` plus `FOLLOW_UP_GRACE_MINUTES`, default one day), `overdue` (open with `plannedAt` passed, by the server clock), `completionRate` = done / planned and `onTimeRate` = doneOnTime / done as fractions (null when the denominator is 0).',
        tags,
        querystring: FollowUpReportQuery,
        response: {
          200: success(FollowUpReport, 'The figures per owner, sorted by owner, and in total.'),
          ...errorResponses('invalid_range'),
        },
      },
    },
    async (request) => followUps.report(request.query),
  );
};

export default followUpRoutes;
