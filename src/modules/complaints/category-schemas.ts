import { Type, type Static } from 'typebox';
import { Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';

const Template = Type.String({
  minLength: 1,
  maxLength: 20_000,
  description:
    'The standard answer, with `{{placeholder}}` slots from GET /v1/complaint-categories/placeholders; an unknown one is 422 `unknown_placeholder`.',
});

export const CategoryCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    standardAnswer: Template,
  },
  {
    additionalProperties: false,
    example: {
      name: 'Late delivery',
      standardAnswer:
        'Dear {{customer.name}}, we are sorry your order was late. Your complaint {{complaint.number}} is with {{owner.name}}, who will call you within one working day.',
    },
  },
);
export type CategoryCreate = Static<typeof CategoryCreate>;

export const CategoryPatch = Type.Object(
  {
    name: Type.Optional(CategoryCreate.properties.name),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    standardAnswer: Type.Optional(Template),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'A new template applies to complaints filed from now on; filed ones keep their answer.',
    example: { standardAnswer: 'Dear {{customer.name}}, thank you for telling us ({{complaint.number}}).' },
  },
);
export type CategoryPatch = Static<typeof CategoryPatch>;

export const Category = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    description: Nullable(Type.String()),
    standardAnswer: Type.String({ description: 'The template, as saved.' }),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    $id: 'ComplaintCategory',
    title: 'ComplaintCategory',
    example: {
      id: '0192f3f3-4d5e-7f6a-8b7c-8d9e0f1a2b3c',
      name: 'Late delivery',
      description: null,
      standardAnswer:
        'Dear {{customer.name}}, we are sorry your order was late. Your complaint {{complaint.number}} is with {{owner.name}}, who will call you within one working day.',
      version: 1,
      createdAt: '2026-11-23T08:00:00.000Z',
      updatedAt: '2026-11-23T08:00:00.000Z',
    },
  },
);
export type Category = Static<typeof Category>;

export const CategoryListQuery = Type.Object(
  { limit: Type.Optional(PageLimit), cursor: Type.Optional(PageCursor) },
  { additionalProperties: false },
);
export type CategoryListQuery = Static<typeof CategoryListQuery>;

export const CategoryPage = pageOf(Type.Ref('ComplaintCategory'));

export const PlaceholderList = Type.Object(
  {
    data: Type.Array(Type.Object({ name: Type.String(), description: Type.String() })),
  },
  {
    example: {
      data: [
        { name: 'customer.name', description: "The customer's name." },
        { name: 'complaint.number', description: 'The readable complaint number, e.g. C-2026-000123.' },
      ],
    },
  },
);
