import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, setEtag } from '../../http/etag';
import { errorResponses, IdParams, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import type { ChannelRegionService } from './channel-regions';

const AssignedRegions = Type.Object(
  {
    regions: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 200, uniqueItems: true }),
  },
  { additionalProperties: false, example: { regions: ['north', 'east'] } },
);

const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({ description: "The customer's ETag as you read it; 412 if it is no longer current." }),
  ),
});

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
        description:
          "Empty means the channel sells in its own `region`. The `ETag` is the customer's (its version); send it in `If-Match` when you set them.",
        tags: ['customers'],
        params: IdParams,
        response: {
          200: success(
            AssignedRegions,
            "The channel's assigned regions (empty: its own region), with the customer's ETag.",
            {
              headers: ['etag'],
            },
          ),
          ...errorResponses('customer_not_found'),
        },
      },
    },
    async (request, reply) => {
      const assigned = await regions.assignedRegions(request.params.id);
      setEtag(reply, assigned.version);
      return { regions: assigned.regions };
    },
  );

  app.put(
    '/customers/:id/assigned-regions',
    {
      config: { scope: 'customers:write' },
      schema: {
        operationId: 'setAssignedRegions',
        summary: "Set a channel customer's assigned regions",
        description:
          'Orders this channel ships outside these regions are flagged `crossRegion` (from now on). Only channel customers have them (422 `not_a_channel`). ' +
          "The regions are part of the customer: a change moves the customer's version and `ETag`, and `If-Match` is checked against it (412 when stale).",
        tags: ['customers'],
        params: IdParams,
        headers: IfMatchHeaders,
        body: AssignedRegions,
        response: {
          200: success(AssignedRegions, "The assigned regions as now stored, with the customer's new ETag.", {
            headers: ['etag'],
          }),
          ...errorResponses('customer_not_found', 'not_a_channel', 'precondition_failed'),
        },
      },
    },
    async (request, reply) => {
      const assigned = await regions.setAssignedRegions(
        request.params.id,
        request.body.regions,
        (version) => expectedVersion(request, version),
        actorOf(request),
      );
      setEtag(reply, assigned.version);
      return { regions: assigned.regions };
    },
  );
};

export default channelRegionRoutes;
