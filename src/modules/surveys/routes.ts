import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { errorResponses, IdParams, IfMatchHeaders, NotModified, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import {
  BatchResult,
  SatisfactionQuery,
  SatisfactionReport,
  SurveyResponse,
  SurveyResponseBatch,
  SurveyResponseCreate,
  SurveyResponseListQuery,
  SurveyResponsePage,
  SurveyResponsePatch,
} from './schemas';
import type { SurveyResponseService } from './service';

export interface SurveyRoutesOptions {
  surveys: SurveyResponseService;
}

const tags = ['satisfaction'];
const Ref = Type.Ref('SurveyResponse');
const WRITE_ERRORS = [
  'customer_not_found',
  '422:order_not_found',
  '422:service_record_not_found',
  '422:complaint_not_found',
  '422:interaction_not_found',
  'customer_mismatch',
  'date_in_future',
  'invalid_rows',
] as const;

const surveyRoutes: FastifyPluginAsyncTypebox<SurveyRoutesOptions> = async (app, { surveys }) => {
  app.addSchema(SurveyResponse);

  app.post(
    '/survey-responses',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'createSurveyResponse',
        summary: 'Record a survey answer (CSAT or NPS)',
        description:
          "CSAT scores 1-5, NPS 0-10; a score off its scale (an NPS of 11) is 400 `validation_failed`. The answer names its customer and exactly one order, service record, complaint or interaction; a link to a record that does not exist is 422 `order_not_found`, `service_record_not_found`, `complaint_not_found` or `interaction_not_found`, to another customer's record 422 `customer_mismatch`. `respondedAt` defaults to now.",
        tags,
        body: SurveyResponseCreate,
        response: {
          201: success(Ref, 'The answer as stored, with its ETag; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses(...WRITE_ERRORS, 'conflict'),
        },
      },
    },
    async (request, reply) => {
      const view = await surveys.create(request.body, actorOf(request));
      setEtag(reply, view.version);
      reply.header('location', `/v1/survey-responses/${view.id}`);
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/survey-responses',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'listSurveyResponses',
        summary: 'List survey answers, newest first',
        tags,
        querystring: SurveyResponseListQuery,
        response: {
          200: success(SurveyResponsePage, 'A page of answers matching the filters.'),
          ...errorResponses('invalid_cursor', 'invalid_range'),
        },
      },
    },
    async (request) => surveys.list(request.query),
  );

  app.get(
    '/survey-responses/:id',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'getSurveyResponse',
        summary: 'Read a survey answer',
        tags,
        params: IdParams,
        response: {
          200: success(Ref, 'The answer, with its ETag.'),
          304: NotModified,
          ...errorResponses('survey_response_not_found'),
        },
      },
    },
    async (request, reply) => {
      const view = await surveys.get(request.params.id);
      setEtag(reply, view.version);
      if (notModified(request, view.version)) return sendNotModified(reply, view.version);
      return view;
    },
  );

  app.patch(
    '/survey-responses/:id',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'updateSurveyResponse',
        summary: 'Correct a survey answer',
        description: 'Naming a link replaces the stored one; the answer keeps exactly one and its customer.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: SurveyResponsePatch,
        response: {
          200: success(Ref, 'The answer as changed, with its new ETag.'),
          ...errorResponses(
            'survey_response_not_found',
            '422:order_not_found',
            '422:service_record_not_found',
            '422:complaint_not_found',
            '422:interaction_not_found',
            'customer_mismatch',
            'date_in_future',
            'invalid_rows',
          ),
        },
      },
    },
    async (request, reply) => {
      const view = await surveys.patch(
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
    '/survey-responses/:id',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'deleteSurveyResponse',
        summary: 'Delete a survey answer',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'Deleted; no body.' }),
          ...errorResponses('survey_response_not_found'),
        },
      },
    },
    async (request, reply) => {
      await surveys.delete(request.params.id, (v) => expectedVersion(request, v), actorOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/survey-responses/batch',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'batchUpsertSurveyResponses',
        summary: 'Upsert up to 1,000 survey answers by externalId',
        description:
          'All rows in one transaction; each is `created`, `updated` or `unchanged`. A row names its kind, score, customer and link in full; an omitted `comment` or `respondedAt` keeps the stored one. Any bad row: nothing is written and the problem names each row by `index`.',
        tags,
        body: SurveyResponseBatch,
        response: {
          200: success(BatchResult, 'What happened to each row, in input order.'),
          ...errorResponses(...WRITE_ERRORS, 'duplicate_in_batch', 'precondition_failed'),
        },
      },
    },
    async (request) => ({ results: await surveys.batchUpsert(request.body.items, actorOf(request)) }),
  );

  app.get(
    '/analytics/satisfaction',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'getSatisfactionReport',
        summary: 'Average CSAT and NPS, in total and per month, product or owner',
        description:
          "Over the answers given from `from` to `to` (UTC days, inclusive). CSAT is the mean score; NPS is the percentage of promoters (9-10) minus that of detractors (0-6). By product, an answer counts once for each distinct product on its order's lines; answers without one are the group with key null.",
        tags: ['analytics', ...tags],
        querystring: SatisfactionQuery,
        response: {
          200: success(SatisfactionReport, 'The figures in total and per group.'),
          ...errorResponses('invalid_range'),
        },
      },
    },
    async (request) => surveys.satisfaction(request.query),
  );
};

export default surveyRoutes;
