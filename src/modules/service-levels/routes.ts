import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { errorResponses, IdParams, IfMatchHeaders, NotModified, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import {
  ServiceLevel,
  ServiceLevelCreate,
  ServiceLevelListQuery,
  ServiceLevelPage,
  ServiceLevelPatch,
} from './schemas';
import type { ServiceLevelService } from './service';

export interface ServiceLevelRoutesOptions {
  levels: ServiceLevelService;
}

const tags = ['service-levels'];
const Ref = Type.Ref('ServiceLevel');

const serviceLevelRoutes: FastifyPluginAsyncTypebox<ServiceLevelRoutesOptions> = async (app, { levels }) => {
  app.addSchema(ServiceLevel);

  app.post(
    '/service-levels',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'createServiceLevel',
        summary: 'Set the SLA targets of a service type and priority',
        description:
          'One target per `type` and `priority`: the first response (the first move out of `open`) and the resolution (the move to `resolved`) are due that many minutes after `openedAt`. A second target for the same pair is 409 `service_level_exists`.',
        tags,
        body: ServiceLevelCreate,
        response: {
          201: success(Ref, 'The new target, with its ETag; Location is its path.', {
            headers: ['location'],
          }),
          ...errorResponses('service_level_exists'),
        },
      },
    },
    async (request, reply) => {
      const level = await levels.create(request.body, actorOf(request));
      setEtag(reply, level.version);
      reply.header('location', `/v1/service-levels/${level.id}`);
      return reply.code(201).send(level);
    },
  );

  app.get(
    '/service-levels',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'listServiceLevels',
        summary: 'List SLA targets',
        tags,
        querystring: ServiceLevelListQuery,
        response: {
          200: success(ServiceLevelPage, 'A page of targets matching the filters.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => levels.list(request.query),
  );

  app.get(
    '/service-levels/:id',
    {
      config: { scope: 'service:read' },
      schema: {
        operationId: 'getServiceLevel',
        summary: 'Read an SLA target',
        tags,
        params: IdParams,
        response: {
          200: success(Ref, 'The target, with its ETag.'),
          304: NotModified,
          ...errorResponses('service_level_not_found'),
        },
      },
    },
    async (request, reply) => {
      const level = await levels.get(request.params.id);
      setEtag(reply, level.version);
      if (notModified(request, level.version)) return sendNotModified(reply, level.version);
      return level;
    },
  );

  app.patch(
    '/service-levels/:id',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'updateServiceLevel',
        summary: "Change an SLA target's minutes",
        description:
          'Records are measured against the targets as they are now, not as they were when opened.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: ServiceLevelPatch,
        response: {
          200: success(Ref, 'The target as changed, with its new ETag.'),
          ...errorResponses('service_level_not_found'),
        },
      },
    },
    async (request, reply) => {
      const level = await levels.patch(
        request.params.id,
        request.body,
        (v) => expectedVersion(request, v),
        actorOf(request),
      );
      setEtag(reply, level.version);
      return level;
    },
  );

  app.delete(
    '/service-levels/:id',
    {
      config: { scope: 'service:write' },
      schema: {
        operationId: 'deleteServiceLevel',
        summary: 'Remove an SLA target',
        description: 'Records of that type and priority then have no target and are never breached.',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'Removed; no body.' }),
          ...errorResponses('service_level_not_found'),
        },
      },
    },
    async (request, reply) => {
      await levels.delete(request.params.id, (v) => expectedVersion(request, v), actorOf(request));
      return reply.code(204).send(null);
    },
  );
};

export default serviceLevelRoutes;
