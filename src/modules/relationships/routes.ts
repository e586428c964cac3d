import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { decodeCursor } from '../../http/pagination';
import { errorResponses, IdParams, success } from '../../schemas/common';
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
        response: {
          201: success(Type.Ref('Relationship'), 'The tie, as seen from the customer in the path.'),
          ...errorResponses('customer_not_found', 'relationship_exists', 'invalid_relationship'),
        },
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
        response: {
          200: success(RelationshipPage, "A page of the customer's ties, each seen from this customer."),
          ...errorResponses('customer_not_found', 'invalid_cursor'),
        },
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
        response: {
          204: Type.Null({ description: 'Removed from both ends; no body.' }),
          ...errorResponses('customer_not_found', 'relationship_not_found'),
        },
      },
    },
    async (request, reply) => {
      await relationships.remove(request.params.id, request.params.relationshipId, actorOf(request));
      return reply.code(204).send(null);
    },
  );
};

export default relationshipRoutes;
