import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { Knex } from 'knex';
import { isUuid, newId } from '../../db/ids';
import { fieldChanges } from '../../domain/field-changes';
import {
  changesPage,
  segmentFilterKeys,
  unknownFilterKeys,
  type ChangeRow,
} from '../../domain/segments/filter';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  UnprocessableError,
  summaryOf,
  type FieldError,
} from '../../http/http-errors';
import { decodeCursor, encodeCursor, pageFrom } from '../../http/pagination';
import type { CustomerRepository } from '../customers/repository';
import type { CustomerListQuery } from '../customers/schemas';
import { SYSTEM_ACTOR, type EventDraft, type EventWriter } from '../events/event-writer';
import type { Actor } from '../events/actor';
import type { Materialised, MemberRow, SegmentRepository, SegmentRow } from './repository';
import {
  LIST_PARAMETERS,
  SegmentFilterSchema,
  type ChangesQuery,
  type Member,
  type PageQuery,
  type Segment,
  type SegmentCreate,
  type SegmentListQuery,
  type SegmentPatch,
} from './schemas';

const iso = (value: Date | string) => new Date(value).toISOString();

export function toSegment(row: SegmentRow): Segment {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    filter: row.filter,
    memberCount: Number(row.member_count),
    refreshedAt: row.refreshed_at ? iso(row.refreshed_at) : null,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    deletedAt: row.deleted_at ? iso(row.deleted_at) : null,
  };
}

const toMember = (row: MemberRow): Member => ({
  customerId: row.customer_id,
  externalId: row.external_id,
  name: row.name,
  addedAt: iso(row.added_at),
});

/**
 * The filter checker: the customer list's own parameter schema, with the query string's
 * coercion (text to numbers and booleans, a lone value to a list), so a saved filter reads
 * as the same parameters in the query string would.
 */
function filterValidator() {
  const ajv = new Ajv({ coerceTypes: 'array', useDefaults: false, allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'example' });
  return ajv.compile(SegmentFilterSchema);
}

const KNOWN_FILTERS = segmentFilterKeys(LIST_PARAMETERS);

/** An Ajv error as a problem entry under body/filter. */
function filterError(error: ErrorObject): FieldError {
  const path = `body/filter${error.instancePath}`;
  return { path, message: error.message ?? 'is invalid', code: 'invalid_segment_filter' };
}

/**
 * Segments (docs/segments.md): dynamic ones keep a customer-list filter and a stored membership
 * re-materialised at every analytics run and on demand; static ones a list kept by hand. Every
 * membership change records who entered and left, and writes one outbox event per customer.
 */
export class SegmentService {
  private readonly validateFilter = filterValidator();

  constructor(
    private readonly knex: Knex,
    private readonly segments: SegmentRepository,
    private readonly customers: CustomerRepository,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
  ) {}

  /** The filter as stored: checked, values converted as the query string would be. 422 otherwise. */
  checkFilter(filter: Record<string, unknown>): Record<string, unknown> {
    const unknown = unknownFilterKeys(filter, KNOWN_FILTERS);
    if (unknown.length > 0) {
      const errors = unknown.map((key) => ({
        path: `body/filter/${key}`,
        message: 'is not a customer-list filter',
        code: 'unknown_segment_filter',
      }));
      throw new UnprocessableError('unknown_segment_filter', { key: unknown.join(', ') }, errors);
    }
    const copy = structuredClone(filter);
    if (!this.validateFilter(copy)) {
      const errors = (this.validateFilter.errors ?? []).map(filterError);
      throw new UnprocessableError('invalid_segment_filter', summaryOf(errors), errors);
    }
    return copy;
  }

  private async require(id: string, trx?: Knex.Transaction): Promise<SegmentRow> {
    const row = isUuid(id) ? await this.segments.findById(id, trx) : undefined;
    if (!row) throw new NotFoundError('segment_not_found', { id });
    return row;
  }

  private async requireLive(id: string, trx?: Knex.Transaction): Promise<SegmentRow> {
    const row = await this.require(id, trx);
    if (row.deleted_at) throw new NotFoundError('segment_not_found', { id });
    return row;
  }

  private async locked(id: string, trx: Knex.Transaction): Promise<SegmentRow> {
    if (!isUuid(id) || !(await this.segments.lock(id, trx)))
      throw new NotFoundError('segment_not_found', { id });
    return this.requireLive(id, trx);
  }

  async get(id: string): Promise<Segment> {
    return toSegment(await this.requireLive(id));
  }

  async list(query: SegmentListQuery) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, 'id') : undefined;
    const rows = await this.segments.list(query, limit, after);
    return pageFrom(rows, limit, toSegment, (row) => ({ sort: 'id', value: null, id: row.id }));
  }

  async create(input: SegmentCreate, actor: Actor): Promise<Segment> {
    let filter: Record<string, unknown> | null = null;
    if (input.kind === 'dynamic') {
      if (input.filter === undefined)
        throw new UnprocessableError('invalid_segment_filter.required', {}, [
          {
            path: 'body/filter',
            message: 'is required for a dynamic segment',
            code: 'invalid_segment_filter',
          },
        ]);
      filter = this.checkFilter(input.filter as Record<string, unknown>);
    } else if (input.filter !== undefined) throw this.staticFilter();
    const id = newId();
    const now = this.clock();
    return this.knex.transaction(async (trx) => {
      await this.segments.insert(
        {
          id,
          name: input.name,
          kind: input.kind,
          filter,
          refreshed_at: null,
          created_at: now,
          updated_at: now,
          deleted_at: null,
        },
        trx,
      );
      if (input.kind === 'dynamic') await this.materialise(id, filter!, null, actor, trx);
      const view = toSegment(await this.require(id, trx));
      await this.events.record(
        [{ type: 'segment.created', entityId: id, customerId: null, data: view }],
        actor,
        trx,
      );
      return view;
    });
  }

  private staticFilter() {
    return new UnprocessableError('invalid_segment_filter.static', {}, [
      { path: 'body/filter', message: 'a static segment has no filter', code: 'invalid_segment_filter' },
    ]);
  }

  async patch(
    id: string,
    input: SegmentPatch,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<Segment> {
    return this.knex.transaction(async (trx) => {
      const before = await this.locked(id, trx);
      ifMatch(before.version);
      let filter: Record<string, unknown> | undefined;
      if (input.filter !== undefined) {
        if (before.kind === 'static') throw this.staticFilter();
        filter = this.checkFilter(input.filter as Record<string, unknown>);
      }
      const columns = {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(filter !== undefined ? { filter } : {}),
        updated_at: this.clock(),
      };
      if (!(await this.segments.update(id, before.version, columns, trx)))
        throw new PreconditionFailedError({ given: `"v${before.version}"`, current: 'changed' });
      if (filter !== undefined) await this.materialise(id, filter, null, actor, trx);
      const after = await this.require(id, trx);
      const view = toSegment(after);
      const changes = fieldChanges(
        { name: before.name, filter: before.filter },
        { name: after.name, filter: after.filter },
      );
      await this.events.record(
        [{ type: 'segment.updated', entityId: id, customerId: null, data: view, changes }],
        actor,
        trx,
      );
      return view;
    });
  }

  async delete(id: string, ifMatch: (version: number) => number | undefined, actor: Actor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const before = await this.locked(id, trx);
      ifMatch(before.version);
      const now = this.clock();
      await this.segments.update(id, before.version, { deleted_at: now, updated_at: now }, trx);
      const view = toSegment(await this.require(id, trx));
      await this.events.record(
        [{ type: 'segment.deleted', entityId: id, customerId: null, data: view }],
        actor,
        trx,
      );
    });
  }

  async restore(id: string, actor: Actor): Promise<Segment> {
    return this.knex.transaction(async (trx) => {
      if (!isUuid(id) || !(await this.segments.lock(id, trx)))
        throw new NotFoundError('segment_not_found', { id });
      const before = await this.require(id, trx);
      if (!before.deleted_at) return toSegment(before);
      await this.segments.update(id, before.version, { deleted_at: null, updated_at: this.clock() }, trx);
      if (before.kind === 'dynamic') await this.materialise(id, before.filter ?? {}, null, actor, trx);
      const view = toSegment(await this.require(id, trx));
      await this.events.record(
        [{ type: 'segment.restored', entityId: id, customerId: null, data: view }],
        actor,
        trx,
      );
      return view;
    });
  }

  /** POST .../members: all or nothing; an unknown or deleted customer is a row error. */
  async addMembers(id: string, customerIds: string[], actor: Actor) {
    return this.knex.transaction(async (trx) => {
      const segment = await this.locked(id, trx);
      if (segment.kind !== 'static') throw new ConflictError('segment_not_static', { id });
      const live = await this.segments.liveCustomers(customerIds, trx);
      const errors: FieldError[] = [];
      customerIds.forEach((customerId, index) => {
        if (!live.has(customerId))
          errors.push({
            path: `body/customerIds/${index}`,
            message: `no customer has id ${customerId}`,
            index,
            code: 'customer_not_found',
          });
      });
      if (errors.length > 0)
        throw new UnprocessableError('customer_not_found.rows', summaryOf(errors), errors);
      const now = this.clock();
      const added = new Set(await this.segments.addMembers(id, [...new Set(customerIds)], now, trx));
      const seen = new Set<string>();
      const results = customerIds.map((customerId, index) => {
        const outcome =
          added.has(customerId) && !seen.has(customerId) ? ('added' as const) : ('unchanged' as const);
        seen.add(customerId);
        return { index, customerId, outcome };
      });
      if (added.size > 0) {
        await this.segments.touch(id, now, trx);
        await this.events.record(
          [...added].sort().map((customerId) => this.memberEvent('segment.member_added', id, customerId)),
          actor,
          trx,
        );
      }
      return { results, memberCount: await this.segments.count(id, trx) };
    });
  }

  private memberEvent(
    type: 'segment.member_added' | 'segment.member_removed',
    segmentId: string,
    customerId: string,
  ): EventDraft {
    return { type, entityId: segmentId, customerId, data: { segmentId, customerId, runId: null } };
  }

  async removeMember(id: string, customerId: string, actor: Actor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const segment = await this.locked(id, trx);
      if (segment.kind !== 'static') throw new ConflictError('segment_not_static', { id });
      if (!isUuid(customerId) || !(await this.segments.removeMember(id, customerId, trx)))
        throw new NotFoundError('segment_member_not_found', { id, customerId });
      await this.segments.touch(id, this.clock(), trx);
      await this.events.record([this.memberEvent('segment.member_removed', id, customerId)], actor, trx);
    });
  }

  async members(id: string, query: PageQuery) {
    await this.requireLive(id);
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, 'customerId') : undefined;
    const rows = await this.segments.members(id, limit, after?.id);
    return pageFrom(rows, limit, toMember, (row) => ({
      sort: 'customerId',
      value: null,
      id: row.customer_id,
    }));
  }

  async count(id: string): Promise<{ count: number; refreshedAt: string | null }> {
    const segment = await this.requireLive(id);
    return {
      count: Number(segment.member_count),
      refreshedAt: segment.refreshed_at ? iso(segment.refreshed_at) : null,
    };
  }

  /** POST .../refresh: a dynamic segment re-materialised now, from the current run's values. */
  async refresh(id: string, actor: Actor) {
    return this.knex.transaction(async (trx) => {
      const segment = await this.locked(id, trx);
      if (segment.kind !== 'dynamic') throw new ConflictError('segment_not_dynamic', { id });
      const at = this.clock();
      const result = await this.materialise(id, segment.filter ?? {}, null, actor, trx, at);
      return { ...result, refreshedAt: at.toISOString() };
    });
  }

  /** GET .../changes: who entered and left at a run (the current one by default), paged. */
  async changes(id: string, query: ChangesQuery) {
    await this.requireLive(id);
    const runId = query.runId ?? (await this.segments.currentRunId());
    if (runId === undefined) throw new NotFoundError('no_analytics_run', {});
    if (!(await this.segments.runExists(runId)))
      throw new NotFoundError('analytics_run_not_found', { id: runId });
    const limit = query.limit ?? 1000;
    let after: ChangeRow | undefined;
    if (query.cursor) {
      const position = decodeCursor(query.cursor, 'change');
      if (position.value !== 'entered' && position.value !== 'left')
        throw new BadRequestError('invalid_cursor', {});
      after = { change: position.value, customerId: position.id };
    }
    const refresh = await this.segments.findRefresh(id, runId);
    const rows = refresh ? await this.segments.changes(refresh.id, limit, after) : [];
    const page = changesPage(rows, limit);
    return {
      runId,
      entered: page.entered,
      left: page.left,
      nextCursor: page.next
        ? encodeCursor({ sort: 'change', value: page.next.change, id: page.next.customerId })
        : null,
    };
  }

  private async materialise(
    segmentId: string,
    filter: Record<string, unknown>,
    runId: string | null,
    actor: Actor,
    trx: Knex.Transaction,
    at: Date = this.clock(),
  ): Promise<Materialised> {
    const target = this.customers.matchingIds(filter as CustomerListQuery, trx);
    return this.segments.materialise(
      { segmentId, refreshId: newId(), runId, target, at, batchId: newId(), actor },
      trx,
    );
  }

  /**
   * At an analytics run, in its publishing transaction (the run is current already): every
   * live dynamic segment re-materialised from the run's values, its changes recorded under the
   * run's id.
   */
  async refreshForRun(runId: string, trx: Knex.Transaction): Promise<void> {
    for (const id of await this.segments.liveDynamicIds(trx)) {
      await this.segments.lock(id, trx);
      const segment = await this.require(id, trx);
      await this.materialise(id, segment.filter ?? {}, runId, SYSTEM_ACTOR, trx);
    }
  }

  /**
   * The customers a campaign launched on the segment goes to, sorted by id, in the launch's
   * transaction: a dynamic segment is re-materialised first, so the launch freezes its
   * membership as of now. Undefined when there is no such live segment.
   */
  async membersForLaunch(segmentId: string, trx: Knex.Transaction): Promise<string[] | undefined> {
    if (!isUuid(segmentId) || !(await this.segments.lock(segmentId, trx))) return undefined;
    const segment = await this.require(segmentId, trx);
    if (segment.deleted_at) return undefined;
    if (segment.kind === 'dynamic')
      await this.materialise(segmentId, segment.filter ?? {}, null, SYSTEM_ACTOR, trx);
    return this.segments.liveMemberIds(segmentId, trx);
  }
}
