import { historyPage } from './history-page';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  errorResponses,
  IdParams,
  Nullable,
  PageCursor,
  PageLimit,
  Timestamp,
  Uuid,
  pageOf,
} from '../../schemas/common';
import type { CustomerService } from '../customers/service';
import type { AuditRepository } from './repository';

export interface HistoryRoutesOptions {
  audit: AuditRepository;
  customers: CustomerService;
}

const HistoryEntry = Type.Object(
  {
    id: Uuid,
    action: Type.String({
      description: 'created, updated, deleted, restored, contact_added, relationship_added, ...',
    }),
    at: Timestamp,
    actor: Type.Object({ keyId: Nullable(Type.String()), name: Nullable(Type.String()) }),
    requestId: Nullable(Type.String()),
    changes: Type.Array(Type.Object({ field: Type.String(), old: Type.Unknown(), new: Type.Unknown() })),
  },
  { $id: 'HistoryEntry', title: 'HistoryEntry' },
);

const HistoryQuery = Type.Object(
  { limit: Type.Optional(PageLimit), cursor: Type.Optional(PageCursor) },
  { additionalProperties: false },
);

const historyRoutes: FastifyPluginAsyncTypebox<HistoryRoutesOptions> = async (app, { audit, customers }) => {
  app.addSchema(HistoryEntry);
  app.get(
    '/customers/:id/history',
    {
      config: { scope: 'customers:read' },
      schema: {
        operationId: 'getCustomerHistory',
        summary: "A customer's audit trail, newest first",
        description:
          'Who changed what and when: each entry names the API key, the request id and the fields with old and new values.',
        tags: ['customers'],
        params: IdParams,
        querystring: HistoryQuery,
        response: { 200: pageOf(Type.Ref('HistoryEntry')), ...errorResponses(404) },
      },
    },
    async (request) => {
      await customers.get(request.params.id, true);
      return historyPage(audit, 'customer', request.params.id, request.query);
    },
  );
};

export default historyRoutes;
