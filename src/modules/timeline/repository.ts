import type { Knex } from 'knex';
import type { InstantRange } from '../../domain/service/day-range';
import type { TimelineSource } from './sources';

/** Where the previous page ended: the merge's sort key (occurred_at DESC, type DESC, id DESC). */
export interface TimelineKey {
  /** occurred_at to the microsecond, as the database wrote it */
  at: string;
  type: string;
  id: string;
}

export interface TimelineRow {
  type: string;
  id: string;
  occurred_at: Date;
  /** occurred_at to the microsecond, for the cursor (a Date keeps milliseconds only) */
  at_text: string;
  title: string | null;
  summary: string | null;
  link: string;
}

/**
 * The keyset condition of one source: rows after `key` in (occurred_at DESC, type DESC, id
 * DESC). The type is constant within a source, so the three-part comparison becomes one the
 * source's (customer_id, occurred_at DESC, id DESC) index answers: a type that sorts after the
 * key's comes only at earlier times, one before it also at the same time.
 */
function keysetOf(source: TimelineSource, key: TimelineKey): { sql: string; bindings: Knex.RawBinding[] } {
  if (source.type === key.type)
    return {
      sql: `(${source.occurredAt}, ${source.id}) < (?::timestamptz, ?::uuid)`,
      bindings: [key.at, key.id],
    };
  const op = source.type < key.type ? '<=' : '<';
  return { sql: `${source.occurredAt} ${op} ?::timestamptz`, bindings: [key.at] };
}

export class TimelineRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * One page of the merge: each source's first `limit` rows after the key (UNION ALL), merged
   * and cut to `limit` again. No source can contribute more than `limit` rows to a page, so
   * reading `limit` from each loses nothing.
   */
  async page(
    sources: readonly TimelineSource[],
    customerId: string,
    range: InstantRange,
    limit: number,
    after?: TimelineKey,
  ): Promise<TimelineRow[]> {
    const parts: string[] = [];
    const bindings: Knex.RawBinding[] = [];
    for (const source of sources) {
      const where = [`${source.customerColumn} = ?::uuid`];
      const whereBindings: Knex.RawBinding[] = [customerId];
      if (range.start) {
        where.push(`${source.occurredAt} >= ?::timestamptz`);
        whereBindings.push(range.start);
      }
      if (range.end) {
        where.push(`${source.occurredAt} < ?::timestamptz`);
        whereBindings.push(range.end);
      }
      if (after) {
        const keyset = keysetOf(source, after);
        where.push(keyset.sql);
        whereBindings.push(...keyset.bindings);
      }
      parts.push(
        `(SELECT ?::text AS type, ${source.id} AS id, ${source.occurredAt} AS occurred_at,
                 ${source.title} AS title, ${source.summary} AS summary, ${source.link} AS link
            FROM ${source.from}
           WHERE ${where.join(' AND ')}
           ORDER BY ${source.occurredAt} DESC, ${source.id} DESC
           LIMIT ?)`,
      );
      bindings.push(source.type, ...whereBindings, limit);
    }
    if (parts.length === 0) return [];
    bindings.push(limit);
    const { rows } = await this.knex.raw<{ rows: TimelineRow[] }>(
      `SELECT m.*, to_char(m.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_text
         FROM (${parts.join(' UNION ALL ')}) m
        ORDER BY m.occurred_at DESC, m.type COLLATE "C" DESC, m.id DESC
        LIMIT ?`,
      bindings,
    );
    return rows;
  }
}
