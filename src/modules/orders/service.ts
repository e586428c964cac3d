import { assertUniqueExternalIds } from '../../http/batch-rows';
import type { Knex } from 'knex';
import { pushesPastLimit } from '../../domain/credit';
import { checkLineSum, fromUnits, normalizeMoney, normalizeRate, toUnits } from '../../domain/money';
import { isUuid, newId } from '../../db/ids';
import {
  ConflictError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
  type FieldError,
} from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { Actor } from '../audit/actor';
import { fieldChanges } from '../audit/field-changes';
import type { AuditRepository } from '../audit/repository';
import type { CustomerService } from '../customers/service';
import type { ProductRepository, ProductRow } from '../products/repository';
import { isCrossRegion } from './cross-region';
import {
  DEFAULT_TERMS,
  reportingUnits,
  sameState,
  stateOf,
  toOrder,
  writeOf,
  type OrderState,
} from './order-state';
import type {
  AuditWrite,
  CustomerRef,
  LineRow,
  LineWrite,
  OrderRepository,
  OrderRow,
  OrderWrite,
} from './repository';
import {
  OPEN_ORDER_STATUSES,
  type Order,
  type OrderLineInput,
  type OrderListQuery,
  type OrderPatch,
  type OrderStatus,
} from './schemas';

export type Outcome = 'created' | 'updated' | 'unchanged';

/** One row to write, whatever path it came by (create, batch, patch). Absent fields keep their values. */
interface RowInput {
  index: number;
  /** Prefix of error paths: `body` or `body/items/3`. */
  path: string;
  existing?: { row: OrderRow; lines: LineRow[] };
  externalId?: string | null;
  customerId?: string;
  customerExternalId?: string;
  orderedAt?: string;
  amount?: string;
  currency?: string;
  fxRate?: string;
  lines?: OrderLineInput[];
  region?: string | null;
  status?: OrderStatus;
  paymentTermsDays?: number;
}

interface RowError extends FieldError {
  code: string;
}

interface PlannedRow {
  input: RowInput;
  id: string;
  outcome: Outcome;
  before: OrderState | null;
  state: OrderState;
  crossRegion: boolean;
  linesChanged: boolean;
  /** The customer has a credit limit on record (see creditFlags). */
  creditLimited: boolean;
}

const FINAL_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'returned']);

// A batch plans 1,000 rows per request, so the per-row work below avoids closures, spreads
// and needless round trips through bigint and Date; each shortcut answers what the exact
// path would.

function rowError(errors: RowError[], input: RowInput, code: string, field: string, message: string): void {
  errors.push({ code, index: input.index, path: `${input.path}/${field}`, message });
}

function shapeError(errors: FieldError[], input: RowInput, field: string, message: string): void {
  errors.push({ index: input.index, path: `${input.path}/${field}`, message });
}

/** Amounts with exactly two decimals and no leading zero are already canonical. */
const CANONICAL_MONEY = /^(?:0|[1-9]\d{0,14})\.\d\d$/;

function canonicalMoney(text: string): string {
  return CANONICAL_MONEY.test(text) ? text : normalizeMoney(text);
}

/** UTC timestamps with milliseconds are already what toISOString() answers, when the day exists. */
const ISO_UTC_MS =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

function canonicalTimestamp(text: string): string {
  const match = ISO_UTC_MS.exec(text);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    // Day 0 of the next month is the last day of this one.
    if (Number(match[3]) <= new Date(Date.UTC(year, month, 0)).getUTCDate()) return text;
  }
  return new Date(text).toISOString();
}

const resultOf = (p: PlannedRow) => ({
  index: p.input.index,
  id: p.id,
  externalId: p.state.externalId!,
  outcome: p.outcome,
});

const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';

function fail(errors: RowError[]): never {
  const codes = [...new Set(errors.map((e) => e.code))];
  const code = codes.length === 1 ? codes[0]! : 'invalid_rows';
  const detail = errors.map((e) => `${e.path} ${e.message}`).join('; ');
  throw new UnprocessableError(
    code,
    detail,
    errors.map(({ code: _code, ...rest }) => rest),
  );
}

/**
 * Orders (shipments). Every write path (create, batch, patch, cancel) runs through one plan:
 * validate in memory, resolve customers, products and existing orders with one query each,
 * then write with one statement per kind (orders, lines, audit).
 */
export class OrderService {
  constructor(
    private readonly knex: Knex,
    private readonly orders: OrderRepository,
    private readonly products: ProductRepository,
    private readonly customers: CustomerService,
    private readonly audit: AuditRepository,
    private readonly clock: () => Date,
    private readonly reportingCurrency: string,
  ) {}

  private notFound(id: string) {
    return new NotFoundError('order_not_found', `No order has id ${id}.`);
  }

  async get(id: string, trx?: Knex.Transaction): Promise<Order> {
    const row = isUuid(id) ? await this.orders.findById(id, trx) : undefined;
    if (!row) throw this.notFound(id);
    return toOrder(row, await this.orders.linesOf([row.id], trx), this.reportingCurrency);
  }

  async getByExternalId(externalId: string): Promise<Order> {
    const row = await this.orders.findByExternalId(externalId);
    if (!row) throw new NotFoundError('order_not_found', `No order has externalId ${externalId}.`);
    return toOrder(row, await this.orders.linesOf([row.id]), this.reportingCurrency);
  }

  async list(query: OrderListQuery) {
    const limit = query.limit ?? 50;
    const sortName = query.sort ?? '-orderedAt';
    const after = query.cursor ? decodeCursor(query.cursor, sortName) : undefined;
    let customerId = query.customerId;
    if (query.customerExternalId) {
      const [ref] = await this.orders.resolveCustomers([], [query.customerExternalId]);
      if (!ref || (customerId && customerId !== ref.id)) return { data: [], nextCursor: null };
      customerId = ref.id;
    }
    const rows = await this.orders.list(query, customerId, limit, after);
    const lines = await this.orders.linesOf(rows.slice(0, limit).map((r) => r.id));
    const byOrder = new Map<string, LineRow[]>();
    for (const line of lines) byOrder.set(line.order_id, [...(byOrder.get(line.order_id) ?? []), line]);
    return pageFrom(
      rows,
      limit,
      (row) => toOrder(row, byOrder.get(row.id) ?? [], this.reportingCurrency),
      (row) => ({ sort: sortName, value: new Date(row.ordered_at).toISOString(), id: row.id }),
    );
  }

  /** Checks that need no database: one customer reference, one product reference per line, fx rates. */
  private checkShape(input: RowInput, needsCustomer: boolean, errors: FieldError[] = []): FieldError[] {
    if (needsCustomer && (input.customerId === undefined) === (input.customerExternalId === undefined)) {
      shapeError(errors, input, 'customerId', 'give exactly one of customerId and customerExternalId');
    }
    input.lines?.forEach((line, j) => {
      if ((line.productId === undefined) === (line.sku === undefined)) {
        shapeError(errors, input, `lines/${j}/productId`, 'give exactly one of productId and sku');
      }
    });
    if (input.fxRate !== undefined) {
      const rate = normalizeRate(input.fxRate);
      if (rate === '0') shapeError(errors, input, 'fxRate', 'must be greater than 0');
      if (input.currency === this.reportingCurrency && rate !== '1') {
        shapeError(
          errors,
          input,
          'fxRate',
          `must be 1 (or absent) for the reporting currency ${this.reportingCurrency}`,
        );
      }
    }
    return errors;
  }

  /** Resolves references, merges each input onto its order, and validates the result. */
  private async plan(
    inputs: RowInput[],
    trx: Knex.Transaction,
  ): Promise<{ planned: PlannedRow[]; customers: Map<string, CustomerRef> }> {
    const customerIds = new Set<string>();
    const customerExternalIds = new Set<string>();
    const productIds = new Set<string>();
    const skus = new Set<string>();
    for (const input of inputs) {
      if (input.customerId) customerIds.add(input.customerId);
      if (input.customerExternalId) customerExternalIds.add(input.customerExternalId);
      if (input.existing) customerIds.add(input.existing.row.customer_id);
      for (const line of input.lines ?? []) {
        if (line.productId) productIds.add(line.productId);
        if (line.sku) skus.add(line.sku);
      }
    }
    const [customerRows, productRows] = await Promise.all([
      this.orders.resolveCustomers([...customerIds], [...customerExternalIds], trx),
      this.products.findByIdsOrSkus([...productIds], [...skus], trx),
    ]);
    const byId = new Map(customerRows.map((c) => [c.id, c]));
    const byExternalId = new Map(customerRows.filter((c) => c.external_id).map((c) => [c.external_id!, c]));
    const productById = new Map(productRows.map((p) => [p.id, p]));
    const productBySku = new Map<string, ProductRow>(productRows.map((p) => [p.sku, p]));

    const errors: RowError[] = [];
    const planned: PlannedRow[] = [];
    for (const input of inputs) {
      const existing = input.existing;
      const before = existing ? stateOf(existing.row, existing.lines) : null;

      let customer: CustomerRef | undefined;
      if (input.customerId !== undefined || input.customerExternalId !== undefined) {
        customer =
          input.customerId !== undefined
            ? byId.get(input.customerId)
            : byExternalId.get(input.customerExternalId!);
        if (!customer || customer.deleted_at) {
          const named =
            input.customerId !== undefined
              ? `id ${input.customerId}`
              : `externalId ${input.customerExternalId}`;
          rowError(
            errors,
            input,
            'customer_not_found',
            input.customerId !== undefined ? 'customerId' : 'customerExternalId',
            `no customer has ${named}`,
          );
          continue;
        }
        if (before && before.customerId !== customer.id) {
          rowError(
            errors,
            input,
            'customer_mismatch',
            'customerId',
            `the order belongs to customer ${before.customerId}; it cannot move`,
          );
          continue;
        }
      } else {
        customer = byId.get(before!.customerId);
      }

      let lines = before?.lines ?? [];
      if (input.lines) {
        const resolved = [];
        for (const [j, line] of input.lines.entries()) {
          const product = line.productId ? productById.get(line.productId) : productBySku.get(line.sku!);
          if (!product) {
            rowError(
              errors,
              input,
              'product_not_found',
              `lines/${j}/${line.productId ? 'productId' : 'sku'}`,
              `no product has ${line.productId ? `id ${line.productId}` : `sku ${line.sku}`}`,
            );
          } else {
            resolved.push({
              productId: product.id,
              quantity: line.quantity,
              unitPrice: canonicalMoney(line.unitPrice),
            });
          }
        }
        if (resolved.length !== input.lines.length) continue;
        lines = resolved;
      }

      const currency = input.currency ?? before?.currency ?? this.reportingCurrency;
      let fxRate = input.fxRate !== undefined ? normalizeRate(input.fxRate) : undefined;
      if (fxRate === undefined) {
        if (currency === this.reportingCurrency) fxRate = '1';
        else if (before && before.currency === currency) fxRate = before.fxRate;
        else {
          rowError(
            errors,
            input,
            'fx_rate_required',
            'fxRate',
            `is required for currency ${currency} (reporting currency ${this.reportingCurrency})`,
          );
          continue;
        }
      }
      const state: OrderState = {
        externalId: input.externalId !== undefined ? input.externalId : (before?.externalId ?? null),
        customerId: customer!.id,
        orderedAt: input.orderedAt !== undefined ? canonicalTimestamp(input.orderedAt) : before!.orderedAt,
        amount: input.amount !== undefined ? canonicalMoney(input.amount) : before!.amount,
        currency,
        fxRate,
        region: input.region !== undefined ? input.region : (before?.region ?? null),
        status: input.status ?? before?.status ?? 'placed',
        paymentTermsDays: input.paymentTermsDays ?? before?.paymentTermsDays ?? DEFAULT_TERMS,
        lines,
      };
      if (state.lines.length > 0) {
        const check = checkLineSum(state.amount, state.lines);
        if (!check.ok) {
          rowError(
            errors,
            input,
            'line_sum_mismatch',
            'amount',
            `is ${state.amount} but the lines add up to ${fromUnits(check.linesTotal)}`,
          );
          continue;
        }
      }
      if (before && FINAL_STATUSES.has(before.status) && state.status !== before.status) {
        rowError(
          errors,
          input,
          'invalid_status_transition',
          'status',
          `a ${before.status} order is final; it cannot become ${state.status}`,
        );
        continue;
      }
      const outcome: Outcome = !before ? 'created' : sameState(before, state) ? 'unchanged' : 'updated';
      planned.push({
        input,
        id: existing?.row.id ?? newId(),
        outcome,
        before,
        state,
        crossRegion: isCrossRegion(
          {
            category: customer!.category,
            region: customer!.region,
            assignedRegions: customer!.assigned_regions,
          },
          state.region,
        ),
        linesChanged:
          input.lines !== undefined && JSON.stringify(before?.lines ?? []) !== JSON.stringify(lines),
        creditLimited: customer!.has_credit_limit,
      });
    }
    if (errors.length > 0) fail(errors);
    return { planned, customers: byId };
  }

  /** Over-limit flags for new open orders, in input order, from each customer's balance and limit on record. */
  private async creditFlags(created: PlannedRow[], trx: Knex.Transaction): Promise<Set<string>> {
    const open = created.filter((p) => p.creditLimited && OPEN_ORDER_STATUSES.includes(p.state.status));
    if (open.length === 0) return new Set();
    const positions = await this.orders.creditPositions(
      [...new Set(open.map((p) => p.state.customerId))],
      trx,
    );
    const balances = new Map(
      positions.map((p) => [
        p.customer_id,
        { limit: toUnits(p.suggested_limit), balance: toUnits(p.balance) },
      ]),
    );
    const flagged = new Set<string>();
    for (const p of open) {
      const position = balances.get(p.state.customerId);
      if (!position) continue;
      const amount = reportingUnits(p.state);
      if (pushesPastLimit(position.balance, amount, position.limit)) flagged.add(p.id);
      position.balance += amount;
    }
    return flagged;
  }

  private async persist(planned: PlannedRow[], actor: Actor, trx: Knex.Transaction): Promise<void> {
    const now = this.clock();
    const created = planned.filter((p) => p.outcome === 'created');
    const updated = planned.filter((p) => p.outcome === 'updated');
    const flagged = await this.creditFlags(created, trx);
    const lineWrites: LineWrite[] = [];
    const addLines = (p: PlannedRow) =>
      p.state.lines.forEach((l, j) =>
        lineWrites.push({
          order_id: p.id,
          line_no: j + 1,
          product_id: l.productId,
          quantity: l.quantity,
          unit_price: l.unitPrice,
        }),
      );
    const inserts: OrderWrite[] = created.map((p) => {
      addLines(p);
      return writeOf(p.id, p.state, p.crossRegion, flagged.has(p.id));
    });
    const updates: OrderWrite[] = updated.map((p) => {
      if (p.linesChanged) addLines(p);
      return writeOf(p.id, p.state, p.crossRegion, false);
    });
    await this.orders.insertOrders(inserts, now, trx);
    await this.orders.updateOrders(updates, now, trx);
    await this.orders.deleteLines(
      updated.filter((p) => p.linesChanged).map((p) => p.id),
      trx,
    );
    await this.orders.insertLines(lineWrites, trx);
    // A creation entry names who and when; the row itself is the first state, and every later
    // update records the old and new value of each field it changed.
    const entries: AuditWrite[] = [];
    for (const p of created) entries.push({ id: newId(), entity_id: p.id, action: 'created', changes: [] });
    for (const p of updated) {
      entries.push({
        id: newId(),
        entity_id: p.id,
        action: 'updated',
        changes: fieldChanges(p.before, p.state),
      });
    }
    await this.orders.insertAudit(
      entries,
      {
        entity_type: 'order',
        actor_key_id: actor.keyId,
        actor_name: actor.name,
        request_id: actor.requestId,
        at: now.toISOString(),
      },
      trx,
    );
  }

  /** Field by field rather than a spread, so that every row has the same shape. */
  private inputOf(item: Omit<RowInput, 'index' | 'path'>, index: number, path: string): RowInput {
    return {
      index,
      path,
      existing: item.existing,
      externalId: item.externalId,
      customerId: item.customerId,
      customerExternalId: item.customerExternalId,
      orderedAt: item.orderedAt,
      amount: item.amount,
      currency: item.currency,
      fxRate: item.fxRate,
      lines: item.lines,
      region: item.region,
      status: item.status,
      paymentTermsDays: item.paymentTermsDays,
    };
  }

  async create(item: Omit<RowInput, 'index' | 'path' | 'existing'>, actor: Actor): Promise<Order> {
    const input = this.inputOf(item, 0, 'body');
    const shape = this.checkShape(input, true);
    if (shape.length) throw new ValidationError(shape.map((e) => `${e.path} ${e.message}`).join('; '), shape);
    return this.knex.transaction(async (trx) => {
      if (input.externalId && (await this.orders.findByExternalIds([input.externalId], trx)).length > 0) {
        throw new ConflictError(
          'external_id_taken',
          `An order with externalId ${input.externalId} exists; use POST /v1/orders/batch to upsert.`,
        );
      }
      const { planned } = await this.plan([input], trx);
      await this.persist(planned, actor, trx);
      return this.get(planned[0]!.id, trx);
    });
  }

  /**
   * The bulk-load case, every row new, without first looking for stored orders (on a 1,000-row
   * batch that look-up costs the server about a fifth of the request): plan the rows as
   * creations and write them under a savepoint. A row that exists after all fails the insert
   * on the unique external_id, which rolls the savepoint back, and so does any planning problem
   * that a stored order might explain. Either way the answer is undefined and the caller takes
   * the general path, which then answers exactly as it would have.
   */
  private async createAllNew(
    inputs: RowInput[],
    actor: Actor,
    trx: Knex.Transaction,
  ): Promise<PlannedRow[] | undefined> {
    try {
      return await trx.transaction(async (savepoint) => {
        const { planned } = await this.plan(inputs, savepoint);
        await this.persist(planned, actor, savepoint);
        return planned;
      });
    } catch (error) {
      if (error instanceof UnprocessableError || isUniqueViolation(error)) return undefined;
      throw error;
    }
  }

  async batchUpsert(
    items: Array<Omit<RowInput, 'index' | 'path' | 'existing'> & { externalId: string }>,
    actor: Actor,
    outer?: Knex.Transaction,
  ): Promise<Array<{ index: number; id: string; externalId: string; outcome: Outcome }>> {
    const inputs = items.map((item, index) => this.inputOf(item, index, `body/items/${index}`));
    const errors: FieldError[] = [];
    for (const input of inputs) this.checkShape(input, true, errors);
    if (errors.length)
      throw new ValidationError(errors.map((e) => `${e.path} ${e.message}`).join('; '), errors);
    assertUniqueExternalIds(items, 'body/items/');

    // One transaction for the whole batch: the caller's (an import commits its progress in it), or a new one.
    const work = async (trx: Knex.Transaction) => {
      const created = await this.createAllNew(inputs, actor, trx);
      if (created) return created.map(resultOf);
      const existingRows = await this.orders.findByExternalIds(
        items.map((item) => item.externalId),
        trx,
      );
      const existingLines = await this.orders.linesOf(
        existingRows.map((r) => r.id),
        trx,
      );
      const linesByOrder = new Map<string, LineRow[]>();
      for (const line of existingLines)
        linesByOrder.set(line.order_id, [...(linesByOrder.get(line.order_id) ?? []), line]);
      const byExternalId = new Map(existingRows.map((r) => [r.external_id!, r]));
      for (const input of inputs) {
        const row = byExternalId.get(input.externalId!);
        if (row) input.existing = { row, lines: linesByOrder.get(row.id) ?? [] };
      }
      const { planned } = await this.plan(inputs, trx);
      await this.persist(planned, actor, trx);
      return planned.map(resultOf);
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
      const input: RowInput = {
        ...patch,
        index: 0,
        path: 'body',
        existing: { row, lines: await this.orders.linesOf([row.id], trx) },
      };
      const shape = this.checkShape({ ...input, currency: input.currency ?? row.currency }, false);
      if (shape.length)
        throw new ValidationError(shape.map((e) => `${e.path} ${e.message}`).join('; '), shape);
      const { planned } = await this.plan([input], trx);
      await this.persist(planned, actor, trx);
      return this.get(row.id, trx);
    });
  }

  /** Cancelling a cancelled order changes nothing; a returned one cannot be cancelled. */
  async cancel(id: string, ifMatch: (version: number) => number | undefined, actor: Actor): Promise<Order> {
    return this.patch(id, { status: 'cancelled' }, ifMatch, actor);
  }

  /** A channel customer's assigned regions (DOMAIN.md 1); orders shipped elsewhere are flagged. */
  async setAssignedRegions(customerId: string, regions: string[], actor: Actor): Promise<string[]> {
    return this.knex.transaction(async (trx) => {
      const customer = await this.customers.requireLive(customerId, trx);
      if (customer.category !== 'channel') {
        throw new UnprocessableError(
          'not_a_channel',
          'Only channel customers (category channel) have assigned regions.',
        );
      }
      const before = await this.orders.assignedRegions(customer.id, trx);
      const after = [...regions].sort();
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        await this.orders.setAssignedRegions(customer.id, after, trx);
        await this.audit.record(
          [
            {
              entityType: 'customer',
              entityId: customer.id,
              action: 'assigned_regions_changed',
              actorKeyId: actor.keyId,
              actorName: actor.name,
              requestId: actor.requestId,
              changes: [{ field: 'assignedRegions', old: before, new: after }],
              at: this.clock(),
            },
          ],
          trx,
        );
      }
      return after;
    });
  }

  async assignedRegions(customerId: string): Promise<string[]> {
    const customer = await this.customers.requireLive(customerId);
    return this.orders.assignedRegions(customer.id);
  }
}
