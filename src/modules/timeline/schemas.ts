import { Type, type Static } from 'typebox';
import { DateOnly, Nullable, PageCursor, PageLimit, Timestamp, Uuid, pageOf } from '../../schemas/common';
import { TIMELINE_TYPES } from './sources';

const TYPE = `(${TIMELINE_TYPES.join('|')})`;

export const TimelineQuery = Type.Object(
  {
    types: Type.Optional(
      Type.String({
        pattern: `^${TYPE}(,${TYPE})*$`,
        maxLength: 500,
        description: `Comma-separated item types to include (default all): ${TIMELINE_TYPES.join(', ')}.`,
        example: 'interaction,order,complaint',
      }),
    ),
    from: Type.Optional({
      ...DateOnly,
      description: 'Items on or after this day (UTC).',
      example: '2026-01-01',
    }),
    to: Type.Optional({
      ...DateOnly,
      description: 'Items on or before this day (UTC).',
      example: '2026-11-30',
    }),
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(PageCursor),
  },
  { additionalProperties: false },
);
export type TimelineQuery = Static<typeof TimelineQuery>;

export const TimelineItem = Type.Object(
  {
    type: Type.Enum(TIMELINE_TYPES, { description: 'The resource the item comes from.' }),
    id: Uuid,
    occurredAt: Timestamp,
    title: Nullable(Type.String()),
    summary: Nullable(Type.String()),
    link: Type.String({ description: 'The path of the record (or of the lifecycle history).' }),
  },
  {
    $id: 'TimelineItem',
    title: 'TimelineItem',
    example: {
      type: 'interaction',
      id: '0192f3d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
      occurredAt: '2026-11-23T09:30:00.000Z',
      title: 'Delivery date',
      summary: 'inbound call by li.na: Asked when the second shipment arrives.',
      link: '/v1/interactions/0192f3d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f',
    },
  },
);
export type TimelineItem = Static<typeof TimelineItem>;

export const TimelinePage = pageOf(Type.Ref('TimelineItem'));
