import { isUuid } from '../../db/ids';
import { BadRequestError } from '../../http/http-errors';
import { decodeCursor, encodeCursor } from '../../http/pagination';
import type { EventRepository, EventRow, FeedPosition } from './repository';
import type { EventFeedQuery, HistoryQuery } from './schemas';

const DAY_MS = 86_400_000;
const FEED_CURSOR = 'events';

/** Past everything up to a batch: its seq, and an n no batch reaches. */
const WHOLE_BATCH = 2_147_483_647;
/** The largest seq a bigint holds. */
const MAX_SEQ = 9_223_372_036_854_775_807n;

function encodeFeedCursor(position: FeedPosition): string {
  return Buffer.from(`${FEED_CURSOR}:${position.seq}.${position.n}`).toString('base64url');
}

function decodeFeedCursor(cursor: string): FeedPosition {
  const match = /^events:(\d{1,19})\.(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  // 19 digits can still pass a bigint's range, which the database would answer as invalid_value.
  if (!match || BigInt(match[1]!) > MAX_SEQ || Number(match[2]) > WHOLE_BATCH)
    throw new BadRequestError('invalid_cursor.feed', {});
  return { seq: BigInt(match[1]!), n: Number(match[2]) };
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

function historyPosition(cursor: string): string {
  const { id } = decodeCursor(cursor, 'history');
  if (!isUuid(id)) throw new BadRequestError('invalid_cursor', {});
  return id;
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
    const after = query.after ? decodeFeedCursor(query.after) : { seq: 0n, n: 0 };
    const { rows, head } = await this.events.feed({
      after,
      type: query.type,
      customerId: query.customerId,
      servedSince: this.servedSince(),
      limit,
    });
    const lastRow = rows[rows.length - 1];
    const last = lastRow ? { seq: BigInt(lastRow.seq), n: Number(lastRow.n) } : after;
    // A short page read everything committed: the cursor may move to the head, past what a filter skipped.
    const next = rows.length < limit && head > last.seq ? { seq: head, n: WHOLE_BATCH } : last;
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
        rows.length > limit && last ? encodeCursor({ sort: 'history', value: null, id: last.id }) : null,
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
