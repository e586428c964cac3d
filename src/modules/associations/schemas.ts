import { Type, type Static } from 'typebox';
import { DateOnly, Nullable, PageCursor, Uuid } from '../../schemas/common';

const PRODUCT_ID = '0192f0a4-7c1e-7a3b-9d2e-5f6a7b8c9d01';
const OTHER_ID = '0192f0a4-7c1e-7a3b-9d2e-5f6a7b8c9d02';
const RUN_ID = '0192f0a4-7c1e-7a3b-9d2e-5f6a7b8c9e10';
const CUSTOMER_ID = '0192f0a4-7c1e-7a3b-9d2e-5f6a7b8c9f20';

export const AssociationQuery = Type.Object(
  {
    productId: Type.Optional({
      ...Uuid,
      description:
        'Only the rules whose antecedent is this product ("bought with it"); 404 when no product has it.',
      example: PRODUCT_ID,
    }),
    minLift: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1_000_000,
        description: 'Only rules with at least this lift (1 = independence).',
        example: 1.5,
      }),
    ),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Page size, 1 to 500.' }),
    ),
    cursor: Type.Optional(PageCursor),
  },
  { additionalProperties: false },
);
export type AssociationQuery = Static<typeof AssociationQuery>;

export const ProductRef = Type.Object(
  {
    id: Uuid,
    sku: Type.String({ example: 'TEA-LJ-250' }),
    name: Type.String({ example: 'Longjing 250 g' }),
  },
  { description: 'A product by id, SKU and name.' },
);

const Share = (description: string, example: number) =>
  Type.Number({ minimum: 0, maximum: 1, description, example });

const RuleCounts = Type.Object(
  {
    both: Type.Integer({ minimum: 0, description: 'Baskets with both products.', example: 34 }),
    antecedent: Type.Integer({ minimum: 0, description: 'Baskets with the antecedent.', example: 100 }),
    consequent: Type.Integer({ minimum: 0, description: 'Baskets with the consequent.', example: 55 }),
    baskets: Type.Integer({ minimum: 0, description: 'All baskets of the run.', example: 500 }),
  },
  { description: 'Basket counts the measures are computed from.' },
);

const ruleFields = {
  antecedent: ProductRef,
  consequent: ProductRef,
  counts: RuleCounts,
  support: Share('counts.both / counts.baskets (Agrawal, Imielinski & Swami 1993).', 0.068),
  confidence: Share(
    'counts.both / counts.antecedent: the share of the antecedent\u2019s baskets with the consequent.',
    0.34,
  ),
  lift: Type.Number({
    minimum: 0,
    description:
      'confidence / (counts.consequent / counts.baskets) (Brin et al. 1997); above 1 the two go together more than by chance.',
    example: 3.0909,
  }),
};

export const AssociationRule = Type.Object(
  {
    rank: Type.Integer({
      minimum: 1,
      description: 'Position in the run: by lift, then confidence, descending.',
      example: 1,
    }),
    ...ruleFields,
  },
  { $id: 'AssociationRule', title: 'AssociationRule' },
);

const runFields = {
  runId: { ...Uuid, description: 'The analytics run the associations were computed in.', example: RUN_ID },
  asOf: {
    ...DateOnly,
    description: 'The run\u2019s asOf: orders on or before this day (UTC) are baskets.',
    example: '2026-11-30',
  },
};

export const AssociationPage = Type.Object(
  {
    ...runFields,
    baskets: Type.Integer({ minimum: 0, description: 'Orders counted as baskets.', example: 500 }),
    minSupport: Type.Number({
      description: 'The minimum support of the run (ASSOCIATION_MIN_SUPPORT).',
      example: 0.01,
    }),
    minCount: Type.Integer({
      description: 'The fewest baskets a pair is in to be kept: minSupport x baskets, rounded up.',
      example: 5,
    }),
    data: Type.Array(Type.Ref('AssociationRule')),
    nextCursor: Nullable(
      Type.String({ description: 'Pass as `cursor` for the next page (same run); null on the last.' }),
    ),
  },
  {
    title: 'AssociationPage',
    example: {
      runId: RUN_ID,
      asOf: '2026-11-30',
      baskets: 500,
      minSupport: 0.01,
      minCount: 5,
      data: [
        {
          rank: 1,
          antecedent: { id: PRODUCT_ID, sku: 'TEA-LJ-250', name: 'Longjing 250 g' },
          consequent: { id: OTHER_ID, sku: 'CUP-GL-2', name: 'Glass cups, pair' },
          counts: { both: 34, antecedent: 100, consequent: 55, baskets: 500 },
          support: 0.068,
          confidence: 0.34,
          lift: 3.090909090909091,
        },
      ],
      nextCursor: null,
    },
  },
);
export type AssociationPage = Static<typeof AssociationPage>;

export const RecommendationsQuery = Type.Object(
  {
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 100,
        default: 10,
        description: 'At most this many cross-sell items, and as many up-sell candidates.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type RecommendationsQuery = Static<typeof RecommendationsQuery>;

const PricedProduct = Type.Object({
  id: Uuid,
  sku: Type.String(),
  name: Type.String(),
  category: Type.String(),
  listPrice: Type.String({ description: 'Exact decimal.', example: '36.00' }),
  currency: Type.String({ example: 'CNY' }),
});

const Method = Type.Union([Type.Literal('association_rules'), Type.Literal('item_cooccurrence')]);

export const Recommendations = Type.Object(
  {
    customerId: Uuid,
    method: Type.Union(
      [Type.Literal('association_rules'), Type.Literal('item_cooccurrence'), Type.Literal('both')],
      {
        description:
          '`both` when a finished run has associations; `item_cooccurrence` before the first run (association rules need one).',
      },
    ),
    runId: Nullable({ ...Uuid, description: 'The run whose rules were used; null without one.' }),
    asOf: Nullable({ ...DateOnly, description: 'That run\u2019s asOf.' }),
    note: Nullable(Type.String({ description: 'Why a method is missing, when one is.' })),
    items: Type.Array(
      Type.Object({
        product: ProductRef,
        score: Share('The larger of the rule\u2019s confidence and the co-purchase share.', 0.34),
        sources: Type.Array(Method, { description: 'The methods that proposed it.' }),
        reasons: Type.Array(Type.String(), { description: 'One sentence per method.' }),
        rule: Nullable(
          Type.Object(ruleFields, {
            description:
              'The best rule (highest confidence, lift above 1) from a product the customer bought.',
          }),
        ),
        cooccurrence: Nullable(
          Type.Object(
            {
              bought: ProductRef,
              candidate: ProductRef,
              customers: Type.Integer({
                description: 'The peers: the other customers who bought `bought` most recently, at most 500.',
              }),
              buyers: Type.Integer({ description: 'All other customers who bought `bought`.' }),
              alsoBought: Type.Integer({ description: 'Of those, the ones who also bought the candidate.' }),
              share: Share('alsoBought / customers.', 0.4),
            },
            { description: 'The best co-purchase across customers (at least 2 of them).' },
          ),
        ),
      }),
      { description: 'Products the customer has not bought, best first.' },
    ),
    upsell: Type.Array(
      Type.Object({
        product: PricedProduct,
        over: {
          ...PricedProduct,
          description: 'The dearest product the customer bought in the category and currency.',
        },
        reason: Type.String(),
      }),
      { description: 'Dearer products in the categories the customer buys; nearest step up first.' },
    ),
  },
  {
    title: 'Recommendations',
    example: {
      customerId: CUSTOMER_ID,
      method: 'both',
      runId: RUN_ID,
      asOf: '2026-11-30',
      note: null,
      items: [
        {
          product: { id: OTHER_ID, sku: 'CUP-GL-2', name: 'Glass cups, pair' },
          score: 0.34,
          sources: ['association_rules'],
          reasons: ['bought with Longjing 250 g (TEA-LJ-250) in 34% of the baskets containing it (lift 3.1)'],
          rule: {
            antecedent: { id: PRODUCT_ID, sku: 'TEA-LJ-250', name: 'Longjing 250 g' },
            consequent: { id: OTHER_ID, sku: 'CUP-GL-2', name: 'Glass cups, pair' },
            counts: { both: 34, antecedent: 100, consequent: 55, baskets: 500 },
            support: 0.068,
            confidence: 0.34,
            lift: 3.090909090909091,
          },
          cooccurrence: null,
        },
      ],
      upsell: [
        {
          product: {
            id: '0192f0a4-7c1e-7a3b-9d2e-5f6a7b8c9d03',
            sku: 'TEA-LJ-500',
            name: 'Longjing 500 g',
            category: 'tea',
            listPrice: '128.00',
            currency: 'CNY',
          },
          over: {
            id: PRODUCT_ID,
            sku: 'TEA-LJ-250',
            name: 'Longjing 250 g',
            category: 'tea',
            listPrice: '68.00',
            currency: 'CNY',
          },
          reason:
            'in tea the dearest you bought is Longjing 250 g (TEA-LJ-250) at 68.00 CNY; this one lists at 128.00 CNY',
        },
      ],
    },
  },
);
export type Recommendations = Static<typeof Recommendations>;
