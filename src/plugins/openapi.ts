import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Problem } from '../schemas/common';
import { SCOPES } from './scopes';
import { completeDocument } from './openapi-contract/complete-document';
import { describeRoute } from './openapi-contract/route-facts';

export interface OpenApiOptions {
  bodyLimitBytes: number;
  rateLimitMax: number;
  rateLimitWindowMs: number;
  authFailureMax: number;
  /** The OpenAPI 3.1 `webhooks` section: what a subscriber receives (built by the webhooks module). */
  webhooks?: Record<string, unknown>;
}

/** The OpenAPI 3.1 document, generated from the route schemas; served at /openapi.json and /docs. */
async function openApiPlugin(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  app.addSchema(Problem);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Headless CRM API',
        version: '1.0.0',
        description: [
          'A headless CRM: customer archive, orders, payments and contact history, with customer value (CLV, RFM, churn) computed from its own data.',
          '',
          'Conventions: JSON with camelCase fields; errors are `application/problem+json` with a stable `code`; lists use `limit` (1-500, default 50) and `cursor`;',
          'single-record reads answer an `ETag` that `If-Match` checks on writes (412 when stale); every POST accepts `Idempotency-Key` (replayed for 24 h,',
          '422 when reused with another body, 409 while in flight).',
          '',
          `Limits: request bodies up to ${options.bodyLimitBytes} bytes (413 beyond); ${options.rateLimitMax} requests per ${options.rateLimitWindowMs / 1000} s per API key (429 with Retry-After);`,
          `an address with ${options.authFailureMax} failed authentications in that window gets 429 for every request until the window ends.`,
          `Scopes: ${SCOPES.join(', ')}; \`admin\` implies all. Each operation names the scopes it needs in its description and in \`x-required-scopes\``,
          '(`[]` for public routes; `{resource}:write` where the scope follows a parameter).',
          '',
          'Headers: every answer carries `X-Request-Id` and the `X-RateLimit-*` figures; `Accept-Language: zh-CN` gives problem titles and details in Chinese',
          '(`Content-Language` says which); a 304 has no body and no content headers.',
        ].join('\n'),
        license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
        contact: { name: 'CRM API team', email: 'api@crm.invalid' },
      },
      // Relative, so /docs "Try it out" calls the server that served the page, wherever it runs.
      servers: [{ url: '/', description: 'The server that serves this document' }],
      tags: [
        { name: 'customers', description: 'The customer archive.' },
        { name: 'contacts', description: 'Contact persons of (mostly organisation) customers.' },
        {
          name: 'relationships',
          description: 'Family and business ties between customers, readable from both ends.',
        },
        {
          name: 'analytics',
          description: 'Customer value: runs, fitted CLV models, segments and value cards.',
        },
        { name: 'products', description: 'The product catalogue order lines refer to.' },
        { name: 'orders', description: 'Orders (shipments) with their lines.' },
        { name: 'payments', description: 'Payments (receipts), allocations, refunds and receivables.' },
        { name: 'service-levels', description: 'SLA targets in minutes per service type and priority.' },
        {
          name: 'service-records',
          description: 'After-sales service records walked through their status flow, with SLA breaches.',
        },
        { name: 'complaints', description: 'Complaints, their categories and rendered standard answers.' },
        {
          name: 'interactions',
          description: 'Calls, visits, e-mails, messages, meetings and web chats with customers.',
        },
        {
          name: 'follow-ups',
          description: 'Follow-up visits: planned, completed, overdue, and the on-time rates.',
        },
        { name: 'satisfaction', description: 'Survey answers (CSAT and NPS) and the satisfaction report.' },
        {
          name: 'care',
          description: 'Care occasions: birthdays (Gregorian or lunar), anniversaries and holidays.',
        },
        { name: 'opportunities', description: 'The sales pipeline: opportunities by stage, won and lost.' },
        {
          name: 'marketing',
          description:
            'Acting on value: segments, campaigns with attribution and uplift, cross-sell and up-sell, channel rebates.',
        },
        { name: 'churn', description: 'Churn recorded by hand, and churn, retention and win-back figures.' },
        {
          name: 'imports',
          description: 'Large loads: NDJSON or CSV files streamed into import jobs that report progress.',
        },
        {
          name: 'exports',
          description: 'Full exports of customers, orders or payments, streamed as NDJSON or CSV.',
        },
        {
          name: 'events',
          description:
            'The event feed: every committed change, oldest first, in commit order (the outbox webhooks deliver from).',
        },
        {
          name: 'webhooks',
          description:
            'Subscriptions that receive outbox events as signed POSTs (Standard Webhooks), retried for a day, logged and replayable.',
        },
        { name: 'api-keys', description: 'API keys and their scopes (admin).' },
        { name: 'operations', description: 'Health and readiness.' },
      ],
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key: `Authorization: Bearer crm_...`.',
          },
        },
      },
      security: [{ apiKey: [] }],
      ...(options.webhooks && { webhooks: options.webhooks }),
    },
    transform: describeRoute as never,
    transformObject: (document) =>
      completeDocument((document as { openapiObject: Record<string, unknown> }).openapiObject) as never,
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
}

export default fp(openApiPlugin, { name: 'openapi' });
