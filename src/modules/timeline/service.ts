import { dayRange } from '../../domain/service/day-range';
import { BadRequestError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { CustomerService } from '../customers/service';
import type { TimelineKey, TimelineRepository, TimelineRow } from './repository';
import type { TimelineItem, TimelineQuery } from './schemas';
import { TIMELINE_SOURCES } from './sources';

const SORT = 'timeline';
/** Between the microsecond time and the type in a cursor's value; neither contains it. */
const SEPARATOR = '|';

function keyOf(value: string | number | null, id: string): TimelineKey {
  const [at, type] = typeof value === 'string' ? value.split(SEPARATOR) : [];
  if (!at || !type || Number.isNaN(Date.parse(at)) || !TIMELINE_SOURCES.some((s) => s.type === type))
    throw new BadRequestError('invalid_cursor', {});
  return { at, type, id };
}

/** Everything that happened with a customer, newest first, across every source. */
export class TimelineService {
  constructor(
    private readonly timeline: TimelineRepository,
    private readonly customers: CustomerService,
  ) {}

  async page(customerId: string, query: TimelineQuery) {
    const range = dayRange(query.from, query.to);
    if (!range) throw new BadRequestError('invalid_range', {});
    await this.customers.requireLive(customerId);
    const limit = query.limit ?? 50;
    const cursor = query.cursor ? decodeCursor(query.cursor, SORT) : undefined;
    const after = cursor ? keyOf(cursor.value, cursor.id) : undefined;
    const wanted = query.types ? new Set(query.types.split(',')) : undefined;
    const sources = TIMELINE_SOURCES.filter((s) => !wanted || wanted.has(s.type));
    const rows = await this.timeline.page(sources, customerId, range, limit + 1, after);
    return pageFrom(
      rows,
      limit,
      (row: TimelineRow): TimelineItem => ({
        type: row.type as TimelineItem['type'],
        id: row.id,
        occurredAt: new Date(row.occurred_at).toISOString(),
        title: row.title,
        summary: row.summary,
        link: row.link,
      }),
      (row) => ({ sort: SORT, value: `${row.at_text}${SEPARATOR}${row.type}`, id: row.id }),
    );
  }
}
