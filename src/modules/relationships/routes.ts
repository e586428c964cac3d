import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { decodeCursor } from '../../http/pagination';
import { errorResponses, IdParams } from '../../schemas/common';
import { actorOf } from '../events/actor';
import {
  Relationship,
  RelationshipCreate,
  RelationshipListQuery,
  RelationshipPage,
  RelationshipParams,
} from './schemas';
import type { RelationshipService } from './service';

export interface RelationshipRoutesOptions {
  relationships: RelationshipService;
}

const tags = ['relationships'];

const relationshipRoutes: FastifyPluginAsyncTypebox<RelationshipRoutesOptions> = async (
  app,
  { relationships },
) => {
  app.addSchema(Relationship);

  app.post(
    '/customers/:id/relationships',
    {
      config: { scope: 'customers:write' },
      schema: {
        operationId: 'createRelationship',
        summary: 'Relate a customer to another',
        description: 'Symmetric types (family, friend, colleague) are one tie whichever end creates them.',
        tags,
        params: IdParams,
        body: RelationshipCreate,
        response: { 201: Type.Ref('Relationship'), ...errorResponses(404, 409, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const relationship = await relationships.create(request.params.id, request.body, actorOf(request));
      return reply.code(201).send(relationship);
    },
  );

  app.get(
    '/customers/:id/relationships',
    {
      config: { scope: 'customers:read' },
      schema: {
        operationId: 'listRelationships',
        summary: "List a customer's relationships, both directions",
        tags,
        params: IdParams,
        querystring: RelationshipListQuery,
        response: { 200: RelationshipPage, ...errorResponses(404) },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const after = request.query.cursor ? decodeCursor(request.query.cursor, 'id') : undefined;
      return relationships.list(request.params.id, limit, after?.id, request.query.type);
    },
  );

  app.delete(
    '/customers/:id/relationships/:relationshipId',
    {
      config: { scope: 'customers:write' },
      schema: {
        operationId: 'deleteRelationship',
        summary: 'Remove a relationship (from either end)',
        tags,
        params: RelationshipParams,
        response: { 204: Type.Null({ description: 'Removed.' }), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await relationships.remove(request.params.id, request.params.relationshipId, actorOf(request));
      return reply.code(204).send(null);
    },
  );
};

export default relationshipRoutes;
