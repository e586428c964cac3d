import { Type, type TSchema } from 'typebox';
import { Uuid } from '../../../schemas/common';

export const BATCH_MAX_ITEMS = 1000;

/** `{ items: [...] }`, 1 to 1,000 rows: the body of every batch endpoint. */
export const batchBodyOf = <T extends TSchema>(item: T, example: unknown) =>
  Type.Object(
    { items: Type.Array(item, { minItems: 1, maxItems: BATCH_MAX_ITEMS }) },
    { additionalProperties: false, example: { items: [example] } },
  );

const Outcome = Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('unchanged')], {
  description: 'What the row did: created a record, changed one, or found it as sent.',
});

const RowIndex = Type.Integer({ description: 'The row of the request.' });

const example = (key: string) => ({
  results: [
    { index: 0, id: '0193a1b2-0000-7000-8000-000000000001', [key]: 'ERP-1', outcome: 'created' },
    { index: 1, id: '0193a1b2-0000-7000-8000-000000000002', [key]: 'ERP-2', outcome: 'unchanged' },
  ],
});

/**
 * The answer of every batch endpoint that upserts by externalId: one result per input row,
 * in input order (docs/api.md "Bulk").
 */
export const BatchResult = Type.Object(
  {
    results: Type.Array(
      Type.Object({ index: RowIndex, id: Uuid, externalId: Type.String(), outcome: Outcome }),
    ),
  },
  { example: example('externalId') },
);

/** The same answer for products, which upsert by sku. */
export const SkuBatchResult = Type.Object(
  { results: Type.Array(Type.Object({ index: RowIndex, id: Uuid, sku: Type.String(), outcome: Outcome })) },
  { example: example('sku') },
);

/** The path of a record read or upserted by the id the caller's system gave it. */
export const ExternalIdParams = Type.Object({
  externalId: Type.String({
    minLength: 1,
    maxLength: 200,
    description: "The record's id in the caller's system.",
  }),
});
