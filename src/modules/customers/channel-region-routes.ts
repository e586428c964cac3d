import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, IdParams, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import type { ChannelRegionService } from './channel-regions';

const AssignedRegions = Type.Object(
  {
    regions: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200, uniqueItems: true }),
  },
  { additionalProperties: false, example: { regions: ['north', 'east'] } },
);

export interface ChannelRegionRoutesOptions {
  regions: ChannelRegionService;
}

const channelRegionRoutes: FastifyPluginAsyncTypebox<ChannelRegionRoutesOptions> = async (
  app,
  { regions },
) => {
  app.get(
    '/customers/:id/assigned-regions',
    {
      config: { scope: 'customers:read' },
      schema: {
        operationId: 'getAssignedRegions',
        summary: "A channel customer's assigned regions",
        description: 'Empty means the channel sells in its own `region`.',
        tags: ['customers'],
        params: IdParams,
        response: {
          200: success(AssignedRegions, "The channel's assigned regions (empty: its own region)."),
          ...errorResponses('customer_not_found'),
        },
      },
    },
    async (request) => ({ regions: await regions.assignedRegions(request.params.id) }),
  );

  app.put(
    '/customers/:id/assigned-regions',
    {
      config: { scope: 'customers:write' },
      schema: {
        operationId: 'setAssignedRegions',
        summary: "Set a channel customer's assigned regions",
        description:
          'Orders this channel ships outside these regions are flagged `crossRegion` (from now on). Only channel customers have them (422 `not_a_channel`).',
        tags: ['customers'],
        params: IdParams,
        body: AssignedRegions,
        response: {
          200: success(AssignedRegions, 'The assigned regions as now stored.'),
          ...errorResponses('customer_not_found', 'not_a_channel'),
        },
      },
    },
    async (request) => ({
      regions: await regions.setAssignedRegions(request.params.id, request.body.regions, actorOf(request)),
    }),
  );
};

export default channelRegionRoutes;
