import { Type, type Static } from 'typebox';
import { DateOnly, Nullable } from '../../schemas/common';

export const ServiceFeedbackQuery = Type.Object(
  {
    from: Type.Optional({ ...DateOnly, description: 'First day (UTC) counted; all history without it.' }),
    to: Type.Optional({ ...DateOnly, description: 'Last day (UTC) counted; up to now without it.' }),
    groupBy: Type.Optional(
      Type.Enum(['product', 'category'], {
        default: 'product',
        description: "`product`, or `category`: the product's category.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type ServiceFeedbackQuery = Static<typeof ServiceFeedbackQuery>;

const Count = Type.Integer({ minimum: 0 });

const Group = Type.Object({
  key: Nullable(
    Type.String({
      description:
        'The product id or the product category; null for records that name no product (or category).',
    }),
  ),
  name: Nullable(Type.String({ description: "The product's name (groupBy=product)." })),
  sku: Nullable(Type.String({ description: "The product's SKU (groupBy=product)." })),
  complaints: Type.Object({
    count: Count,
    bySeverity: Type.Object({ low: Count, medium: Count, high: Count, critical: Count }),
    byCategory: Type.Array(Type.Object({ categoryId: Type.String(), name: Type.String(), count: Count }), {
      description: 'Complaint categories, most complaints first.',
    }),
  }),
  serviceRecords: Type.Object({
    count: Count,
    byType: Type.Object({
      installation: Count,
      repair: Count,
      maintenance: Count,
      consultation: Count,
      return: Count,
      other: Count,
    }),
  }),
  surveys: Type.Object({
    responses: Count,
    csatResponses: Count,
    averageCsat: Nullable(Type.Number({ description: 'Mean CSAT (1-5), null without CSAT answers.' })),
    npsResponses: Count,
    nps: Nullable(
      Type.Number({ description: '% promoters (9-10) minus % detractors (0-6), null without NPS answers.' }),
    ),
  }),
});

export const ServiceFeedback = Type.Object(
  {
    from: Nullable(DateOnly),
    to: Nullable(DateOnly),
    groupBy: Type.String(),
    groups: Type.Array(Group, {
      description: 'Most complaints first, then most service records; the null group last.',
    }),
  },
  {
    example: {
      from: '2026-11-01',
      to: '2026-11-30',
      groupBy: 'product',
      groups: [
        {
          key: '0192f3c7-8a9b-7c0d-8e1f-2a3b4c5d6e7f',
          name: 'Longjing 250 g',
          sku: 'TEA-LJ-250',
          complaints: {
            count: 3,
            bySeverity: { low: 0, medium: 1, high: 2, critical: 0 },
            byCategory: [
              { categoryId: '0192f3f3-4d5e-7f6a-8b7c-8d9e0f1a2b3c', name: 'Late delivery', count: 3 },
            ],
          },
          serviceRecords: {
            count: 2,
            byType: { installation: 0, repair: 1, maintenance: 0, consultation: 1, return: 0, other: 0 },
          },
          surveys: { responses: 4, csatResponses: 2, averageCsat: 3.5, npsResponses: 2, nps: 0 },
        },
      ],
    },
  },
);
export type ServiceFeedback = Static<typeof ServiceFeedback>;
