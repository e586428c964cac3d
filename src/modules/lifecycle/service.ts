import { BadRequestError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { CustomerService } from '../customers/service';
import { toLifecycleEvent, type LifecycleRepository } from './repository';
import type { LifecycleHistoryQuery } from './schemas';

/** The cursor's sort name: a history is always newest first, by (at, seq). */
const HISTORY_SORT = 'lifecycle';

/** A customer's lifecycle history (GET /v1/customers/{id}/lifecycle). */
export class LifecycleService {
  constructor(
    private readonly lifecycle: LifecycleRepository,
    private readonly customers: CustomerService,
  ) {}

  async history(customerId: string, query: LifecycleHistoryQuery) {
    const customer = await this.customers.requireLive(customerId);
    const limit = query.limit ?? 50;
    const after = query.cursor ? positionOf(query.cursor) : undefined;
    const rows = await this.lifecycle.history(customer.id, {
      limit: limit + 1,
      ...(query.kind ? { kind: query.kind } : {}),
      ...(after ? { after } : {}),
    });
    return pageFrom(rows, limit, toLifecycleEvent, (row) => ({
      sort: HISTORY_SORT,
      value: new Date(row.at).toISOString(),
      id: String(row.seq),
    }));
  }
}

/** The (at, seq) a cursor names; a cursor whose parts are not a time and a sequence number is invalid. */
function positionOf(cursor: string): { at: string; seq: string } {
  const { value, id } = decodeCursor(cursor, HISTORY_SORT);
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value)) || !/^\d{1,18}$/.test(id)) {
    throw new BadRequestError('invalid_cursor', {});
  }
  return { at: value, seq: id };
}
