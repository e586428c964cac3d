import { Type, type Static } from 'typebox';
import { DateOnly, Nullable } from '../../schemas/common';

export const SALES_GROUPINGS = [
  'region',
  'product',
  'category',
  'owner',
  'postcode',
  'channel',
  'valueClass',
] as const;
const ONE = `(${SALES_GROUPINGS.join('|')})`;

export const SalesReportQuery = Type.Object(
  {
    groupBy: Type.Optional(
      Type.String({
        pattern: `^${ONE}(,${ONE})?$`,
        default: 'region',
        description:
          'One grouping, or two separated by a comma for two levels (`region,product`): `region` (the order\u2019s own, else its customer\u2019s), `product`, `category` (the product\u2019s), `owner` (the customer\u2019s), `postcode` (of the customer\u2019s primary, i.e. first, address), `channel` (the channel customer the customer buys through; null for direct customers), `valueClass` (the customer\u2019s in the latest finished analytics run).',
        example: 'region,product',
      }),
    ),
    from: Type.Optional({
      ...DateOnly,
      description: 'First day (UTC) counted; 29 days before `to` without it.',
      example: '2026-11-01',
    }),
    to: Type.Optional({
      ...DateOnly,
      description: 'Last day (UTC) counted, included; today without it.',
      example: '2026-11-30',
    }),
  },
  { additionalProperties: false },
);
export type SalesReportQuery = Static<typeof SalesReportQuery>;

const Money = Type.String({
  pattern: '^-?\\d+\\.\\d{2,4}$',
  description: 'Reporting currency, exact decimal.',
});

export const SalesFigures = Type.Object({
  revenue: Money,
  orders: Type.Integer({ minimum: 0 }),
  customers: Type.Integer({ minimum: 0 }),
  averageOrder: Nullable({
    ...Money,
    description: 'revenue / orders, rounded to the cent; null without orders.',
  }),
  share: Nullable(
    Type.Number({
      description: 'revenue / the period\u2019s total revenue (0-1, 4 decimals); null when the total is 0.',
    }),
  ),
  newCustomers: Type.Integer({ minimum: 0 }),
  clvPredicted: Nullable(
    Type.Number({
      description:
        'Sum of the predicted CLV of the group\u2019s customers valued by the latest run; null when none is.',
    }),
  ),
  churnedCustomers: Type.Integer({ minimum: 0 }),
});
export type SalesFigures = Static<typeof SalesFigures>;

const Key = Nullable(
  Type.String({
    description: 'The group\u2019s value of the grouping; null for orders (or customers) without it.',
  }),
);

const Compared = {
  current: SalesFigures,
  previous: SalesFigures,
  revenueChange: Nullable(
    Type.Number({ description: '(current - previous) / previous revenue; null when previous is 0.' }),
  ),
};

export const SalesSubgroup = Type.Object({
  key: Key,
  name: Nullable(Type.String({ description: 'The product\u2019s name when the grouping is `product`.' })),
  ...Compared,
});

export const SalesGroup = Type.Object({
  key: Key,
  name: Nullable(Type.String({ description: 'The product\u2019s name when the grouping is `product`.' })),
  ...Compared,
  groups: Type.Optional(
    Type.Array(SalesSubgroup, {
      description: 'The second level of a two-level report, most revenue first, null last.',
    }),
  ),
});

const figures = (revenue: string, orders: number, customers: number) => ({
  revenue,
  orders,
  customers,
  averageOrder: orders ? (Number(revenue) / orders).toFixed(2) : null,
  share: 1,
  newCustomers: 1,
  clvPredicted: 1200.5,
  churnedCustomers: 0,
});

export const SalesReport = Type.Object(
  {
    from: DateOnly,
    to: DateOnly,
    previous: Type.Object(
      { from: DateOnly, to: DateOnly },
      { description: 'The period of the same length just before `from`.' },
    ),
    groupBy: Type.Array(Type.String()),
    currency: Type.String({ description: 'The reporting currency (REPORTING_CURRENCY).' }),
    total: Type.Object(Compared, {
      description: 'The ungrouped figures; every grouping\u2019s revenue adds up to it exactly.',
    }),
    groups: Type.Array(SalesGroup, { description: 'Most revenue first; the null group last.' }),
  },
  {
    $id: 'SalesReport',
    example: {
      from: '2026-11-01',
      to: '2026-11-30',
      previous: { from: '2026-10-02', to: '2026-10-31' },
      groupBy: ['region'],
      currency: 'USD',
      total: { current: figures('300.00', 3, 2), previous: figures('100.00', 1, 1), revenueChange: 2 },
      groups: [
        {
          key: 'east',
          name: null,
          current: figures('300.00', 3, 2),
          previous: figures('100.00', 1, 1),
          revenueChange: 2,
        },
      ],
    },
  },
);
export type SalesReport = Static<typeof SalesReport>;
