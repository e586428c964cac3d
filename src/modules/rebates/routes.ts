import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { errorResponses, IdParams, IfMatchHeaders, NotModified, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import {
  Accruals,
  PeriodQuery,
  RebateProgram,
  RebateProgramCreate,
  RebateProgramListQuery,
  RebateProgramPage,
  RebateProgramPatch,
  Settlement,
  SettlementCreate,
  SettlementListQuery,
  SettlementPage,
} from './schemas';
import type { RebateService } from './service';

export interface RebateRoutesOptions {
  rebates: RebateService;
}

const tags = ['marketing'];
const Ref = Type.Ref('RebateProgram');
const SettlementRef = Type.Ref('RebateSettlement');
const RULES =
  'Tiers: each `from` inclusive and strictly above the one before (422 `tiers_not_increasing`), no rate below the one before (422 `tier_rates_decreasing`). Every channel customer must be a live customer of category channel (422 `channel_not_found`); `currency` is the reporting currency (422 `currency_mismatch`). Rules: docs/rebates.md.';
const WRITE_ERRORS = [
  'tiers_not_increasing',
  'tier_rates_decreasing',
  'channel_not_found',
  'currency_mismatch',
  'invalid_rows',
] as const;

const rebateRoutes: FastifyPluginAsyncTypebox<RebateRoutesOptions> = async (app, { rebates }) => {
  app.addSchema(RebateProgram);
  app.addSchema(Settlement);

  app.post(
    '/rebate-programs',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'createRebateProgram',
        summary: 'Create a channel rebate programme',
        description: `Tiers of net purchases per period, whole or marginal, for the channel customers named. ${RULES}`,
        tags,
        body: RebateProgramCreate,
        response: {
          201: success(Ref, 'The programme, with its ETag; Location is its path.', { headers: ['location'] }),
          ...errorResponses(...WRITE_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const view = await rebates.create(request.body, actorOf(request));
      setEtag(reply, view.version);
      reply.header('location', `/v1/rebate-programs/${view.id}`);
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/rebate-programs',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'listRebatePrograms',
        summary: 'List rebate programmes',
        tags,
        querystring: RebateProgramListQuery,
        response: {
          200: success(RebateProgramPage, 'A page of programmes, oldest first.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => rebates.list(request.query),
  );

  app.get(
    '/rebate-programs/:id',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'getRebateProgram',
        summary: 'Read a rebate programme',
        tags,
        params: IdParams,
        response: {
          200: success(Ref, 'The programme, with its ETag.'),
          304: NotModified,
          ...errorResponses('rebate_program_not_found'),
        },
      },
    },
    async (request, reply) => {
      const view = await rebates.get(request.params.id);
      setEtag(reply, view.version);
      if (notModified(request, view.version)) return sendNotModified(reply, view.version);
      return view;
    },
  );

  app.patch(
    '/rebate-programs/:id',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'updateRebateProgram',
        summary: 'Update a rebate programme',
        description: `Changes the fields named; settlements made already keep the tiers they were made with. ${RULES}`,
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: RebateProgramPatch,
        response: {
          200: success(Ref, 'The programme as changed, with its new ETag.'),
          ...errorResponses('rebate_program_not_found', ...WRITE_ERRORS),
        },
      },
    },
    async (request, reply) => {
      const view = await rebates.patch(
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
    '/rebate-programs/:id',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'deleteRebateProgram',
        summary: 'Delete a rebate programme',
        description:
          'Soft: the programme and its settlements (and their credits) stay; POST .../restore brings it back.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'Deleted; no body.' }),
          ...errorResponses('rebate_program_not_found'),
        },
      },
    },
    async (request, reply) => {
      await rebates.delete(request.params.id, (v) => expectedVersion(request, v), actorOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/rebate-programs/:id/restore',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'restoreRebateProgram',
        summary: 'Restore a deleted rebate programme',
        description: 'A programme that is not deleted is answered unchanged.',
        tags,
        params: IdParams,
        response: {
          200: success(Ref, 'The programme, live again, with its ETag.'),
          ...errorResponses('rebate_program_not_found'),
        },
      },
    },
    async (request, reply) => {
      const view = await rebates.restore(request.params.id, actorOf(request));
      setEtag(reply, view.version);
      return view;
    },
  );

  app.get(
    '/rebate-programs/:id/accruals',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'getRebateAccruals',
        summary: "Each covered channel's net purchases, tier and rebate in a period",
        description:
          "Net purchases: the period's orders (UTC, by orderedAt) in the reporting currency, cancelled and returned ones counting nothing, plus indirect customers' orders when creditIndirect, less cross-region ones when excludeCrossRegion. The rebate is rounded half up to the cent, once per channel, from the exact product. A period of the other kind is 422 `period_kind_mismatch`.",
        tags,
        params: IdParams,
        querystring: PeriodQuery,
        response: {
          200: success(Accruals, 'The accruals of the period, one row per covered channel customer.'),
          ...errorResponses('rebate_program_not_found', 'period_kind_mismatch'),
        },
      },
    },
    async (request) => rebates.accruals(request.params.id, request.query.period),
  );

  app.post(
    '/rebate-programs/:id/settlements',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'settleRebatePeriod',
        summary: "Settle a closed period: each channel's rebate becomes a credit on its receivables",
        description:
          "Only a closed period (its last day before today; else 422 `period_not_closed`). Each channel's rebate is credited to its receivables on the settlement day, lowering its outstanding balance (GET /v1/customers/{id}/receivables), and `rebate_program.settled` is written with it. Settling a period again changes nothing and answers the settlement made (200 instead of 201).",
        tags,
        params: IdParams,
        body: SettlementCreate,
        response: {
          200: success(SettlementRef, 'The period was settled before: that settlement, unchanged.'),
          201: success(SettlementRef, 'The settlement made.', { headers: ['location'] }),
          ...errorResponses('rebate_program_not_found', 'period_kind_mismatch', 'period_not_closed'),
        },
      },
    },
    async (request, reply) => {
      const { settlement, created } = await rebates.settle(
        request.params.id,
        request.body.period,
        actorOf(request),
      );
      if (!created) return reply.code(200).send(settlement);
      reply.header('location', `/v1/rebate-programs/${settlement.programId}/settlements`);
      return reply.code(201).send(settlement);
    },
  );

  app.get(
    '/rebate-programs/:id/settlements',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'listRebateSettlements',
        summary: "A programme's settlements",
        tags,
        params: IdParams,
        querystring: SettlementListQuery,
        response: {
          200: success(SettlementPage, 'A page of settlements, oldest first.'),
          ...errorResponses('rebate_program_not_found', 'invalid_cursor'),
        },
      },
    },
    async (request) => rebates.settlements(request.params.id, request.query),
  );
};

export default rebateRoutes;
