import { BadRequestError } from '../../http/http-errors';
import { decodeCursor, encodeCursor } from '../../http/pagination';
import type { EventRepository, EventRow } from './repository';
import type { EventFeedQuery, HistoryQuery } from './schemas';

const DAY_MS = 86_400_000;
const FEED_CURSOR = 'events';

function encodeFeedCursor(seq: bigint): string {
  return Buffer.from(`${FEED_CURSOR}:${seq}`).toString('base64url');
}

function decodeFeedCursor(cursor: string): bigint {
  const match = /^events:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new BadRequestError('invalid_cursor', 'The cursor is not one this feed issued.');
  return BigInt(match[1]!);
}

/** How a customer's history names the changes of the records it holds. */
const CHILD_ACTIONS: Record<string, string> = {
  'contact.created': 'contact_added',
  'contact.updated': 'contact_updated',
  'contact.deleted': 'contact_removed',
  'relationship.created': 'relationship_added',
  'relationship.updated': 'relationship_updated',
  'relationship.deleted': 'relationship_removed',
};

const iso = (value: Date) => new Date(value).toISOString();

function toEvent(row: EventRow) {
  return {
    id: row.id,
    type: row.type,
    occurredAt: iso(row.occurred_at),
    customerId: row.customer_id,
    runId: row.run_id,
    data: row.data,
    changes: row.changes,
    actor: { keyId: row.actor_key_id, name: row.actor_name },
    requestId: row.request_id,
  };
}

function historyPosition(cursor: string): bigint {
  const { value } = decodeCursor(cursor, 'history');
  if (value === null || !/^\d{1,19}$/.test(String(value)))
    throw new BadRequestError('invalid_cursor', 'The cursor is not one this API issued.');
  return BigInt(String(value));
}

/** Reads the outbox: the feed for consumers, and each record's audit trail. */
export class EventService {
  constructor(
    private readonly events: EventRepository,
    private readonly clock: () => Date,
    private readonly retentionDays: number,
  ) {}

  private servedSince(): Date {
    return new Date(this.clock().getTime() - this.retentionDays * DAY_MS);
  }

  /** Oldest first. The cursor moves past what was read, or to the committed head when the page ran out. */
  async feed(query: EventFeedQuery) {
    const limit = query.limit ?? 100;
    const afterSeq = query.after ? decodeFeedCursor(query.after) : 0n;
    const { rows, head } = await this.events.feed({
      afterSeq,
      type: query.type,
      customerId: query.customerId,
      servedSince: this.servedSince(),
      limit,
    });
    const last = rows.length > 0 ? BigInt(rows[rows.length - 1]!.seq) : afterSeq;
    const next = rows.length < limit && head > last ? head : last;
    return { data: rows.map(toEvent), nextCursor: encodeFeedCursor(next) };
  }

  /** The audit trail of one record, newest first, in the shape /history answers. */
  async history(entityId: string, query: HistoryQuery, withChildren = false) {
    const limit = query.limit ?? 50;
    const before = query.cursor ? historyPosition(query.cursor) : undefined;
    const rows = await this.events.history(entityId, withChildren, limit + 1, before);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((row) => ({
        id: row.id,
        action: CHILD_ACTIONS[row.type] ?? row.type.slice(row.entity_type.length + 1),
        at: iso(row.occurred_at),
        actor: { keyId: row.actor_key_id, name: row.actor_name },
        requestId: row.request_id,
        runId: row.run_id,
        changes: (row.changes ?? []).map((c) => ({
          field: row.entity_id === entityId ? c.field : `${row.entity_type}.${c.field}`,
          old: c.from,
          new: c.to,
        })),
      })),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ sort: 'history', value: String(last.seq), id: last.id })
          : null,
    };
  }

  /** Clears the data of events past the feed's retention, a batch at a time; answers how many. */
  async pruneFeed(batchSize = 10_000): Promise<number> {
    const cutoff = this.servedSince();
    let total = 0;
    for (;;) {
      const cleared = await this.events.clearDataBefore(cutoff, batchSize);
      total += cleared;
      if (cleared < batchSize) return total;
    }
  }
}
