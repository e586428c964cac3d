import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DateOnly, errorResponses, success } from '../../schemas/common';
import { DEFAULT_LINK_SECONDS, MAX_LINK_SECONDS } from './report-links';
import type { ReportPageService } from './report-page-service';
import { negotiateLanguage } from '../../http/messages/catalogue';

export interface ReportRoutesOptions {
  pages: ReportPageService;
}

const RangeFields = {
  from: Type.Optional({
    ...DateOnly,
    example: '2026-06-01',
    description: 'First day (UTC), included; the 30 days ending with `to` without it.',
  }),
  to: Type.Optional({
    ...DateOnly,
    example: '2026-06-30',
    description: 'Last day (UTC), included; today without it.',
  }),
};

const PageQuery = Type.Object(
  {
    ...RangeFields,
    token: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description:
          'A signed link\u2019s token (POST /v1/analytics/report-links), instead of the API key: good until it expires, for the `from` and `to` it was made for only.',
      }),
    ),
  },
  { additionalProperties: false },
);

const LinkRequest = Type.Object(
  {
    ...RangeFields,
    expiresInSeconds: Type.Optional(
      Type.Integer({
        minimum: 60,
        maximum: MAX_LINK_SECONDS,
        default: DEFAULT_LINK_SECONDS,
        description: 'How long the link is good for, 60 s to a day.',
      }),
    ),
  },
  { additionalProperties: false, example: { from: '2026-06-01', to: '2026-06-30', expiresInSeconds: 900 } },
);

const LinkCreated = Type.Object(
  {
    url: Type.String({
      description:
        'The page\u2019s path with `from`, `to` and `token`; prefix it with the server\u2019s address.',
    }),
    token: Type.String(),
    from: DateOnly,
    to: DateOnly,
    expiresAt: Type.String({ format: 'date-time' }),
  },
  {
    example: {
      url: '/v1/analytics/report.html?from=2026-06-01&to=2026-06-30&token=eyJmcm9tIjoi...',
      token: 'eyJmcm9tIjoi...',
      from: '2026-06-01',
      to: '2026-06-30',
      expiresAt: '2026-07-01T08:15:00.000Z',
    },
  },
);

const reportRoutes: FastifyPluginAsyncTypebox<ReportRoutesOptions> = async (app, { pages }) => {
  app.get(
    '/analytics/report.html',
    {
      config: { scope: 'analytics:read', signedLink: true },
      schema: {
        operationId: 'getReportPage',
        summary: 'The KPIs of a range as one printable HTML page',
        description:
          'Scope `analytics:read`: the API key in `Authorization: Bearer`, or no header and the `token` of a signed link from POST /v1/analytics/report-links (for its own `from` and `to` only, until it expires; 401 otherwise). One static page, no script, in the language of `Accept-Language` (`zh-CN`: Chinese labels, definitions and charts; English otherwise; `Content-Language` says which): the figures of GET /v1/analytics/kpis beside the previous period with their definitions, and the charts as inline images where the server renders them. 400 for a bad range as GET /v1/analytics/kpis.',
        tags: ['analytics'],
        querystring: PageQuery,
        response: {
          200: {
            description: 'The page (text/html, UTF-8).',
            content: {
              'text/html': { schema: Type.String({ example: '<!DOCTYPE html><html lang="en">...' }) },
            },
          },
          ...errorResponses('invalid_range'),
        },
      },
    },
    async (request, reply) => {
      const language = negotiateLanguage(request.headers['accept-language']);
      const html = await pages.page(request.query, language);
      return (
        reply
          .type('text/html; charset=utf-8')
          .header('content-language', language)
          .header('vary', 'Accept-Language')
          // The page holds nothing active; a token in its address must not leak onwards.
          .header('content-security-policy', "default-src 'none'; img-src data:; style-src 'unsafe-inline'")
          .header('referrer-policy', 'no-referrer')
          .header('cache-control', 'no-store')
          .send(html)
      );
    },
  );

  app.post(
    '/analytics/report-links',
    {
      config: { scope: 'analytics:read' },
      schema: {
        operationId: 'createReportLink',
        summary: 'A short-lived signed link to the report page',
        description:
          'Scope `analytics:read`. A link to GET /v1/analytics/report.html for one range that works without the API key (to open in a browser or send on), signed with HMAC-SHA256 under REPORT_LINK_SECRET, good for `expiresInSeconds` (default 900, at most a day). It carries `analytics:read` for that page and range only. 400 for a bad range as GET /v1/analytics/kpis.',
        tags: ['analytics'],
        body: LinkRequest,
        response: {
          201: success(LinkCreated, 'The link.'),
          ...errorResponses('invalid_range'),
        },
      },
    },
    async (request, reply) => reply.code(201).send(pages.link(request.body, request.principal!)),
  );
};

export default reportRoutes;
