import type { Knex } from 'knex';
import { draftProblems } from '../../domain/orders/order-plan';
import { isUuid } from '../../db/ids';
import { ConflictError, NotFoundError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { Actor } from '../events/actor';
import type { CustomerRepository } from '../customers/repository';
import { checkOneCustomerReference } from '../shared/batch/customer-references';
import { checkDuplicateKeys } from '../shared/batch/duplicate-keys';
import type { BatchRowResult } from '../shared/batch/outcome';
import { batchRow, RowErrors, singleBody, type RowPlace } from '../shared/batch/row-errors';
import { toOrder } from './order-state';
import type { OrderInput, OrderWriter } from './order-writer';
import type { LineRow, OrderRepository } from './repository';
import type { Order, OrderBatchItem, OrderCreate, OrderListQuery, OrderPatch } from './schemas';

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';

/** Lines grouped by their order, in line order. */
function linesByOrder(lines: LineRow[]): Map<string, LineRow[]> {
  const byOrder = new Map<string, LineRow[]>();
  for (const line of lines) {
    const list = byOrder.get(line.order_id);
    if (list) list.push(line);
    else byOrder.set(line.order_id, [line]);
  }
  return byOrder;
}

/**
 * Orders (shipments). Every write (create, batch, patch, cancel) goes through the one
 * OrderWriter: checks of the request alone first (400), then one plan and one write.
 */
export class OrderService {
  constructor(
    private readonly knex: Knex,
    private readonly orders: OrderRepository,
    private readonly customers: CustomerRepository,
    private readonly writer: OrderWriter,
    private readonly reportingCurrency: string,
  ) {}

  private notFound(id: string) {
    return new NotFoundError('order_not_found', { id });
  }

  async get(id: string, trx?: Knex.Transaction): Promise<Order> {
    const row = isUuid(id) ? await this.orders.findById(id, trx) : undefined;
    if (!row) throw this.notFound(id);
    return toOrder(row, await this.orders.linesOf([row.id], trx), this.reportingCurrency);
  }

  async getByExternalId(externalId: string): Promise<Order> {
    const row = await this.orders.findByExternalId(externalId);
    if (!row) throw new NotFoundError('order_not_found.external_id', { externalId });
    return toOrder(row, await this.orders.linesOf([row.id]), this.reportingCurrency);
  }

  async list(query: OrderListQuery) {
    const limit = query.limit ?? 50;
    const sortName = query.sort ?? '-orderedAt';
    const after = query.cursor ? decodeCursor(query.cursor, sortName) : undefined;
    let customerId = query.customerId;
    if (query.customerExternalId) {
      const [ref] = await this.customers.findRefs([], [query.customerExternalId]);
      if (!ref || (customerId && customerId !== ref.id)) return { data: [], nextCursor: null };
      customerId = ref.id;
    }
    const rows = await this.orders.list(query, customerId, limit, after);
    const byOrder = linesByOrder(await this.orders.linesOf(rows.slice(0, limit).map((r) => r.id)));
    return pageFrom(
      rows,
      limit,
      (row) => toOrder(row, byOrder.get(row.id) ?? [], this.reportingCurrency),
      (row) => ({ sort: sortName, value: new Date(row.ordered_at).toISOString(), id: row.id }),
    );
  }

  /** What the request alone decides: one customer reference, one product per line, fx rates. */
  private checkRequest(
    input: OrderInput,
    needsCustomer: boolean,
    currency: string | undefined,
    errors: RowErrors,
  ) {
    if (needsCustomer) checkOneCustomerReference(input, input.place, errors);
    for (const p of draftProblems(input, currency, this.reportingCurrency))
      errors.invalid(input.place, p.field, p.message);
  }

  async create(item: OrderCreate, actor: Actor): Promise<Order> {
    const input: OrderInput = { ...item, place: singleBody };
    const errors = new RowErrors();
    this.checkRequest(input, true, input.currency, errors);
    errors.throwIfAny();
    return this.knex.transaction(async (trx) => {
      if (input.externalId && (await this.orders.findByExternalIds([input.externalId], trx)).length > 0) {
        throw new ConflictError('external_id_taken.order', { externalId: input.externalId });
      }
      const [planned] = await this.writer.write([input], actor, trx);
      return this.get(planned!.id, trx);
    });
  }

  /**
   * The bulk-load case, every row new, without first looking for stored orders (on a 1,000-row
   * batch that look-up costs the server about a fifth of the request): write the rows as
   * creations under a savepoint. A row that exists after all fails the insert on the unique
   * external_id, which rolls the savepoint back, and so does any rule a stored order might
   * explain. Either way the answer is undefined and the caller takes the general path, which
   * then answers exactly as it would have.
   */
  private async createAllNew(inputs: OrderInput[], actor: Actor, trx: Knex.Transaction) {
    try {
      return await trx.transaction((savepoint) => this.writer.write(inputs, actor, savepoint));
    } catch (error) {
      if ((error as { status?: number }).status === 422 || isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  /** One transaction for the whole batch: the caller's (an import commits its progress in it), or a new one. */
  async batchUpsert(
    items: OrderBatchItem[],
    actor: Actor,
    outer?: Knex.Transaction,
  ): Promise<BatchRowResult[]> {
    const inputs: OrderInput[] = items.map((item, index) => ({ ...item, place: batchRow(index) }));
    const errors = new RowErrors();
    for (const input of inputs) this.checkRequest(input, true, input.currency, errors);
    checkDuplicateKeys(items, (item) => item.externalId, 'externalId', errors);
    errors.throwIfAny();
    const resultOf = (p: {
      input: OrderInput;
      id: string;
      state: { externalId: string | null };
      outcome: BatchRowResult['outcome'];
    }) => ({
      index: (p.input.place as RowPlace).index,
      id: p.id,
      externalId: p.state.externalId!,
      outcome: p.outcome,
    });
    const work = async (trx: Knex.Transaction) => {
      const created = await this.createAllNew(inputs, actor, trx);
      if (created) return created.map(resultOf);
      const existingRows = await this.orders.findByExternalIds(
        items.map((item) => item.externalId),
        trx,
      );
      const lines = linesByOrder(
        await this.orders.linesOf(
          existingRows.map((r) => r.id),
          trx,
        ),
      );
      const byExternalId = new Map(existingRows.map((r) => [r.external_id!, r]));
      for (const input of inputs) {
        const row = byExternalId.get(input.externalId!);
        if (row) input.existing = { row, lines: lines.get(row.id) ?? [] };
      }
      return (await this.writer.write(inputs, actor, trx)).map(resultOf);
    };
    return outer ? work(outer) : this.knex.transaction(work);
  }

  async patch(
    id: string,
    patch: OrderPatch,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<Order> {
    return this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.orders.findById(id, trx, true) : undefined;
      if (!row) throw this.notFound(id);
      ifMatch(row.version);
      const input: OrderInput = {
        ...patch,
        place: singleBody,
        existing: { row, lines: await this.orders.linesOf([row.id], trx) },
      };
      const errors = new RowErrors();
      this.checkRequest(input, false, input.currency ?? row.currency, errors);
      errors.throwIfAny();
      await this.writer.write([input], actor, trx);
      return this.get(row.id, trx);
    });
  }

  /** Cancelling a cancelled order changes nothing; a returned one cannot be cancelled. */
  async cancel(id: string, ifMatch: (version: number) => number | undefined, actor: Actor): Promise<Order> {
    return this.patch(id, { status: 'cancelled' }, ifMatch, actor);
  }
}
