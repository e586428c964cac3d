import { Type, type Static } from 'typebox';
import { BatchResult, batchBodyOf } from '../shared/batch/schemas';
import { DateOnly, Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';

export const SURVEY_KINDS = ['csat', 'nps'] as const;
export const SATISFACTION_GROUPS = ['month', 'product', 'owner'] as const;

const Kind = Type.Enum(SURVEY_KINDS, { description: '`csat` scores 1-5, `nps` scores 0-10.' });
const Score = Type.Integer({
  minimum: 0,
  maximum: 10,
  description: "CSAT 1-5 or NPS 0-10 (a score outside its kind's scale is 400 `validation_failed`).",
});
const LinkId = (what: string) =>
  Nullable(Type.String({ format: 'uuid', description: `The ${what} the answer is about.` }));

const links = {
  orderId: Type.Optional(LinkId("order (must exist and be the customer's)")),
  serviceRecordId: Type.Optional(LinkId('service record')),
  complaintId: Type.Optional(LinkId('complaint')),
  interactionId: Type.Optional(LinkId('interaction')),
};

const example = {
  externalId: 'SURVEY-2026-0042',
  customerId: '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
  kind: 'nps',
  score: 9,
  comment: 'Quick delivery, friendly installer.',
  respondedAt: '2026-11-23T08:00:00.000Z',
  orderId: '0192f3c5-1e2d-7a4b-9c3d-2b1a0f9e8d7c',
};

export const SurveyResponseCreate = Type.Object(
  {
    externalId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
    customerId: Type.Optional(Type.String({ format: 'uuid' })),
    customerExternalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    kind: Kind,
    score: Score,
    comment: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
    respondedAt: Type.Optional(Timestamp),
    ...links,
  },
  {
    additionalProperties: false,
    description:
      'Exactly one of customerId and customerExternalId, and exactly one of orderId, serviceRecordId, complaintId and interactionId.',
    example,
  },
);
export type SurveyResponseCreate = Static<typeof SurveyResponseCreate>;

export const SurveyResponsePatch = Type.Object(
  {
    kind: Type.Optional(Kind),
    score: Type.Optional(Score),
    comment: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
    respondedAt: Type.Optional(Timestamp),
    ...links,
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Naming a link replaces the stored one; the answer must still have exactly one.',
    example: { score: 10, comment: 'Called back the next day.' },
  },
);
export type SurveyResponsePatch = Static<typeof SurveyResponsePatch>;

export const SurveyResponseBatchItem = Type.Object(
  { ...SurveyResponseCreate.properties, externalId: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type SurveyResponseBatchItem = Static<typeof SurveyResponseBatchItem>;

export const SurveyResponseBatch = batchBodyOf(SurveyResponseBatchItem, example);
export { BatchResult };

export const SurveyResponse = Type.Object(
  {
    id: Uuid,
    externalId: Nullable(Type.String()),
    customerId: Uuid,
    kind: Kind,
    score: Type.Integer(),
    comment: Nullable(Type.String()),
    respondedAt: Timestamp,
    orderId: Nullable(Uuid),
    serviceRecordId: Nullable(Uuid),
    complaintId: Nullable(Uuid),
    interactionId: Nullable(Uuid),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    $id: 'SurveyResponse',
    title: 'SurveyResponse',
    example: {
      id: '0192f3e0-4c5d-7e6f-8a7b-9c0d1e2f3a4b',
      ...example,
      serviceRecordId: null,
      complaintId: null,
      interactionId: null,
      version: 1,
      createdAt: '2026-11-23T08:00:00.000Z',
      updatedAt: '2026-11-23T08:00:00.000Z',
    },
  },
);
export type SurveyResponse = Static<typeof SurveyResponse>;

export const SurveyResponseListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    customerId: Type.Optional(Type.String({ format: 'uuid' })),
    kind: Type.Optional(Kind),
    from: Type.Optional({ ...DateOnly, description: 'Answers given on or after this day (UTC).' }),
    to: Type.Optional({ ...DateOnly, description: 'Answers given on or before this day (UTC).' }),
  },
  { additionalProperties: false },
);
export type SurveyResponseListQuery = Static<typeof SurveyResponseListQuery>;

export const SurveyResponsePage = pageOf(Type.Ref('SurveyResponse'));

export const SatisfactionQuery = Type.Object(
  {
    customerId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: "Only this customer's answers (its satisfaction over time).",
      }),
    ),
    from: Type.Optional({ ...DateOnly, description: 'First day counted (UTC); default: all answers.' }),
    to: Type.Optional({ ...DateOnly, description: 'Last day counted (UTC), inclusive.' }),
    groupBy: Type.Optional(
      Type.Enum(SATISFACTION_GROUPS, {
        description:
          "`month` of the answer (UTC), `product` on the linked order's lines (an answer counts once per distinct product of its order), or `owner` of the customer. Default `month`.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type SatisfactionQuery = Static<typeof SatisfactionQuery>;

const Figures = {
  responses: Type.Integer({ description: 'CSAT and NPS answers together.' }),
  csat: Type.Object({
    responses: Type.Integer(),
    average: Nullable(
      Type.Number({ description: 'Mean CSAT score (1-5), 4 decimals; null without answers.' }),
    ),
  }),
  nps: Type.Object({
    responses: Type.Integer(),
    promoters: Type.Integer({ description: 'Scores 9-10.' }),
    passives: Type.Integer({ description: 'Scores 7-8.' }),
    detractors: Type.Integer({ description: 'Scores 0-6.' }),
    score: Nullable(
      Type.Number({
        description: '% promoters - % detractors (-100..100), 2 decimals; null without answers.',
      }),
    ),
  }),
};

const figuresExample = {
  responses: 11,
  csat: { responses: 4, average: 3.75 },
  nps: { responses: 7, promoters: 3, passives: 2, detractors: 2, score: 14.29 },
};

export const SatisfactionReport = Type.Object(
  {
    from: Nullable(Type.String()),
    to: Nullable(Type.String()),
    groupBy: Type.Enum(SATISFACTION_GROUPS),
    total: Type.Object(Figures, { description: 'Every answer in the range, once.' }),
    groups: Type.Array(
      Type.Object({
        key: Nullable(
          Type.String({
            description:
              'The month (YYYY-MM), product id or owner; null for answers without a product or a customer without an owner.',
          }),
        ),
        label: Nullable(Type.String({ description: 'The product name or owner; null for months.' })),
        ...Figures,
      }),
    ),
  },
  {
    example: {
      from: '2026-11-01',
      to: '2026-11-30',
      groupBy: 'month',
      total: figuresExample,
      groups: [{ key: '2026-11', label: null, ...figuresExample }],
    },
  },
);
