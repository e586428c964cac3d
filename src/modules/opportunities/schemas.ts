import { Type, type Static } from 'typebox';
import { BatchResult, batchBodyOf } from '../shared/batch/schemas';
import { Currency, Money } from '../orders/money-schema';
import { DateOnly, Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';

const StageName = Type.String({
  pattern: '^[a-z][a-z0-9_]{0,39}$',
  description:
    'A stage of the pipeline (OPPORTUNITY_STAGES; default qualification, proposal, negotiation, won, lost).',
  example: 'proposal',
});
const Probability = Type.Number({
  minimum: 0,
  maximum: 1,
  description: "Chance of winning, 0-1; defaults to the stage's (and follows a stage change unless given).",
});
export const LostReason = Type.String({
  pattern: '^[a-z0-9][a-z0-9_.-]{0,49}$',
  description:
    'Why it was lost, as a short lower-case code (`price`, `competitor`, `timing`); kept on the customer as the tag `not-converted:<reason>`.',
  example: 'price',
});

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200, description: 'What is being sold.' }),
  stage: StageName,
  amount: Money,
  currency: Currency,
  expectedCloseDate: Nullable(DateOnly),
  owner: Nullable(Type.String({ minLength: 1, maxLength: 200, description: 'The salesperson.' })),
  probability: Probability,
  orderId: Nullable(Type.String({ format: 'uuid', description: 'The order a won opportunity became.' })),
  lostReason: Nullable(LostReason),
  notes: Nullable(Type.String({ maxLength: 5000 })),
};

const example = {
  externalId: 'CRM-OPP-77',
  customerId: '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
  name: 'Spring tea gift boxes',
  stage: 'proposal',
  amount: '12000.00',
  currency: 'CNY',
  expectedCloseDate: '2027-01-15',
  owner: 'li.na',
  probability: 0.4,
};

export const OpportunityCreate = Type.Object(
  {
    externalId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
    customerId: Type.Optional(Type.String({ format: 'uuid' })),
    customerExternalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    name: fields.name,
    stage: Type.Optional(fields.stage),
    amount: fields.amount,
    currency: fields.currency,
    expectedCloseDate: Type.Optional(fields.expectedCloseDate),
    owner: Type.Optional(fields.owner),
    probability: Type.Optional(fields.probability),
    orderId: Type.Optional(fields.orderId),
    lostReason: Type.Optional(fields.lostReason),
    notes: Type.Optional(fields.notes),
  },
  {
    additionalProperties: false,
    description:
      'Exactly one of customerId and customerExternalId. `stage` defaults to the first of the pipeline.',
    example,
  },
);
export type OpportunityCreate = Static<typeof OpportunityCreate>;

export const OpportunityPatch = Type.Partial(Type.Object(fields), {
  additionalProperties: false,
  minProperties: 1,
  example: { stage: 'negotiation', amount: '11500.00' },
});
export type OpportunityPatch = Static<typeof OpportunityPatch>;

export const OpportunityTransition = Type.Object(
  {
    to: StageName,
    probability: Type.Optional(Probability),
    orderId: Type.Optional(Type.String({ format: 'uuid', description: 'Required to move to won.' })),
    lostReason: Type.Optional(LostReason),
    note: Type.Optional(Type.String({ maxLength: 5000, description: 'Appended to the notes.' })),
  },
  { additionalProperties: false, example: { to: 'lost', lostReason: 'price' } },
);
export type OpportunityTransition = Static<typeof OpportunityTransition>;

export const OpportunityBatchItem = Type.Object(
  { ...OpportunityCreate.properties, externalId: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type OpportunityBatchItem = Static<typeof OpportunityBatchItem>;
export const OpportunityBatch = batchBodyOf(OpportunityBatchItem, example);
export { BatchResult };

export const Opportunity = Type.Object(
  {
    id: Uuid,
    externalId: Nullable(Type.String()),
    customerId: Uuid,
    name: Type.String(),
    stage: Type.String(),
    amount: Type.String(),
    currency: Type.String(),
    expectedCloseDate: Nullable(DateOnly),
    owner: Nullable(Type.String()),
    probability: Type.Number(),
    weightedAmount: Type.String({ description: 'amount x probability, to the cent.' }),
    orderId: Nullable(Uuid),
    lostReason: Nullable(Type.String()),
    closedAt: Nullable(Timestamp),
    notes: Nullable(Type.String()),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    $id: 'Opportunity',
    title: 'Opportunity',
    example: {
      id: '0192f3e1-5d6e-7f8a-9b0c-1d2e3f4a5b6c',
      ...example,
      weightedAmount: '4800.00',
      orderId: null,
      lostReason: null,
      closedAt: null,
      notes: null,
      version: 1,
      createdAt: '2026-11-23T08:00:00.000Z',
      updatedAt: '2026-11-23T08:00:00.000Z',
    },
  },
);
export type Opportunity = Static<typeof Opportunity>;

export const OpportunityListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    stage: Type.Optional(StageName),
    owner: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    customerId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);
export type OpportunityListQuery = Static<typeof OpportunityListQuery>;
export const OpportunityPage = pageOf(Type.Ref('Opportunity'));

export const PipelineQuery = Type.Object(
  {
    from: Type.Optional({
      ...DateOnly,
      description: 'Only opportunities expected to close on or after this day.',
    }),
    to: Type.Optional({
      ...DateOnly,
      description: 'Only opportunities expected to close on or before this day.',
    }),
    owner: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type PipelineQuery = Static<typeof PipelineQuery>;

const Sums = {
  currency: Type.String(),
  count: Type.Integer(),
  amount: Type.String({ description: 'Sum of the amounts.' }),
  weightedAmount: Type.String({ description: 'Sum of amount x probability, to the cent.' }),
};
const sums = { currency: 'CNY', count: 2, amount: '20000.00', weightedAmount: '8000.00' };

export const PipelineReport = Type.Object(
  {
    stages: Type.Array(
      Type.Object({ name: Type.String(), probability: Type.Number(), closed: Type.Boolean() }),
      {
        description: 'The configured pipeline, in order.',
      },
    ),
    totals: Type.Array(Type.Object(Sums), { description: 'Every opportunity, per currency.' }),
    byStage: Type.Array(Type.Object({ stage: Type.String(), ...Sums }), {
      description: 'In pipeline order.',
    }),
    byOwner: Type.Array(Type.Object({ owner: Nullable(Type.String()), ...Sums })),
  },
  {
    example: {
      stages: [{ name: 'proposal', probability: 0.4, closed: false }],
      totals: [sums],
      byStage: [{ stage: 'proposal', ...sums }],
      byOwner: [{ owner: 'li.na', ...sums }],
    },
  },
);
