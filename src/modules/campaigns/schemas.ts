import { Type, type Static } from 'typebox';
import { NON_NEGATIVE_MONEY_PATTERN } from '../../domain/money';
import { CAMPAIGN_KINDS, TOUCH_KINDS } from '../../domain/campaigns';
import { batchBodyOf } from '../shared/batch/schemas';
import { Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';

const CAMPAIGN = '0193b7c0-1a2b-7c3d-8e4f-5a6b7c8d9e01';
const SEGMENT = '0193b7a0-1a2b-7c3d-8e4f-5a6b7c8d9e02';
const CUSTOMER = '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f';

const Kind = Type.Union(
  CAMPAIGN_KINDS.map((k) => Type.Literal(k)),
  { description: 'What the campaign is for: care, offer, win_back (wonBack in its results) or survey.' },
);
const Cost = Type.String({
  pattern: NON_NEGATIVE_MONEY_PATTERN,
  description: 'What the campaign cost, reporting currency, as a decimal string (default "0").',
  example: '500.00',
});
const WindowDays = Type.Integer({
  minimum: 1,
  maximum: 365,
  description: 'Days after a touch within which an order is attributed to it (default 30).',
});
const Share = Type.Number({
  minimum: 0,
  maximum: 0.5,
  description:
    'Share of the segment held out as the control group at launch, 0 to 0.5 (default 0): exactly round(share x members), chosen by the seed.',
});
const Seed = Type.String({
  minLength: 1,
  maxLength: 200,
  description:
    'Seed of the hold-out (default: the campaign id): members ranked by SHA-256(seed:customerId), the first round(share x n) held out.',
});

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200, description: 'What the campaign is called.' }),
  kind: Kind,
  segmentId: Type.String({ format: 'uuid', description: 'The target segment (422 `segment_not_found`).' }),
  channel: Nullable(
    Type.String({ minLength: 1, maxLength: 100, description: 'How it reaches people (email, sms, ...).' }),
  ),
  startsAt: Nullable(Timestamp),
  endsAt: Nullable(Timestamp),
  cost: Cost,
  attributionWindowDays: WindowDays,
  controlGroupShare: Share,
  controlGroupSeed: Seed,
};

const example = {
  name: 'Spring win-back',
  kind: 'win_back',
  segmentId: SEGMENT,
  channel: 'email',
  startsAt: '2026-12-01T00:00:00.000Z',
  endsAt: '2026-12-31T00:00:00.000Z',
  cost: '500.00',
  attributionWindowDays: 30,
  controlGroupShare: 0.1,
  controlGroupSeed: 'spring-2026',
};

export const CampaignCreate = Type.Object(
  {
    name: fields.name,
    kind: fields.kind,
    segmentId: fields.segmentId,
    channel: Type.Optional(fields.channel),
    startsAt: Type.Optional(fields.startsAt),
    endsAt: Type.Optional(fields.endsAt),
    cost: Type.Optional(fields.cost),
    attributionWindowDays: Type.Optional(fields.attributionWindowDays),
    controlGroupShare: Type.Optional(fields.controlGroupShare),
    controlGroupSeed: Type.Optional(fields.controlGroupSeed),
  },
  { additionalProperties: false, example },
);
export type CampaignCreate = Static<typeof CampaignCreate>;

export const CampaignPatch = Type.Partial(Type.Object(fields), {
  additionalProperties: false,
  minProperties: 1,
  example: { cost: '650.00', endsAt: '2027-01-15T00:00:00.000Z' },
});
export type CampaignPatch = Static<typeof CampaignPatch>;

export const Campaign = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    kind: Type.String(),
    segmentId: Uuid,
    channel: Nullable(Type.String()),
    startsAt: Nullable(Timestamp),
    endsAt: Nullable(Timestamp),
    cost: Type.String({ description: 'Decimal string.' }),
    attributionWindowDays: Type.Integer(),
    controlGroupShare: Type.Number(),
    controlGroupSeed: Type.String(),
    status: Type.Union([Type.Literal('draft'), Type.Literal('launched')]),
    launchedAt: Nullable(Timestamp),
    recipientCount: Nullable(Type.Integer({ description: 'Frozen at launch: the members not held out.' })),
    controlGroupCount: Nullable(Type.Integer({ description: 'Frozen at launch: the members held out.' })),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    $id: 'Campaign',
    title: 'Campaign',
    example: {
      id: CAMPAIGN,
      ...example,
      status: 'launched',
      launchedAt: '2026-12-01T09:00:00.000Z',
      recipientCount: 900,
      controlGroupCount: 100,
      version: 2,
      createdAt: '2026-11-28T08:00:00.000Z',
      updatedAt: '2026-12-01T09:00:00.000Z',
    },
  },
);
export type Campaign = Static<typeof Campaign>;

export const CampaignListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('launched')])),
    kind: Type.Optional(Kind),
    segmentId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);
export type CampaignListQuery = Static<typeof CampaignListQuery>;
export const CampaignPage = pageOf(Type.Ref('Campaign'));

export const LaunchBody = Type.Object(
  {
    launchedAt: Type.Optional({
      ...Timestamp,
      description:
        'When it went out (default now); may lie in the past, for a campaign sent by another tool and recorded afterwards; not beyond FUTURE_DATE_TOLERANCE_DAYS ahead.',
    }),
  },
  { additionalProperties: false, example: { launchedAt: '2026-12-01T09:00:00.000Z' } },
);
export type LaunchBody = Static<typeof LaunchBody>;

export const RecipientQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    group: Type.Optional(
      Type.Union([Type.Literal('recipients'), Type.Literal('control')], {
        description: '`recipients` (default): those the campaign goes to; `control`: the held-out ones.',
      }),
    ),
    responded: Type.Optional(
      Type.Boolean({
        description:
          '`false`: only those without a `responded` or `converted` touch yet (the next wave); `true`: only those with one.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type RecipientQuery = Static<typeof RecipientQuery>;

export const Recipient = Type.Object(
  {
    customerId: Uuid,
    customerExternalId: Nullable(Type.String()),
    name: Type.String(),
    email: Nullable(Type.String({ description: "The customer's first e-mail address." })),
    phone: Nullable(Type.String({ description: "The customer's first phone number." })),
    group: Type.Union([Type.Literal('recipients'), Type.Literal('control')]),
    touches: Type.Integer({ description: 'Touches of this campaign since launch.' }),
    lastTouchAt: Nullable(Timestamp),
    responded: Type.Boolean(),
  },
  {
    example: {
      customerId: CUSTOMER,
      customerExternalId: 'ERP-1001',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+86 138 0000 0000',
      group: 'recipients',
      touches: 1,
      lastTouchAt: '2026-12-01T09:05:00.000Z',
      responded: false,
    },
  },
);
export type Recipient = Static<typeof Recipient>;
export const RecipientPage = pageOf(Recipient);

export const TouchItem = Type.Object(
  {
    externalId: Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        "The sending tool's id of this report; the same id again with the same content changes nothing.",
    }),
    customerId: Type.String({ format: 'uuid', description: 'A recipient (not the control group).' }),
    kind: Type.Union(
      TOUCH_KINDS.map((k) => Type.Literal(k)),
      { description: 'delivered, opened, responded or converted.' },
    ),
    at: { ...Timestamp, description: 'When it happened; not in the future.' },
    wave: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'The wave (default 1).' })),
  },
  { additionalProperties: false },
);
export type TouchItem = Static<typeof TouchItem>;
export const TouchBatch = batchBodyOf(TouchItem, {
  externalId: 'MAIL-77-1001-delivered',
  customerId: CUSTOMER,
  kind: 'delivered',
  at: '2026-12-01T09:05:00.000Z',
  wave: 1,
});

const Ratio = (description: string) => Nullable(Type.Number({ description }));
const Group = Type.Object({
  customers: Type.Integer(),
  buyers: Type.Integer({ description: 'Customers with a counted order from launch within the window.' }),
  conversionRate: Ratio('buyers / customers; null for an empty group.'),
  revenue: Type.String({ description: 'Their counted orders from launch within the window.' }),
  revenuePerCustomer: Nullable(Type.String({ description: 'revenue / customers, 4 decimals.' })),
});

export const CampaignResults = Type.Object(
  {
    campaignId: Uuid,
    kind: Type.String(),
    launchedAt: Timestamp,
    attributionWindowDays: Type.Integer(),
    recipients: Type.Integer({ description: 'Frozen at launch (the control group aside).' }),
    controlGroup: Type.Integer(),
    reached: Type.Integer({ description: 'Recipients with any touch at or after launch.' }),
    responded: Type.Integer({ description: 'Recipients with a responded or converted touch.' }),
    converted: Type.Integer({
      description: 'Recipients with at least one order attributed to this campaign.',
    }),
    revenue: Type.String({ description: 'Sum of the attributed orders (reporting currency).' }),
    cost: Type.String(),
    roi: Ratio('(revenue - cost) / cost; null when cost is 0.'),
    wonBack: Nullable(
      Type.Integer({
        description:
          'win_back only: recipients churned at launch who placed a counted order from launch within the window.',
      }),
    ),
    waves: Type.Array(
      Type.Object({
        wave: Type.Integer(),
        reached: Type.Integer(),
        responded: Type.Integer(),
        converted: Type.Integer({
          description: 'Recipients with an order attributed to a touch of this wave.',
        }),
        revenue: Type.String(),
      }),
    ),
    uplift: Type.Object({
      recipients: Group,
      control: Group,
      conversionRate: Type.Object({
        difference: Ratio('Recipients\u2019 rate minus the control group\u2019s.'),
        ratio: Ratio(
          'The difference over the control group\u2019s rate; null when it is 0 or the group is empty.',
        ),
      }),
      revenuePerCustomer: Type.Object({
        difference: Nullable(
          Type.String({ description: 'Recipients\u2019 minus the control group\u2019s.' }),
        ),
        ratio: Ratio(
          'The difference over the control group\u2019s; null when it is 0 or the group is empty.',
        ),
      }),
    }),
  },
  {
    $id: 'CampaignResults',
    example: {
      campaignId: CAMPAIGN,
      kind: 'win_back',
      launchedAt: '2026-12-01T09:00:00.000Z',
      attributionWindowDays: 30,
      recipients: 4,
      controlGroup: 1,
      reached: 4,
      responded: 2,
      converted: 1,
      revenue: '1000.00',
      cost: '400.00',
      roi: 1.5,
      wonBack: 1,
      waves: [{ wave: 1, reached: 4, responded: 2, converted: 1, revenue: '1000.00' }],
      uplift: {
        recipients: {
          customers: 4,
          buyers: 2,
          conversionRate: 0.5,
          revenue: '1200.00',
          revenuePerCustomer: '300.00',
        },
        control: {
          customers: 1,
          buyers: 1,
          conversionRate: 1,
          revenue: '100.00',
          revenuePerCustomer: '100.00',
        },
        conversionRate: { difference: -0.5, ratio: -0.5 },
        revenuePerCustomer: { difference: '200.00', ratio: 2 },
      },
    },
  },
);
export type CampaignResults = Static<typeof CampaignResults>;
