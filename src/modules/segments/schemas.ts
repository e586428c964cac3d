import { Type, type Static, type TSchema } from 'typebox';
import { CustomerListQuery } from '../customers/schemas';
import { NOT_SEGMENT_FILTERS } from '../../domain/segments/filter';
import { Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';

const SEGMENT_ID = '0192f401-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
const CUSTOMER_ID = '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f';
const RUN_ID = '0192f3c9-8e9f-7a0b-9c1d-2e3f4a5b6c7d';

/**
 * The filter a dynamic segment is saved with, checked by the service (not in the route, so that
 * an unknown key is its own 422): the parameters of GET /v1/customers but those that page or
 * order it and `includeDeleted`, valued as that list's query string would be (text is
 * converted: "1000" is 1000, a lone tag is a list of one).
 */
export const SegmentFilterSchema = Type.Object(
  Object.fromEntries(
    Object.entries(CustomerListQuery.properties).filter(([key]) => !NOT_SEGMENT_FILTERS.includes(key)),
  ),
  {
    additionalProperties: false,
    patternProperties: (CustomerListQuery as unknown as { patternProperties: Record<string, TSchema> })
      .patternProperties,
  },
);
export const LIST_PARAMETERS = Object.keys(CustomerListQuery.properties);

const FilterBody = Type.Object(
  {},
  {
    additionalProperties: true,
    description:
      'A dynamic segment\u2019s filter: the query parameters of `GET /v1/customers` as an object (`valueClass`, `rfmSegment`, `clvMin`, `clvMax`, `pAliveMin`, `pAliveMax`, `churnStatus`, `lifecycleStage`, `stars`, `tag` (a list: all of them), `category`, `kind`, `region`, `owner`, `q`, `viaChannelId`, `createdFrom`..., and `cf.<field>` for a custom field), without `limit`, `cursor`, `sort` and `includeDeleted`. An unknown key is 422 `unknown_segment_filter`, a bad value 422 `invalid_segment_filter`. `{}` is every live customer. Static segments have none.',
    example: { valueClass: 'gold', churnStatus: 'at_risk', tag: ['vip'], clvMin: 1000 },
  },
);

const Name = Type.String({ minLength: 1, maxLength: 200, description: 'What the segment is called.' });

export const SegmentCreate = Type.Object(
  {
    name: Name,
    kind: Type.Union([Type.Literal('dynamic'), Type.Literal('static')], {
      description:
        '`dynamic`: the customers its filter finds, re-materialised at each analytics run and on refresh. `static`: a list kept by hand.',
    }),
    filter: Type.Optional(FilterBody),
  },
  {
    additionalProperties: false,
    example: {
      name: 'Gold customers at risk',
      kind: 'dynamic',
      filter: { valueClass: 'gold', churnStatus: 'at_risk' },
    },
  },
);
export type SegmentCreate = Static<typeof SegmentCreate>;

export const SegmentPatch = Type.Object(
  { name: Type.Optional(Name), filter: Type.Optional(FilterBody) },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'The kind does not change. A new filter re-materialises a dynamic segment at once.',
    example: { filter: { valueClass: 'platinum' } },
  },
);
export type SegmentPatch = Static<typeof SegmentPatch>;

export const Segment = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    kind: Type.Union([Type.Literal('dynamic'), Type.Literal('static')]),
    filter: Nullable(
      Type.Object({}, { additionalProperties: true, description: 'Null for a static segment.' }),
    ),
    memberCount: Type.Integer({ description: 'Live (not deleted) members now.' }),
    refreshedAt: Nullable(
      Type.String({
        format: 'date-time',
        description:
          'When the membership last changed hands: a dynamic segment\u2019s last materialisation, a static one\u2019s last add or remove.',
      }),
    ),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    deletedAt: Nullable(Timestamp),
  },
  {
    $id: 'Segment',
    title: 'Segment',
    example: {
      id: SEGMENT_ID,
      name: 'Gold customers at risk',
      kind: 'dynamic',
      filter: { valueClass: 'gold', churnStatus: 'at_risk' },
      memberCount: 42,
      refreshedAt: '2026-11-23T08:00:00.000Z',
      version: 1,
      createdAt: '2026-11-20T08:00:00.000Z',
      updatedAt: '2026-11-20T08:00:00.000Z',
      deletedAt: null,
    },
  },
);
export type Segment = Static<typeof Segment>;

export const SegmentPage = pageOf(Type.Ref('Segment'));

export const SegmentListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    kind: Type.Optional(Type.Union([Type.Literal('dynamic'), Type.Literal('static')])),
    includeDeleted: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export type SegmentListQuery = Static<typeof SegmentListQuery>;

export const MembersAdd = Type.Object(
  {
    customerIds: Type.Array(Type.String({ format: 'uuid' }), {
      minItems: 1,
      maxItems: 1000,
      description: 'Up to 1,000 live customers; one already a member is fine (`unchanged`).',
    }),
  },
  { additionalProperties: false, example: { customerIds: [CUSTOMER_ID] } },
);
export type MembersAdd = Static<typeof MembersAdd>;

export const MembersAddResult = Type.Object(
  {
    results: Type.Array(
      Type.Object({
        index: Type.Integer({ description: 'The position in `customerIds`.' }),
        customerId: Uuid,
        outcome: Type.Union([Type.Literal('added'), Type.Literal('unchanged')], {
          description: '`added`, or `unchanged` when the customer was a member already (or named twice).',
        }),
      }),
    ),
    memberCount: Type.Integer(),
  },
  { example: { results: [{ index: 0, customerId: CUSTOMER_ID, outcome: 'added' }], memberCount: 1 } },
);

export const Member = Type.Object(
  {
    customerId: Uuid,
    externalId: Nullable(Type.String()),
    name: Type.String({ description: 'The customer\u2019s name.' }),
    addedAt: Timestamp,
  },
  {
    description: 'One member: the customer, and since when it is in.',
    example: {
      customerId: CUSTOMER_ID,
      externalId: 'ERP-C-20931',
      name: '上海明德茶业有限公司',
      addedAt: '2026-11-23T08:00:00.000Z',
    },
  },
);
export type Member = Static<typeof Member>;
export const MEMBER_CSV_COLUMNS = Object.keys(Member.properties) as Array<keyof Member & string>;

export const MemberPage = pageOf(Member);

export const PageQuery = Type.Object(
  { limit: Type.Optional(PageLimit), cursor: Type.Optional(PageCursor) },
  { additionalProperties: false },
);
export type PageQuery = Static<typeof PageQuery>;

export const MemberParams = Type.Object({
  id: Type.String({ description: 'The segment id.' }),
  customerId: Type.String({ description: 'The customer id.' }),
});

export const MemberCount = Type.Object(
  {
    count: Type.Integer({ description: 'Live members now.' }),
    refreshedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { example: { count: 42, refreshedAt: '2026-11-23T08:00:00.000Z' } },
);

export const RefreshResult = Type.Object(
  {
    memberCount: Type.Integer(),
    entered: Type.Integer({ description: 'Customers that came in.' }),
    left: Type.Integer({ description: 'Customers that went out.' }),
    refreshedAt: Timestamp,
  },
  { example: { memberCount: 42, entered: 3, left: 1, refreshedAt: '2026-11-23T08:00:00.000Z' } },
);

export const ChangesQuery = Type.Object(
  {
    runId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'An analytics run; the latest finished run when left out.',
      }),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1000,
        default: 1000,
        description: 'Ids per page, 1 to 1,000 (entered and left together).',
      }),
    ),
    cursor: Type.Optional(PageCursor),
  },
  { additionalProperties: false },
);
export type ChangesQuery = Static<typeof ChangesQuery>;

export const Changes = Type.Object(
  {
    runId: Uuid,
    entered: Type.Array(Uuid, { description: 'Customers that entered at the run, by id.' }),
    left: Type.Array(Uuid, {
      description: 'Customers that left at the run, by id (after every entered one).',
    }),
    nextCursor: Nullable(
      Type.String({ description: 'Pass as `cursor` for the next page; null on the last.' }),
    ),
  },
  { example: { runId: RUN_ID, entered: [CUSTOMER_ID], left: [], nextCursor: null } },
);
