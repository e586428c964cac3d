import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion, notModified, sendNotModified, setEtag } from '../../http/etag';
import { errorResponses, IdParams, IfMatchHeaders, NotModified, success } from '../../schemas/common';
import { actorOf } from '../events/actor';
import { sendCsvPage, wantsCsv } from '../orders/csv';
import { BatchResult } from '../shared/batch/schemas';
import {
  Campaign,
  CampaignCreate,
  CampaignListQuery,
  CampaignPage,
  CampaignPatch,
  CampaignResults,
  LaunchBody,
  RecipientPage,
  RecipientQuery,
  TouchBatch,
} from './schemas';
import type { CampaignService } from './service';

export interface CampaignRoutesOptions {
  campaigns: CampaignService;
}

const tags = ['marketing'];
const Ref = Type.Ref('Campaign');
const FROZEN =
  'Once launched, `segmentId`, `attributionWindowDays`, `controlGroupShare` and `controlGroupSeed` are frozen (409 `campaign_already_launched`); name, channel, dates and cost may still change.';
const RECIPIENT_COLUMNS = [
  'customerId',
  'customerExternalId',
  'name',
  'email',
  'phone',
  'group',
  'touches',
  'lastTouchAt',
  'responded',
] as const;

const campaignRoutes: FastifyPluginAsyncTypebox<CampaignRoutesOptions> = async (app, { campaigns }) => {
  app.addSchema(Campaign);
  app.addSchema(CampaignResults);

  app.post(
    '/campaigns',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'createCampaign',
        summary: 'Create a campaign (a draft)',
        description:
          'A draft targeting a live segment (422 `segment_not_found`). `cost` defaults to "0", `attributionWindowDays` to 30, `controlGroupShare` to 0 and `controlGroupSeed` to the campaign id; `endsAt` before `startsAt` is 400.',
        tags,
        body: CampaignCreate,
        response: {
          201: success(Ref, 'The campaign, with its ETag; Location is its path.', { headers: ['location'] }),
          ...errorResponses('422:segment_not_found'),
        },
      },
    },
    async (request, reply) => {
      const view = await campaigns.create(request.body, actorOf(request));
      setEtag(reply, view.version);
      reply.header('location', `/v1/campaigns/${view.id}`);
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/campaigns',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'listCampaigns',
        summary: 'List campaigns',
        description: 'Filters combine: `status`, `kind`, `segmentId`. Oldest first.',
        tags,
        querystring: CampaignListQuery,
        response: {
          200: success(CampaignPage, 'A page of campaigns.'),
          ...errorResponses('invalid_cursor'),
        },
      },
    },
    async (request) => campaigns.list(request.query),
  );

  app.get(
    '/campaigns/:id',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'getCampaign',
        summary: 'Read a campaign',
        tags,
        params: IdParams,
        response: {
          200: success(Ref, 'The campaign, with its ETag.'),
          304: NotModified,
          ...errorResponses('campaign_not_found'),
        },
      },
    },
    async (request, reply) => {
      const view = await campaigns.get(request.params.id);
      setEtag(reply, view.version);
      if (notModified(request, view.version)) return sendNotModified(reply, view.version);
      return view;
    },
  );

  app.patch(
    '/campaigns/:id',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'updateCampaign',
        summary: 'Update a campaign',
        description: FROZEN,
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        body: CampaignPatch,
        response: {
          200: success(Ref, 'The campaign as changed, with its new ETag.'),
          ...errorResponses('campaign_not_found', 'campaign_already_launched', '422:segment_not_found'),
        },
      },
    },
    async (request, reply) => {
      const view = await campaigns.patch(
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
    '/campaigns/:id',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'deleteCampaign',
        summary: 'Delete a campaign',
        description:
          'It leaves the list and its routes answer 404 until `POST .../restore`; touches it recorded keep their place in the attribution of other campaigns (they happened).',
        tags,
        params: IdParams,
        headers: IfMatchHeaders,
        response: {
          204: Type.Null({ description: 'Deleted; no body.' }),
          ...errorResponses('campaign_not_found'),
        },
      },
    },
    async (request, reply) => {
      await campaigns.delete(request.params.id, (v) => expectedVersion(request, v), actorOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/campaigns/:id/restore',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'restoreCampaign',
        summary: 'Restore a deleted campaign',
        description: 'It comes back as it was, launched or not; a live campaign is answered unchanged.',
        tags,
        params: IdParams,
        response: {
          200: success(Ref, 'The campaign, live again, with its ETag.'),
          ...errorResponses('campaign_not_found'),
        },
      },
    },
    async (request, reply) => {
      const view = await campaigns.restore(request.params.id, actorOf(request));
      setEtag(reply, view.version);
      return view;
    },
  );

  app.post(
    '/campaigns/:id/launch',
    {
      config: { scope: 'marketing:write' },
      preValidation: async (request) => {
        // A launch now needs no body at all.
        if (request.body === undefined || request.body === null) request.body = {};
      },
      schema: {
        operationId: 'launchCampaign',
        summary: 'Launch a campaign: freeze its recipients and control group',
        description:
          "Copies the segment's members (a dynamic segment refreshed first) into the recipient list and holds out the control group (exactly round(controlGroupShare x members), by the seed), in one transaction with the `campaign.launched` event. `launchedAt` defaults to now and may lie in the past; more than FUTURE_DATE_TOLERANCE_DAYS ahead is 422 `date_in_future`. Touches and orders before `launchedAt` are never attributed. A second launch is 409 `campaign_already_launched` and changes nothing.",
        tags,
        params: IdParams,
        body: LaunchBody,
        response: {
          200: success(Ref, 'The campaign, launched, with its new ETag.'),
          ...errorResponses(
            'campaign_not_found',
            'campaign_already_launched',
            '422:segment_not_found',
            'date_in_future',
          ),
        },
      },
    },
    async (request, reply) => {
      const view = await campaigns.launch(request.params.id, request.body, actorOf(request));
      setEtag(reply, view.version);
      return view;
    },
  );

  app.get(
    '/campaigns/:id/recipients',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'listCampaignRecipients',
        summary: 'The frozen recipient list (or the control group), JSON or CSV',
        description:
          'In customer id order. `group=control` lists the held-out members instead; `responded=false` those who have not responded yet (no `responded` or `converted` touch), the audience of the next wave. With `Accept: text/csv` the page comes as CSV, the next page in a `Link` header. A draft has no list (409 `campaign_not_launched`).',
        tags,
        params: IdParams,
        querystring: RecipientQuery,
        response: {
          200: {
            description: 'A page of recipients (JSON), or the same page as CSV.',
            content: {
              'application/json': { schema: RecipientPage },
              'text/csv': {
                schema: Type.String({
                  description: `Header row (${RECIPIENT_COLUMNS.join(',')}), then one row per recipient.`,
                  example: `${RECIPIENT_COLUMNS.join(',')}\r\n0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f,ERP-1001,Ada Lovelace,ada@example.com,+86 138 0000 0000,recipients,1,2026-12-01T09:05:00.000Z,false\r\n`,
                }),
              },
            },
          },
          ...errorResponses('campaign_not_found', 'campaign_not_launched', 'invalid_cursor'),
        },
      },
    },
    async (request, reply) => {
      const page = await campaigns.recipients(request.params.id, request.query);
      if (wantsCsv(request)) return sendCsvPage(request, reply, page, RECIPIENT_COLUMNS);
      return page;
    },
  );

  app.post(
    '/campaigns/:id/touches/batch',
    {
      config: { scope: 'marketing:write' },
      schema: {
        operationId: 'batchRecordCampaignTouches',
        summary: 'Record up to 1,000 touches (delivered, opened, responded, converted) by externalId',
        description:
          "The sending tool's reports, all rows in one transaction. Each names a recipient (not one: 422 `not_a_recipient`, the control group included), a time not in the future (422 `date_in_future`) and a wave (default 1). The same externalId with the same content is `unchanged`; with other content `updated`. A draft takes none (409 `campaign_not_launched`). Touches before `launchedAt` are stored but never counted. Any bad row: nothing is written and the problem names each row by `index`.",
        tags,
        params: IdParams,
        body: TouchBatch,
        response: {
          200: success(BatchResult, 'What happened to each row, in input order.'),
          ...errorResponses(
            'campaign_not_found',
            'campaign_not_launched',
            'not_a_recipient',
            'date_in_future',
            'duplicate_in_batch',
            'invalid_rows',
          ),
        },
      },
    },
    async (request) => ({ results: await campaigns.recordTouches(request.params.id, request.body.items) }),
  );

  app.get(
    '/campaigns/:id/results',
    {
      config: { scope: 'marketing:read' },
      schema: {
        operationId: 'getCampaignResults',
        summary: 'Reach, response, attributed revenue, ROI and uplift over the control group',
        description:
          'Counted orders only (not cancelled or returned), in the reporting currency. An order is attributed to the last touch before it of any campaign whose window still reaches it (touch.at <= orderedAt <= touch.at + that campaign\u2019s window, touches at or after their launch); `converted` and `revenue` are this campaign\u2019s attributed ones. `roi` = (revenue - cost) / cost, null for cost 0. The uplift compares recipients and control group on orders from `launchedAt` within the window, attribution aside. docs/campaigns.md gives every rule.',
        tags,
        params: IdParams,
        response: {
          200: success(Type.Ref('CampaignResults'), 'The figures.'),
          ...errorResponses('campaign_not_found', 'campaign_not_launched'),
        },
      },
    },
    async (request) => campaigns.results(request.params.id),
  );
};

export default campaignRoutes;
