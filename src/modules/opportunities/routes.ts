import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { errorResponses, IdParams, IfMatchHeaders, NotModified, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import {
  BatchResult,
  Opportunity,
  OpportunityBatch,
  OpportunityCreate,
  OpportunityListQuery,
  OpportunityPage,
  OpportunityPatch,
  OpportunityTransition,
  PipelineQuery,
  PipelineReport,
} from './schemas';
import type { OpportunityService } from './service';

export interface OpportunityRoutesOptions {
  opportunities: OpportunityService;
}

const tags = ['opportunities'];
const Ref = Type.Ref('Opportunity');
const STAGE_RULES =
  "A stage move emits `opportunity.stage_changed` and, unless `probability` is given, takes the stage's probability. `won` needs `orderId`, an order of the same customer (422 `order_not_found`, `customer_mismatch`); `lost` needs `lostReason` (422 `lost_reason_required`) and tags the customer `not-converted:<reason>`. A won or lost opportunity does not move again (409 `opportunity_closed`); an unknown stage is 400.";
const STAGE_ERRORS = [
  '422:order_not_found',
  'customer_mismatch',
  'lost_reason_required',
  'invalid_rows',
] as const;

const opportunityRoutes: FastifyPluginAsyncTypebox<OpportunityRoutesOptions> = async (
  app,
  { opportunities },
) => {
  app.addSchema(Opportunity);

  app.post(
    '/opportunities',
    {
      config: { scope: 'sales:write' },
      schema: {
        operationId: 'createOpportunity',
        summary: 'Open an opportunity',
        description: `\`stage\` defaults to the pipeline's first. ${STAGE_RULES}`,
        tags,
        body: OpportunityCreate,
        response: {
          201: success(Ref, 'The opportunity, with its ETag; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses('customer_not_found', ...STAGE_ERRORS, 'conflict'),
        },
      },
    },
    async (request, reply) => {
      const view = await opportunities.create(request.body, actorOf(request));
      setEtag(reply, view.version);
      reply.header('location', `/v1/opportunities/${view.id}`);
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/opportunities',
    {
      config: { scope: 'sales:read' },
      schema: {
        operationId: 'listOpportunities',
        summary: 'List opportunities',
        tags,
        querystring: OpportunityListQuery,
        response: {
          200: success(OpportunityPage, 'A page of opportunities matching the filters, oldest first.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => opportunities.list(request.query),
  );

  app.get(
    '/opportunities/:id',
    {
      config: { scope: 'sales:read' },
      schema: {
        operationId: 'getOpportunity',
        summary: 'Read an opportunity',
        tags,
        params: IdParams,
        response: {
          200: success(Ref, 'The opportunity, with its ETag.'),
          304: NotModified,
          ...errorResponses('opportunity_not_found'),
        },
      },
    },
    async (request, reply) => {
      const view = await opportunities.get(request.params.id);
      setEtag(reply, view.version);
      if (notModified(request, view.version)) return sendNotModified(reply, view.version);
      return view;
    },
  );

  app.patch(
    '/opportunities/:id',
    {
      config: { scope: 'sales:write' },
      schema: {
        operationId: 'updateOpportunity',
        summary: 'Update an opportunity, its stage included',
        description: STAGE_RULES,
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: OpportunityPatch,
        response: {
          200: success(Ref, 'The opportunity as changed, with its new ETag.'),
          ...errorResponses('opportunity_not_found', 'opportunity_closed', ...STAGE_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const view = await opportunities.patch(
        request.params.id,
        request.body,
        (v) => expectedVersion(request, v),
        actorOf(request),
      );
      setEtag(reply, view.version);
      return view;
    },
  );

  app.post(
    '/opportunities/:id/transitions',
    {
      config: { scope: 'sales:write' },
      schema: {
        operationId: 'transitionOpportunity',
        summary: 'Move an opportunity to another stage',
        description: `The same rules as a PATCH of \`stage\`; \`note\` is appended to the notes. ${STAGE_RULES}`,
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: OpportunityTransition,
        response: {
          200: success(Ref, 'The opportunity in its new stage, with its new ETag.'),
          ...errorResponses('opportunity_not_found', 'opportunity_closed', ...STAGE_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const view = await opportunities.transition(
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
    '/opportunities/:id',
    {
      config: { scope: 'sales:write' },
      schema: {
        operationId: 'deleteOpportunity',
        summary: 'Delete an opportunity',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'Deleted; no body.' }),
          ...errorResponses('opportunity_not_found'),
        },
      },
    },
    async (request, reply) => {
      await opportunities.delete(request.params.id, (v) => expectedVersion(request, v), actorOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/opportunities/batch',
    {
      config: { scope: 'sales:write' },
      schema: {
        operationId: 'batchUpsertOpportunities',
        summary: 'Upsert up to 1,000 opportunities by externalId',
        description: `All rows in one transaction; each is \`created\`, \`updated\` or \`unchanged\`, and a row changes the fields it names. ${STAGE_RULES} Any bad row: nothing is written and the problem names each row by \`index\`.`,
        tags,
        body: OpportunityBatch,
        response: {
          200: success(BatchResult, 'What happened to each row, in input order.'),
          ...errorResponses(
            'customer_not_found',
            ...STAGE_ERRORS,
            'duplicate_in_batch',
            'precondition_failed',
          ),
        },
      },
    },
    async (request) => ({ results: await opportunities.batchUpsert(request.body.items, actorOf(request)) }),
  );

  app.get(
    '/analytics/pipeline',
    {
      config: { scope: 'sales:read' },
      schema: {
        operationId: 'getPipelineReport',
        summary: 'Pipeline totals and weighted totals by stage and owner',
        description:
          'Counts, amounts and weighted amounts (amount x probability) per currency: in total, per stage (pipeline order) and per owner; `from`/`to` filter on the expected close date.',
        tags: ['analytics', ...tags],
        querystring: PipelineQuery,
        response: {
          200: success(PipelineReport, 'The pipeline figures.'),
          ...errorResponses('invalid_range'),
        },
      },
    },
    async (request) => opportunities.report(request.query),
  );
};

export default opportunityRoutes;
