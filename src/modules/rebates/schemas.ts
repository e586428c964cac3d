import { Type, type Static } from 'typebox';
import { NON_NEGATIVE_MONEY_PATTERN } from '../../domain/money';
import { PERIOD_PATTERN, RATE_PATTERN } from '../../domain/rebates';
import { Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';

const CHANNEL_A = '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f';
const CHANNEL_B = '0192f3c4-6b2c-7d3e-9f40-5b6c7d8e9fa0';
const PROGRAM = '0192f3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f';

const TierSchema = Type.Object(
  {
    from: Type.String({
      pattern: NON_NEGATIVE_MONEY_PATTERN,
      description: 'Net purchases from which the tier applies (inclusive), a decimal string.',
      example: '100000.00',
    }),
    rate: Type.String({
      pattern: RATE_PATTERN,
      description: 'The rebate rate, a decimal fraction from 0 to 1 with up to 6 decimals ("0.02" is 2%).',
      example: '0.02',
    }),
  },
  { additionalProperties: false },
);

const TIERS_EXAMPLE = [
  { from: '100000.00', rate: '0.02' },
  { from: '250000.00', rate: '0.03' },
  { from: '500000.00', rate: '0.05' },
];

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200, description: 'What the programme is called.' }),
  periodKind: Type.Union([Type.Literal('year'), Type.Literal('quarter')], {
    description: 'Accrual and settlement periods: calendar years ("2026") or quarters ("2026-Q3"), UTC.',
  }),
  mode: Type.Union([Type.Literal('whole'), Type.Literal('marginal')], {
    description:
      "`whole`: the reached tier's rate on the whole net purchases; `marginal`: each tier's rate on the part inside its band.",
  }),
  tiers: Type.Array(TierSchema, {
    minItems: 1,
    maxItems: 50,
    description:
      '`from` strictly increasing (422 `tiers_not_increasing`), rates never falling (422 `tier_rates_decreasing`).',
    example: TIERS_EXAMPLE,
  }),
  channelCustomerIds: Type.Array(Type.String({ format: 'uuid' }), {
    maxItems: 1000,
    uniqueItems: true,
    description:
      'The channel customers the programme covers; each a live customer of category channel (422 `channel_not_found`).',
  }),
  creditIndirect: Type.Boolean({
    description: "Credit indirect customers' orders (viaChannelId) to their channel.",
  }),
  excludeCrossRegion: Type.Boolean({
    description:
      "Leave out orders whose region is outside the channel's assigned regions (its own region when none are assigned; nothing when it has neither).",
  }),
  currency: Type.String({
    pattern: '^[A-Z]{3}$',
    description: 'Always the reporting currency (REPORTING_CURRENCY); another is 422 `currency_mismatch`.',
    example: 'USD',
  }),
};

const example = {
  name: 'Distributor rebate 2026',
  periodKind: 'quarter',
  mode: 'whole',
  tiers: TIERS_EXAMPLE,
  channelCustomerIds: [CHANNEL_A, CHANNEL_B],
  creditIndirect: true,
  excludeCrossRegion: true,
};

export const RebateProgramCreate = Type.Object(
  {
    name: fields.name,
    periodKind: fields.periodKind,
    mode: fields.mode,
    tiers: fields.tiers,
    channelCustomerIds: fields.channelCustomerIds,
    creditIndirect: Type.Optional({ ...fields.creditIndirect, default: false }),
    excludeCrossRegion: Type.Optional({ ...fields.excludeCrossRegion, default: false }),
    currency: Type.Optional(fields.currency),
  },
  { additionalProperties: false, example },
);
export type RebateProgramCreate = Static<typeof RebateProgramCreate>;

export const RebateProgramPatch = Type.Partial(
  Type.Object({
    name: fields.name,
    periodKind: fields.periodKind,
    mode: fields.mode,
    tiers: fields.tiers,
    channelCustomerIds: fields.channelCustomerIds,
    creditIndirect: fields.creditIndirect,
    excludeCrossRegion: fields.excludeCrossRegion,
    currency: fields.currency,
  }),
  {
    additionalProperties: false,
    minProperties: 1,
    example: { tiers: [{ from: '100000.00', rate: '0.025' }], mode: 'marginal' },
  },
);
export type RebateProgramPatch = Static<typeof RebateProgramPatch>;

export const RebateProgram = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    periodKind: Type.String(),
    mode: Type.String(),
    tiers: Type.Array(Type.Object({ from: Type.String(), rate: Type.String() })),
    channelCustomerIds: Type.Array(Uuid),
    creditIndirect: Type.Boolean(),
    excludeCrossRegion: Type.Boolean(),
    currency: Type.String(),
    deleted: Type.Boolean({ description: 'True once deleted (shown with includeDeleted=true).' }),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    $id: 'RebateProgram',
    title: 'RebateProgram',
    example: {
      id: PROGRAM,
      ...example,
      currency: 'USD',
      deleted: false,
      version: 1,
      createdAt: '2026-11-23T08:00:00.000Z',
      updatedAt: '2026-11-23T08:00:00.000Z',
    },
  },
);
export type RebateProgram = Static<typeof RebateProgram>;

export const RebateProgramListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    includeDeleted: Type.Optional(
      Type.Boolean({ default: false, description: 'Show deleted programmes too.' }),
    ),
  },
  { additionalProperties: false },
);
export type RebateProgramListQuery = Static<typeof RebateProgramListQuery>;
export const RebateProgramPage = pageOf(Type.Ref('RebateProgram'));

export const PeriodQuery = Type.Object(
  {
    period: Type.String({
      pattern: PERIOD_PATTERN,
      description:
        "A year (`2026`) or a quarter (`2026-Q3`), of the programme's period kind (422 `period_kind_mismatch`).",
      example: '2026-Q3',
    }),
  },
  { additionalProperties: false },
);
export type PeriodQuery = Static<typeof PeriodQuery>;

const TierRef = Nullable(
  Type.Object(
    {
      index: Type.Integer({ description: 'Position in the tier table, from 0.' }),
      from: Type.String(),
      rate: Type.String(),
    },
    { description: 'A tier of the table.' },
  ),
);

const ChannelAccrual = Type.Object({
  channelCustomerId: Uuid,
  ownPurchases: Type.String({ description: "The channel's own counted orders in the period." }),
  indirectPurchases: Type.String({
    description: "Its indirect customers' counted orders (0 unless creditIndirect).",
  }),
  crossRegionExcluded: Type.String({
    description: 'Counted orders left out as cross-region (0 unless excludeCrossRegion).',
  }),
  netPurchases: Type.String({
    description: 'ownPurchases + indirectPurchases: cancelled and returned orders count nothing.',
  }),
  tier: TierRef,
  rate: Type.String({
    description: "The reached tier's rate (in marginal mode the top band's); 0 below the first tier.",
  }),
  rebate: Type.String({ description: 'The rebate accrued, rounded half up to the cent once.' }),
  nextTier: TierRef,
  gapToNextTier: Nullable(
    Type.String({ description: 'Net purchases still missing to reach nextTier; null at the top.' }),
  ),
});

const accrualExample = {
  channelCustomerId: CHANNEL_A,
  ownPurchases: '90000.00',
  indirectPurchases: '10000.00',
  crossRegionExcluded: '2500.00',
  netPurchases: '100000.00',
  tier: { index: 0, from: '100000.00', rate: '0.02' },
  rate: '0.02',
  rebate: '2000.00',
  nextTier: { index: 1, from: '250000.00', rate: '0.03' },
  gapToNextTier: '150000.00',
};

export const Accruals = Type.Object(
  {
    programId: Uuid,
    period: Type.String(),
    periodStart: Type.String({ format: 'date' }),
    periodEnd: Type.String({ format: 'date', description: 'Last day of the period (inclusive).' }),
    closed: Type.Boolean({ description: 'The last day of the period is before today.' }),
    settled: Type.Boolean(),
    settlementId: Nullable(Uuid),
    currency: Type.String(),
    mode: Type.String(),
    totalRebate: Type.String(),
    data: Type.Array(ChannelAccrual, { description: 'One row per covered channel customer.' }),
  },
  {
    example: {
      programId: PROGRAM,
      period: '2026-Q3',
      periodStart: '2026-07-01',
      periodEnd: '2026-09-30',
      closed: true,
      settled: false,
      settlementId: null,
      currency: 'USD',
      mode: 'whole',
      totalRebate: '2000.00',
      data: [accrualExample],
    },
  },
);
export type Accruals = Static<typeof Accruals>;
export type ChannelAccrualView = Static<typeof ChannelAccrual>;

export const SettlementCreate = Type.Object(
  {
    period: PeriodQuery.properties.period,
  },
  { additionalProperties: false, example: { period: '2026-Q3' } },
);
export type SettlementCreate = Static<typeof SettlementCreate>;

export const Settlement = Type.Object(
  {
    id: Uuid,
    programId: Uuid,
    period: Type.String(),
    periodStart: Type.String({ format: 'date' }),
    periodEnd: Type.String({ format: 'date' }),
    currency: Type.String(),
    mode: Type.String(),
    tiers: Type.Array(Type.Object({ from: Type.String(), rate: Type.String() }), {
      description: 'The tier table as it was when settled.',
    }),
    totalRebate: Type.String(),
    settledAt: Timestamp,
    lines: Type.Array(
      Type.Object({
        channelCustomerId: Uuid,
        netPurchases: Type.String(),
        tierIndex: Nullable(Type.Integer()),
        rate: Type.String(),
        rebate: Type.String(),
        creditId: Nullable(
          Type.String({
            format: 'uuid',
            description: "The credit on the channel's receivables; null for a rebate of 0.",
          }),
        ),
      }),
    ),
  },
  {
    $id: 'RebateSettlement',
    title: 'RebateSettlement',
    example: {
      id: '0192f3f1-2b3c-7d4e-9f50-6b7c8d9e0f1a',
      programId: PROGRAM,
      period: '2026-Q3',
      periodStart: '2026-07-01',
      periodEnd: '2026-09-30',
      currency: 'USD',
      mode: 'whole',
      tiers: TIERS_EXAMPLE,
      totalRebate: '2000.00',
      settledAt: '2026-11-23T08:00:00.000Z',
      lines: [
        {
          channelCustomerId: CHANNEL_A,
          netPurchases: '100000.00',
          tierIndex: 0,
          rate: '0.02',
          rebate: '2000.00',
          creditId: '0192f3f1-2b3c-7d4e-9f50-6b7c8d9e0f1b',
        },
      ],
    },
  },
);
export type Settlement = Static<typeof Settlement>;

export const SettlementListQuery = Type.Object(
  { limit: Type.Optional(PageLimit), cursor: Type.Optional(PageCursor) },
  { additionalProperties: false },
);
export type SettlementListQuery = Static<typeof SettlementListQuery>;
export const SettlementPage = pageOf(Type.Ref('RebateSettlement'));
