import { Type, type Static } from 'typebox';
import { Nullable, PageCursor, PageLimit, Timestamp, Uuid } from '../../schemas/common';
import { EVENT_TYPES } from './event-types';

export const EventTypeName = Type.Enum([...EVENT_TYPES], { description: 'The kind of change.' });

const Change = Type.Object({ field: Type.String(), from: Type.Unknown(), to: Type.Unknown() });

export const Event = Type.Object(
  {
    id: Uuid,
    type: EventTypeName,
    occurredAt: Timestamp,
    customerId: Nullable(Uuid),
    runId: Nullable(Type.String({ description: 'The analytics run that caused the change.' })),
    data: Type.Unknown({ description: 'The resource after the change, as its GET answers it.' }),
    changes: Nullable(Type.Array(Change, { description: 'For updates: each changed field, from and to.' })),
    actor: Type.Object({ keyId: Nullable(Type.String()), name: Nullable(Type.String()) }),
    requestId: Nullable(Type.String()),
  },
  {
    $id: 'Event',
    title: 'Event',
    example: {
      id: '0193a1b2-0000-7000-8000-000000000001',
      type: 'customer.updated',
      occurredAt: '2026-12-01T08:00:00.000Z',
      customerId: '0193a1b2-0000-7000-8000-0000000000c1',
      runId: null,
      data: { id: '0193a1b2-0000-7000-8000-0000000000c1', name: 'Ada Lovelace', region: 'south', version: 3 },
      changes: [{ field: 'region', from: 'north', to: 'south' }],
      actor: { keyId: '0193a1b2-0000-7000-8000-0000000000a1', name: 'ERP sync' },
      requestId: 'req-7f1c',
    },
  },
);

export const EventFeedQuery = Type.Object(
  {
    after: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'The `nextCursor` of the previous page; absent reads from the oldest event served.',
      }),
    ),
    type: Type.Optional(EventTypeName),
    customerId: Type.Optional(Uuid),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'Events per page, 1 to 1000.' }),
    ),
  },
  { additionalProperties: false },
);
export type EventFeedQuery = Static<typeof EventFeedQuery>;

export const EventPage = Type.Object({
  data: Type.Array(Type.Ref('Event')),
  nextCursor: Type.String({
    description: 'Never null: poll again with `after` set to it for the events committed since.',
    example: 'ZXZlbnRzOjQyLjM',
  }),
});

export const HistoryEntry = Type.Object(
  {
    id: Uuid,
    action: Type.String({
      description: 'created, updated, deleted, restored, cancelled, refunded, stars_changed, ...',
    }),
    at: Timestamp,
    actor: Type.Object({ keyId: Nullable(Type.String()), name: Nullable(Type.String()) }),
    requestId: Nullable(Type.String()),
    runId: Nullable(Type.String({ description: 'The analytics run that made the change, if one did.' })),
    changes: Type.Array(Type.Object({ field: Type.String(), old: Type.Unknown(), new: Type.Unknown() })),
  },
  { $id: 'HistoryEntry', title: 'HistoryEntry' },
);

export const HistoryQuery = Type.Object(
  { limit: Type.Optional(PageLimit), cursor: Type.Optional(PageCursor) },
  { additionalProperties: false },
);
export type HistoryQuery = Static<typeof HistoryQuery>;
