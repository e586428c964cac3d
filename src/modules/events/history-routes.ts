import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, IdParams, pageOf, success } from '../../schemas/common';
import type { Scope } from '../../plugins/scopes';
import { HistoryEntry, HistoryQuery } from './schemas';
import type { EventService } from './service';

/** The resources with an audit trail, and how to learn that one exists (404 otherwise). */
export interface HistoryRoutesOptions {
  events: EventService;
  customers: { get(id: string, includeDeleted: boolean): Promise<{ id: string }> };
  orders: { get(id: string): Promise<{ id: string }> };
  products: { get(id: string): Promise<{ id: string }> };
  payments: { get(id: string): Promise<{ id: string }> };
}

interface HistoryRoute {
  path: string;
  resource: string;
  scope: Scope;
  tag: string;
}

const ROUTES: HistoryRoute[] = [
  { path: '/customers/:id/history', resource: 'customer', scope: 'customers:read', tag: 'customers' },
  { path: '/orders/:id/history', resource: 'order', scope: 'orders:read', tag: 'orders' },
  { path: '/products/:id/history', resource: 'product', scope: 'orders:read', tag: 'products' },
  { path: '/payments/:id/history', resource: 'payment', scope: 'payments:read', tag: 'payments' },
];

const capitalised = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/**
 * Every record's audit trail is read from the events its changes wrote (one record serves
 * both, docs/design.md "One write path").
 */
const historyRoutes: FastifyPluginAsyncTypebox<HistoryRoutesOptions> = async (app, options) => {
  app.addSchema(HistoryEntry);
  const exists: Record<string, (id: string) => Promise<{ id: string }>> = {
    customer: (id) => options.customers.get(id, true),
    order: (id) => options.orders.get(id),
    product: (id) => options.products.get(id),
    payment: (id) => options.payments.get(id),
  };
  for (const route of ROUTES) {
    app.get(
      route.path,
      {
        config: { scope: route.scope },
        schema: {
          operationId: `get${capitalised(route.resource)}History`,
          summary: `A ${route.resource}'s audit trail, newest first`,
          description:
            'Who changed what and when: each entry names the API key, the request id (or the analytics run) and the fields with old and new values.' +
            (route.resource === 'customer'
              ? " A customer's trail includes its contact persons and relationships."
              : ''),
          tags: [route.tag],
          params: IdParams,
          querystring: HistoryQuery,
          response: {
            200: success(
              pageOf(Type.Ref('HistoryEntry')),
              `A page of the ${route.resource}'s changes, newest first.`,
            ),
            ...errorResponses(`${route.resource}_not_found`, 'invalid_cursor'),
          },
        },
      },
      async (request) => {
        const record = await exists[route.resource]!(request.params.id);
        return options.events.history(record.id, request.query, route.resource === 'customer');
      },
    );
  }
};

export default historyRoutes;
