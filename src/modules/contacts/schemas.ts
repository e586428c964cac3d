import { Type } from 'typebox';
import { Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';

const writable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  role: Nullable(Type.String({ minLength: 1, maxLength: 200, description: 'E.g. purchasing manager.' })),
  email: Nullable(Type.String({ format: 'email', maxLength: 320 })),
  phone: Nullable(Type.String({ pattern: '^\\+?[0-9 ()./-]{3,40}$' })),
  notes: Nullable(Type.String({ maxLength: 5000 })),
};

export const ContactCreate = Type.Object(
  { ...Type.Partial(Type.Object(writable)).properties, name: writable.name },
  {
    additionalProperties: false,
    example: { name: 'Grace Hopper', role: 'CTO', email: 'grace@acme.example' },
  },
);

export const ContactPatch = Type.Partial(Type.Object(writable), {
  additionalProperties: false,
  minProperties: 1,
  example: { role: 'CEO' },
});

export const Contact = Type.Object(
  {
    id: Uuid,
    customerId: Uuid,
    name: Type.String(),
    role: Nullable(Type.String()),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    notes: Nullable(Type.String()),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Contact', title: 'Contact' },
);

export const ContactParams = Type.Object({ id: Type.String(), contactId: Type.String() });

export const ContactListQuery = Type.Object(
  { limit: Type.Optional(PageLimit), cursor: Type.Optional(PageCursor) },
  { additionalProperties: false },
);

export const ContactPage = pageOf(Type.Ref('Contact'));
