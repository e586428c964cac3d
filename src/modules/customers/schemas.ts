import { Type, type Static } from 'typebox';
import { BatchResult, batchBodyOf, ExternalIdParams } from '../shared/batch/schemas';
import { DateOnly, Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';

export const CATEGORIES = ['consumer', 'enterprise', 'channel', 'internal'] as const;
export const KINDS = ['person', 'organization'] as const;
export const INTERESTS = ['product', 'service', 'potential'] as const;
export const LIFECYCLE_STAGES = ['selection', 'acquisition', 'retention', 'extension'] as const;
export const CHURN_STATUSES = ['active', 'at_risk', 'churned', 'won_back'] as const;
/** What moved a stage or a churn status (docs/lifecycle.md). */
export const LIFECYCLE_CAUSES = ['rule', 'model', 'manual', 'purchase'] as const;
/** Which birthday care occasions follow (docs/care.md). */
export const BIRTHDAY_CALENDARS = ['gregorian', 'lunar'] as const;
/** docs/domain.md section 1: time (past, present, future) by concern (function, economy, feeling). */
export const VALUE_ORIENTATIONS = [
  'laggard',
  'calculating',
  'nostalgic',
  'practical',
  'bargain-seeking',
  'status-seeking',
  'early-adopter',
  'far-sighted',
  'perfectionist',
] as const;

const literals = <const T extends string[]>(values: readonly [...T], description?: string) =>
  Type.Enum(values, description ? { description } : {});

const ShortText = (max = 200) => Type.String({ minLength: 1, maxLength: max });

export const Email = Type.Object(
  { address: Type.String({ format: 'email', maxLength: 320 }), label: Type.Optional(ShortText(50)) },
  { additionalProperties: false },
);
export const Phone = Type.Object(
  {
    number: Type.String({
      pattern: '^\\+?[0-9 ()./-]{3,40}$',
      description: 'Digits, spaces and ()./- ; E.164 preferred.',
    }),
    label: Type.Optional(ShortText(50)),
  },
  { additionalProperties: false },
);
export const Address = Type.Object(
  {
    label: Type.Optional(ShortText(50)),
    line1: Type.Optional(ShortText()),
    line2: Type.Optional(ShortText()),
    city: Type.Optional(ShortText(100)),
    region: Type.Optional(ShortText(100)),
    postalCode: Type.Optional(ShortText(20)),
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2.' })),
  },
  { additionalProperties: false },
);

export const Tag = Type.String({
  pattern: '^[a-z0-9][a-z0-9_.:-]{0,63}$',
  description: 'Lower-case label; a prefix before `:` groups tags, e.g. `not-converted:price`.',
});

/** A Chinese lunar birthday: month and day without a year; the next date comes from the lunar calendar. */
export const LunarBirthday = Type.Object(
  {
    month: Type.Integer({ minimum: 1, maximum: 12, description: 'Lunar month, 1-12.' }),
    day: Type.Integer({ minimum: 1, maximum: 30, description: 'Day of the lunar month, 1-30.' }),
    leapMonth: Type.Boolean({
      description:
        'Born in the leap (intercalary) month of that number; in a year without it the regular month counts.',
    }),
  },
  { additionalProperties: false, example: { month: 8, day: 15, leapMonth: false } },
);

/** A lunar birthday as written: `leapMonth` may be left out for a regular month. */
export const LunarBirthdayInput = Type.Object(
  {
    ...LunarBirthday.properties,
    leapMonth: Type.Optional({ ...LunarBirthday.properties.leapMonth, default: false }),
  },
  { additionalProperties: false, example: { month: 8, day: 15, leapMonth: false } },
);

const CustomFields = Type.Record(
  Type.String({ pattern: '^[A-Za-z0-9_]{1,64}$' }),
  Nullable(Type.Union([Type.String({ maxLength: 1000 }), Type.Number(), Type.Boolean()])),
  {
    description:
      'Scalar values by key (1-64 letters, digits or underscores; other keys are refused); filter with `cf.<key>=<value>`.',
    maxProperties: 100,
    additionalProperties: false,
  },
);

export const StarsOverrideInput = Type.Object(
  {
    stars: Type.Integer({ minimum: 1, maximum: 5 }),
    reason: ShortText(500),
  },
  {
    additionalProperties: false,
    description: 'A manual star rating; the author is the API key that sets it.',
  },
);

/** The fields a caller may write; everything else on a customer is read-only. */
const writable = {
  externalId: Nullable(
    Type.String({ minLength: 1, maxLength: 200, description: "Your system's id; unique." }),
  ),
  kind: literals(KINDS),
  category: literals(CATEGORIES),
  name: ShortText(),
  givenName: Nullable(ShortText(100)),
  familyName: Nullable(ShortText(100)),
  emails: Type.Array(Email, { maxItems: 20 }),
  phones: Type.Array(Phone, { maxItems: 20 }),
  addresses: Type.Array(Address, { maxItems: 20 }),
  birthday: Nullable(DateOnly),
  birthdayCalendar: literals(
    BIRTHDAY_CALENDARS,
    'Which birthday greets the customer: `birthday` (gregorian) or `lunarBirthday` (lunar, which it then needs).',
  ),
  lunarBirthday: Nullable(LunarBirthdayInput),
  preferences: Type.Array(ShortText(), { maxItems: 100 }),
  hobbies: Type.Array(ShortText(), { maxItems: 100 }),
  habits: Nullable(Type.String({ maxLength: 5000, description: 'Consumption habits.' })),
  notes: Nullable(Type.String({ maxLength: 20000 })),
  viaChannelId: Nullable(
    Type.String({ format: 'uuid', description: 'The channel customer this one buys through (indirect).' }),
  ),
  interests: Type.Array(literals(INTERESTS), { uniqueItems: true }),
  region: Nullable(ShortText(100)),
  owner: Nullable(ShortText(200)),
  lifecycleStage: literals(LIFECYCLE_STAGES),
  valueOrientation: Nullable(literals(VALUE_ORIENTATIONS)),
  starsOverride: Nullable(StarsOverrideInput),
  customFields: CustomFields,
  tags: Type.Array(Tag, { maxItems: 500, uniqueItems: true }),
};

export type WritableCustomer = { [K in keyof typeof writable]: Static<(typeof writable)[K]> };

const createExample = {
  externalId: 'ERP-10042',
  kind: 'person',
  category: 'consumer',
  name: 'Ada Lovelace',
  emails: [{ address: 'ada@example.com', label: 'work' }],
  phones: [{ number: '+44 20 7946 0000' }],
  region: 'north',
  tags: ['vip', 'interest:product-x'],
  customFields: { tier: 'gold' },
};

export const CustomerCreate = Type.Object(
  { ...Type.Partial(Type.Object(writable)).properties, name: writable.name },
  { additionalProperties: false, example: createExample },
);
export type CustomerCreate = Static<typeof CustomerCreate>;

export const CustomerPatch = Type.Partial(Type.Object(writable), {
  additionalProperties: false,
  minProperties: 1,
  example: { region: 'south', tags: ['vip'] },
});
export type CustomerPatch = Static<typeof CustomerPatch>;

/** Upsert by external id: the id comes from the path, so the body may not name another. */
export const CustomerUpsert = Type.Object(
  { ...Type.Partial(Type.Object(writable)).properties, externalId: Type.Optional(writable.externalId) },
  { additionalProperties: false, example: { name: 'Ada Lovelace', category: 'consumer', region: 'north' } },
);
export type CustomerUpsert = Static<typeof CustomerUpsert>;

/** The customer's churn status as it stands, with when and why it was set. */
export const ChurnState = Type.Object(
  {
    status: Nullable(literals(CHURN_STATUSES)),
    since: Nullable(Timestamp),
    reason: Nullable(Type.String({ description: 'The reason given with a churn recorded by hand.' })),
    cause: Nullable(
      literals(LIFECYCLE_CAUSES, 'What set the status: a rule, the model, a person, a purchase.'),
    ),
    attribution: Nullable(
      Type.Object(
        {},
        {
          description:
            'What a win-back is attributed to (a campaign, follow-up or interaction); always null for now.',
        },
      ),
    ),
  },
  {
    description:
      'The churn status with when it was set and what set it; every field null while there is none.',
    examples: [
      {
        status: 'churned',
        since: '2026-10-05T09:30:00.000Z',
        reason: 'price',
        cause: 'manual',
        attribution: null,
      },
      {
        status: 'at_risk',
        since: '2026-11-02T00:00:00.000Z',
        reason: null,
        cause: 'rule',
        attribution: null,
      },
      { status: null, since: null, reason: null, cause: null, attribution: null },
    ],
  },
);

export const Customer = Type.Object(
  {
    id: Uuid,
    externalId: Nullable(Type.String()),
    kind: literals(KINDS),
    category: literals(CATEGORIES),
    name: Type.String(),
    givenName: Nullable(Type.String()),
    familyName: Nullable(Type.String()),
    emails: Type.Array(Email),
    phones: Type.Array(Phone),
    addresses: Type.Array(Address),
    birthday: Nullable(Type.String()),
    birthdayCalendar: literals(BIRTHDAY_CALENDARS),
    lunarBirthday: Nullable(LunarBirthday),
    preferences: Type.Array(Type.String()),
    hobbies: Type.Array(Type.String()),
    habits: Nullable(Type.String()),
    notes: Nullable(Type.String()),
    direct: Type.Boolean({ description: 'False when the customer buys through a channel (viaChannelId).' }),
    viaChannelId: Nullable(Type.String()),
    interests: Type.Array(Type.String()),
    region: Nullable(Type.String()),
    owner: Nullable(Type.String()),
    stars: Nullable(
      Type.Integer({
        description:
          "The override if set, else the latest analytics run's stars (from the value class); null when neither.",
      }),
    ),
    starsOverride: Nullable(
      Type.Object({ stars: Type.Integer(), reason: Type.String(), by: Type.String(), at: Timestamp }),
    ),
    lifecycleStage: literals(
      LIFECYCLE_STAGES,
      'Where the customer stands: set by hand or moved by purchases (`GET /v1/customers/{id}/lifecycle` has the history).',
    ),
    churnStatus: Nullable(
      literals(CHURN_STATUSES, 'Null while the customer has never bought (nor been churned by hand).'),
    ),
    churn: ChurnState,
    valueOrientation: Nullable(Type.String()),
    customFields: Type.Record(
      Type.String(),
      Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
    ),
    tags: Type.Array(Type.String()),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    deletedAt: Nullable(Timestamp),
    value: Nullable(
      Type.Object(
        {
          valueClass: Type.String(),
          rfmSegment: Type.String(),
          rfmCode: Type.String(),
          clv: Type.Number({ description: "Predicted CLV over the run's horizon." }),
          pAlive: Nullable(Type.Number()),
          runId: Uuid,
        },
        { description: 'From the latest analytics run; null until the customer has been valued.' },
      ),
    ),
  },
  { $id: 'Customer', title: 'Customer' },
);
export type Customer = Static<typeof Customer>;

export const CUSTOMER_SORTS = [
  'name',
  '-name',
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
  'clv',
  '-clv',
  'pAlive',
  '-pAlive',
] as const;
export const VALUE_CLASSES = ['platinum', 'gold', 'silver', 'development', 'optimization', 'new'] as const;
export const RFM_SEGMENTS = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cannot_lose',
  'hibernating',
  'lost',
] as const;

export const CustomerListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    sort: Type.Optional(literals(CUSTOMER_SORTS, 'Sort key; `-` for descending. Default `createdAt`.')),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          'Substring of name, email, phone, address or notes (case-insensitive). One character is enough for Chinese, Japanese or Korean text, e.g. `王`.',
      }),
    ),
    category: Type.Optional(literals(CATEGORIES)),
    kind: Type.Optional(literals(KINDS)),
    tag: Type.Optional(
      Type.Array(Tag, { maxItems: 20, description: 'Repeat for customers carrying all of them.' }),
    ),
    region: Type.Optional(ShortText(100)),
    owner: Type.Optional(ShortText(200)),
    lifecycleStage: Type.Optional(literals(LIFECYCLE_STAGES)),
    churnStatus: Type.Optional(literals(CHURN_STATUSES)),
    valueClass: Type.Optional(literals(VALUE_CLASSES, 'From the latest analytics run.')),
    rfmSegment: Type.Optional(literals(RFM_SEGMENTS, 'From the latest analytics run.')),
    clvMin: Type.Optional(Type.Number({ description: 'Predicted CLV at least this (latest run).' })),
    clvMax: Type.Optional(Type.Number()),
    pAliveMin: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    pAliveMax: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    stars: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    viaChannelId: Type.Optional(Type.String({ format: 'uuid' })),
    createdFrom: Type.Optional(Timestamp),
    createdTo: Type.Optional(Timestamp),
    updatedFrom: Type.Optional(Timestamp),
    updatedTo: Type.Optional(Timestamp),
    includeDeleted: Type.Optional(Type.Boolean({ default: false })),
  },
  {
    additionalProperties: false,
    patternProperties: { '^cf\\.[A-Za-z0-9_]{1,64}$': Type.String({ maxLength: 1000 }) },
  },
);
export type CustomerListQuery = Static<typeof CustomerListQuery>;

export const CustomerPage = pageOf(Type.Ref('Customer'));

export const BatchItem = Type.Object(
  {
    ...Type.Partial(Type.Object(writable)).properties,
    externalId: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type BatchItem = Static<typeof BatchItem>;

export const CustomerBatch = batchBodyOf(BatchItem, {
  externalId: 'ERP-1',
  name: 'Acme Ltd',
  kind: 'organization',
  category: 'enterprise',
});

export { BatchResult };

export { ExternalIdParams };

export const GetQuery = Type.Object(
  { includeDeleted: Type.Optional(Type.Boolean({ default: false })) },
  { additionalProperties: false },
);
