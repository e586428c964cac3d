import { Type, type Static } from 'typebox';
import { DateOnly, Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';

const Owner = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'Who is to make the visit (a name or a login).',
});
const Purpose = Type.String({ maxLength: 2000, description: 'What the visit is for.' });
const CUSTOMER = '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f';

export const FollowUpCreate = Type.Object(
  {
    customerId: Uuid,
    contactId: Type.Optional(Nullable({ ...Uuid, description: 'The contact person to visit.' })),
    owner: Owner,
    plannedAt: Timestamp,
    purpose: Type.Optional(Nullable(Purpose)),
  },
  {
    additionalProperties: false,
    example: {
      customerId: CUSTOMER,
      owner: 'wang.fang',
      plannedAt: '2026-11-30T09:00:00.000Z',
      purpose: 'Check the new brewing line',
    },
  },
);
export type FollowUpCreate = Static<typeof FollowUpCreate>;

export const FollowUpPatch = Type.Partial(
  Type.Object({ contactId: Nullable(Uuid), owner: Owner, plannedAt: Timestamp, purpose: Nullable(Purpose) }),
  { additionalProperties: false, minProperties: 1, example: { plannedAt: '2026-12-01T09:00:00.000Z' } },
);
export type FollowUpPatch = Static<typeof FollowUpPatch>;

export const NextFollowUp = Type.Object(
  {
    plannedAt: Timestamp,
    owner: Type.Optional({ ...Owner, description: 'Default: the owner of the completed one.' }),
    contactId: Type.Optional(
      Nullable({ ...Uuid, description: 'Default: the contact of the completed one.' }),
    ),
    purpose: Type.Optional(Nullable(Purpose)),
  },
  { additionalProperties: false, description: 'Plans the following visit.' },
);

export const FollowUpComplete = Type.Object(
  {
    content: Type.String({ minLength: 1, maxLength: 20_000, description: 'What was discussed and done.' }),
    outcome: Type.String({ minLength: 1, maxLength: 2000, description: 'What came of it.' }),
    completedAt: Type.Optional({ ...Timestamp, description: 'When the visit took place; default now.' }),
    next: Type.Optional(NextFollowUp),
  },
  {
    additionalProperties: false,
    example: {
      content: 'Walked through the new line with the plant manager.',
      outcome: 'Satisfied; wants a quote for a second line.',
      completedAt: '2026-11-30T11:00:00.000Z',
      next: { plannedAt: '2027-01-15T09:00:00.000Z', purpose: 'Bring the quote' },
    },
  },
);
export type FollowUpComplete = Static<typeof FollowUpComplete>;

const FOLLOW_UP_EXAMPLE = {
  id: '0192f3d1-2b3c-7d4e-8f5a-6b7c8d9e0f1a',
  customerId: CUSTOMER,
  contactId: null,
  owner: 'wang.fang',
  plannedAt: '2026-11-30T09:00:00.000Z',
  purpose: 'Check the new brewing line',
  status: 'open',
  overdue: false,
  completedAt: null,
  content: null,
  outcome: null,
  doneOnTime: null,
  previousId: null,
  nextId: null,
  version: 1,
  createdAt: '2026-11-23T08:00:00.000Z',
  updatedAt: '2026-11-23T08:00:00.000Z',
};

export const FollowUp = Type.Object(
  {
    id: Uuid,
    customerId: Uuid,
    contactId: Nullable(Uuid),
    owner: Type.String(),
    plannedAt: Timestamp,
    purpose: Nullable(Type.String()),
    status: Type.Enum(['open', 'done'], { description: 'done once completed.' }),
    overdue: Type.Boolean({ description: 'Open and its planned time has passed (by the server clock).' }),
    completedAt: Nullable(Timestamp),
    content: Nullable(Type.String()),
    outcome: Nullable(Type.String()),
    doneOnTime: Nullable(
      Type.Boolean({
        description: 'Completed no later than plannedAt plus FOLLOW_UP_GRACE_MINUTES; null while open.',
      }),
    ),
    previousId: Nullable({ ...Uuid, description: 'The follow-up whose completion planned this one.' }),
    nextId: Nullable({ ...Uuid, description: 'The follow-up this one planned when completed.' }),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'FollowUp', title: 'FollowUp', example: FOLLOW_UP_EXAMPLE },
);
export type FollowUp = Static<typeof FollowUp>;

export const FollowUpCompletion = Type.Object(
  { followUp: Type.Ref('FollowUp'), next: Nullable(Type.Ref('FollowUp')) },
  {
    description: 'The completed follow-up, and the next one when `next` planned it.',
    example: {
      followUp: {
        ...FOLLOW_UP_EXAMPLE,
        status: 'done',
        completedAt: '2026-11-30T11:00:00.000Z',
        content: 'Walked through the new line with the plant manager.',
        outcome: 'Satisfied; wants a quote for a second line.',
        doneOnTime: true,
        nextId: '0192f3d1-2b3c-7d4e-8f5a-6b7c8d9e0f1b',
        version: 2,
      },
      next: {
        ...FOLLOW_UP_EXAMPLE,
        id: '0192f3d1-2b3c-7d4e-8f5a-6b7c8d9e0f1b',
        plannedAt: '2027-01-15T09:00:00.000Z',
        purpose: 'Bring the quote',
        previousId: FOLLOW_UP_EXAMPLE.id,
      },
    },
  },
);

export const FOLLOW_UP_SORTS = ['plannedAt', '-valueAtStake'] as const;
export type FollowUpSort = (typeof FOLLOW_UP_SORTS)[number];

export const FollowUpListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    owner: Type.Optional(Owner),
    customerId: Type.Optional(Uuid),
    status: Type.Optional(Type.Enum(['open', 'done'])),
    overdue: Type.Optional(
      Type.Boolean({ description: 'true: open with plannedAt passed; false: the others.' }),
    ),
    from: Type.Optional({ ...DateOnly, description: 'Planned on or after this day (UTC).' }),
    to: Type.Optional({ ...DateOnly, description: 'Planned on or before this day (UTC).' }),
    sort: Type.Optional(
      Type.Enum(FOLLOW_UP_SORTS, {
        default: 'plannedAt',
        description:
          '`plannedAt`: earliest first. `-valueAtStake`: the customers the latest analytics run would lose most by losing first (predicted CLV x (1 - P(alive)); customers it did not value last).',
      }),
    ),
  },
  { additionalProperties: false },
);
export type FollowUpListQuery = Static<typeof FollowUpListQuery>;

export const FollowUpPage = pageOf(Type.Ref('FollowUp'));

export const FollowUpReportQuery = Type.Object(
  {
    from: Type.Optional({
      ...DateOnly,
      description: 'Follow-ups planned on or after this day (UTC).',
      example: '2026-11-01',
    }),
    to: Type.Optional({
      ...DateOnly,
      description: 'Follow-ups planned on or before this day (UTC).',
      example: '2026-11-30',
    }),
  },
  { additionalProperties: false },
);
export type FollowUpReportQuery = Static<typeof FollowUpReportQuery>;

const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }));
const figures = {
  planned: Type.Integer({ description: 'Follow-ups planned in the range.' }),
  done: Type.Integer({ description: 'Of those, completed.' }),
  doneOnTime: Type.Integer({ description: 'Completed no later than plannedAt plus the grace.' }),
  overdue: Type.Integer({ description: 'Open with plannedAt passed (server clock).' }),
  completionRate: { ...Rate, description: 'done / planned; null when nothing was planned.' },
  onTimeRate: { ...Rate, description: 'doneOnTime / done; null when nothing was done.' },
};

export const FollowUpReport = Type.Object(
  {
    from: Nullable(DateOnly),
    to: Nullable(DateOnly),
    asOf: Timestamp,
    graceMinutes: Type.Integer(),
    owners: Type.Array(Type.Object({ owner: Type.String(), ...figures })),
    total: Type.Object(figures),
  },
  {
    example: {
      from: '2026-11-01',
      to: '2026-11-30',
      asOf: '2026-11-23T08:00:00.000Z',
      graceMinutes: 1440,
      owners: [
        {
          owner: 'wang.fang',
          planned: 4,
          done: 3,
          doneOnTime: 2,
          overdue: 1,
          completionRate: 0.75,
          onTimeRate: 0.6667,
        },
      ],
      total: { planned: 4, done: 3, doneOnTime: 2, overdue: 1, completionRate: 0.75, onTimeRate: 0.6667 },
    },
  },
);
