import { Type } from 'typebox';
import { PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';
import { SCOPES } from '../../plugins/scopes';

const Scope = Type.Enum([...SCOPES]);

export const ApiKeyCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Who or what uses the key.' }),
    scopes: Type.Array(Scope, { minItems: 1, uniqueItems: true }),
  },
  {
    additionalProperties: false,
    example: { name: 'ERP sync', scopes: ['customers:read', 'customers:write'] },
  },
);

export const ApiKey = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    prefix: Type.String({ description: 'The first characters of the key, to tell keys apart.' }),
    scopes: Type.Array(Type.String()),
    createdAt: Timestamp,
    revokedAt: Type.Union([Timestamp, Type.Null()]),
  },
  { $id: 'ApiKey', title: 'ApiKey' },
);

export const ApiKeyCreated = Type.Object(
  {
    ...ApiKey.properties,
    key: Type.String({ description: 'The secret. Shown only in this response; store it now.' }),
  },
  {
    example: {
      id: '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
      name: 'ERP sync',
      prefix: 'crm_Zx3k9QpL',
      scopes: ['customers:read', 'customers:write'],
      createdAt: '2026-11-23T08:00:00.000Z',
      revokedAt: null,
      key: 'crm_Zx3k9QpL...',
    },
  },
);

export const ApiKeyListQuery = Type.Object(
  { limit: Type.Optional(PageLimit), cursor: Type.Optional(PageCursor) },
  { additionalProperties: false },
);

export const ApiKeyPage = pageOf(Type.Ref('ApiKey'));
