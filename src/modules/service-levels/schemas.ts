import { Type, type Static } from 'typebox';
import { SERVICE_PRIORITIES, SERVICE_TYPES } from '../../domain/service/service-status';
import { PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';

export const ServiceType = Type.Enum(SERVICE_TYPES, {
  description: 'What kind of service.',
  example: 'repair',
});
export const ServicePriority = Type.Enum(SERVICE_PRIORITIES, {
  description: 'How urgent: low, normal, high, urgent.',
  example: 'high',
});
const Minutes = Type.Integer({ minimum: 1, maximum: 5_256_000, description: 'Minutes from opening.' });

export const ServiceLevelCreate = Type.Object(
  {
    type: ServiceType,
    priority: ServicePriority,
    firstResponseMinutes: Minutes,
    resolveMinutes: Minutes,
  },
  {
    additionalProperties: false,
    example: { type: 'repair', priority: 'urgent', firstResponseMinutes: 60, resolveMinutes: 480 },
  },
);
export type ServiceLevelCreate = Static<typeof ServiceLevelCreate>;

export const ServiceLevelPatch = Type.Object(
  { firstResponseMinutes: Type.Optional(Minutes), resolveMinutes: Type.Optional(Minutes) },
  { additionalProperties: false, minProperties: 1, example: { resolveMinutes: 240 } },
);
export type ServiceLevelPatch = Static<typeof ServiceLevelPatch>;

export const ServiceLevel = Type.Object(
  {
    id: Uuid,
    type: Type.String(),
    priority: Type.String(),
    firstResponseMinutes: Type.Integer({
      description: 'The first move out of `open` is due this long after opening.',
    }),
    resolveMinutes: Type.Integer({ description: 'The move to `resolved` is due this long after opening.' }),
    version: Type.Integer(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    $id: 'ServiceLevel',
    title: 'ServiceLevel',
    example: {
      id: '0192f3f1-2b3c-7d4e-8f5a-6b7c8d9e0f1a',
      type: 'repair',
      priority: 'urgent',
      firstResponseMinutes: 60,
      resolveMinutes: 480,
      version: 1,
      createdAt: '2026-11-23T08:00:00.000Z',
      updatedAt: '2026-11-23T08:00:00.000Z',
    },
  },
);
export type ServiceLevel = Static<typeof ServiceLevel>;

export const ServiceLevelListQuery = Type.Object(
  {
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
    type: Type.Optional(ServiceType),
    priority: Type.Optional(ServicePriority),
  },
  { additionalProperties: false },
);
export type ServiceLevelListQuery = Static<typeof ServiceLevelListQuery>;

export const ServiceLevelPage = pageOf(Type.Ref('ServiceLevel'));
