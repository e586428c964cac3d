import type { Knex } from 'knex';
import { isUuid, newId } from '../../db/ids';
import { fieldChanges } from '../../domain/field-changes';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { Actor } from '../events/actor';
import type { EventDraft, EventWriter } from '../events/event-writer';
import { RowErrors, singleBody } from '../shared/batch/row-errors';
import type { ServiceLevelRepository, ServiceLevelRow } from './repository';
import type { ServiceLevel, ServiceLevelCreate, ServiceLevelListQuery, ServiceLevelPatch } from './schemas';

export function toServiceLevel(row: ServiceLevelRow): ServiceLevel {
  return {
    id: row.id,
    type: row.type,
    priority: row.priority,
    firstResponseMinutes: row.first_response_minutes,
    resolveMinutes: row.resolve_minutes,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** A target that resolves before it answers cannot be met as written: refused like a schema error. */
function checkOrder(firstResponseMinutes: number, resolveMinutes: number): void {
  const errors = new RowErrors();
  if (resolveMinutes < firstResponseMinutes)
    errors.invalid(singleBody, 'resolveMinutes', 'must not be less than firstResponseMinutes');
  errors.throwIfAny();
}

/** SLA targets, one per service type and priority (docs/service.md). */
export class ServiceLevelService {
  constructor(
    private readonly knex: Knex,
    private readonly levels: ServiceLevelRepository,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
  ) {}

  private notFound(id: string) {
    return new NotFoundError('service_level_not_found', { id });
  }

  private event(
    type: EventDraft['type'],
    level: ServiceLevel,
    changes: EventDraft['changes'] = null,
  ): EventDraft {
    return { type, entityId: level.id, customerId: null, data: level, changes };
  }

  async get(id: string): Promise<ServiceLevel> {
    const row = isUuid(id) ? await this.levels.findById(id) : undefined;
    if (!row) throw this.notFound(id);
    return toServiceLevel(row);
  }

  async list(query: ServiceLevelListQuery) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, 'id') : undefined;
    const rows = await this.levels.list(query, limit, after);
    return pageFrom(rows, limit, toServiceLevel, (row) => ({ sort: 'id', value: null, id: row.id }));
  }

  async create(input: ServiceLevelCreate, actor: Actor): Promise<ServiceLevel> {
    checkOrder(input.firstResponseMinutes, input.resolveMinutes);
    return this.knex.transaction(async (trx) => {
      const taken = await this.levels.findFor(input.type, input.priority, trx);
      if (taken)
        throw new ConflictError('service_level_exists', {
          type: input.type,
          priority: input.priority,
          id: taken.id,
        });
      const now = this.clock();
      const row = await this.levels.insert(
        {
          id: newId(),
          type: input.type,
          priority: input.priority,
          first_response_minutes: input.firstResponseMinutes,
          resolve_minutes: input.resolveMinutes,
          created_at: now,
          updated_at: now,
        },
        trx,
      );
      const level = toServiceLevel(row);
      await this.events.record([this.event('service_level.created', level)], actor, trx);
      return level;
    });
  }

  async patch(
    id: string,
    input: ServiceLevelPatch,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<ServiceLevel> {
    return this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.levels.findById(id, trx, true) : undefined;
      if (!row) throw this.notFound(id);
      ifMatch(row.version);
      const before = {
        firstResponseMinutes: row.first_response_minutes,
        resolveMinutes: row.resolve_minutes,
      };
      const after = { ...before, ...input };
      checkOrder(after.firstResponseMinutes, after.resolveMinutes);
      const changes = fieldChanges(before, after);
      if (changes.length === 0) return toServiceLevel(row);
      const updated = await this.levels.update(
        row.id,
        row.version,
        {
          first_response_minutes: after.firstResponseMinutes,
          resolve_minutes: after.resolveMinutes,
          updated_at: this.clock(),
        },
        trx,
      );
      if (!updated) throw new PreconditionFailedError({}, 'precondition_failed.changed');
      const level = toServiceLevel(updated);
      await this.events.record([this.event('service_level.updated', level, changes)], actor, trx);
      return level;
    });
  }

  async delete(id: string, ifMatch: (version: number) => number | undefined, actor: Actor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.levels.findById(id, trx, true) : undefined;
      if (!row) throw this.notFound(id);
      ifMatch(row.version);
      await this.levels.delete(row.id, trx);
      await this.events.record([this.event('service_level.deleted', toServiceLevel(row))], actor, trx);
    });
  }
}
