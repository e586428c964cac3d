import { Type } from 'typebox';
import { Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';
import { RELATIONSHIP_TYPES } from './relationship-types';

export const RelationshipCreate = Type.Object(
  {
    type: Type.Enum(RELATIONSHIP_TYPES, {
      description:
        'Read as "this customer <type> the other": A parent-company B, A distributor-of B, A referred-by B.',
    }),
    otherCustomerId: Type.String({ format: 'uuid' }),
    note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  {
    additionalProperties: false,
    example: {
      type: 'parent-company',
      otherCustomerId: '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
      note: 'Holding',
    },
  },
);

export const Relationship = Type.Object(
  {
    id: Uuid,
    type: Type.String({ description: 'The stored type, read from `fromCustomerId` to `toCustomerId`.' }),
    fromCustomerId: Uuid,
    toCustomerId: Uuid,
    direction: Type.Enum(['outgoing', 'incoming'], {
      description: 'Whether the customer in the path is the `from` end.',
    }),
    otherCustomerId: Uuid,
    label: Type.String({
      description: 'The tie as seen from the customer in the path, e.g. `subsidiary-of`.',
    }),
    note: Nullable(Type.String()),
    createdAt: Timestamp,
  },
  { $id: 'Relationship', title: 'Relationship' },
);

export const RelationshipParams = Type.Object({ id: Type.String(), relationshipId: Type.String() });

export const RelationshipListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    type: Type.Optional(Type.Enum(RELATIONSHIP_TYPES)),
  },
  { additionalProperties: false },
);

export const RelationshipPage = pageOf(Type.Ref('Relationship'));
