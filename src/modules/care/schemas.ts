import { Type, type Static } from 'typebox';
import { DateOnly, Nullable, PageCursor, PageLimit, Uuid } from '../../schemas/common';

export const OCCASION_KINDS = ['birthday', 'lunar_birthday', 'anniversary'] as const;

export const OccasionQuery = Type.Object(
  {
    days: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 366,
        default: 30,
        description: 'The window: today (UTC) and the following days, this many days in all.',
      }),
    ),
    owner: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "Only this owner's customers." }),
    ),
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
  },
  { additionalProperties: false },
);
export type OccasionQuery = Static<typeof OccasionQuery>;

const example = {
  date: '2026-09-25',
  kind: 'lunar_birthday',
  years: null,
  customer: {
    id: '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
    name: '王芳',
    owner: 'li.na',
    valueClass: 'platinum',
    predictedClv: 12840.5,
  },
};

export const Occasion = Type.Object(
  {
    date: DateOnly,
    kind: Type.Enum(OCCASION_KINDS, {
      description:
        '`birthday` (Gregorian), `lunar_birthday` (the next Gregorian day of the lunar birthday), `anniversary` (of the first purchase).',
    }),
    years: Nullable(
      Type.Integer({
        description: 'Age turned or years as a customer; null for a lunar birthday (no year is kept).',
      }),
    ),
    customer: Type.Object({
      id: Uuid,
      name: Type.String(),
      owner: Nullable(Type.String()),
      valueClass: Nullable(Type.String({ description: 'From the latest analytics run; null until valued.' })),
      predictedClv: Nullable(
        Type.Number({ description: 'From the latest analytics run; null until valued.' }),
      ),
    }),
  },
  { $id: 'Occasion', title: 'Occasion', example },
);
export type Occasion = Static<typeof Occasion>;

export const Holiday = Type.Object(
  {
    date: DateOnly,
    name: Type.String(),
    calendar: Type.Enum(['gregorian', 'lunar'], {
      description: 'Fixed by configuration (CARE_FIXED_HOLIDAYS) or a lunar festival.',
    }),
  },
  { example: { date: '2026-09-25', name: 'Mid-Autumn Festival', calendar: 'lunar' } },
);

export const OccasionPage = Type.Object(
  {
    from: DateOnly,
    to: { ...DateOnly, description: 'The last day of the window, inclusive.' },
    data: Type.Array(Type.Ref('Occasion'), {
      description:
        "Customers' occasions, most valuable first: predicted CLV high to low (unvalued last), then date.",
    }),
    nextCursor: Nullable(
      Type.String({ description: 'Pass as `cursor` for the next page; null on the last.' }),
    ),
    holidays: Type.Array(Holiday, {
      description:
        'Holidays in the window, by date; they apply to every customer, so they are listed once (on every page).',
    }),
  },
  {
    example: {
      from: '2026-09-01',
      to: '2026-09-30',
      data: [example],
      nextCursor: null,
      holidays: [{ date: '2026-09-25', name: 'Mid-Autumn Festival', calendar: 'lunar' }],
    },
  },
);
