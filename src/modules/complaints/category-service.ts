import type { Knex } from 'knex';
import { isUuid, newId } from '../../db/ids';
import { fieldChanges } from '../../domain/field-changes';
import { PLACEHOLDERS, unknownPlaceholders } from '../../domain/service/answer-template';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { Actor } from '../events/actor';
import type { EventDraft, EventWriter } from '../events/event-writer';
import { RowErrors, singleBody } from '../shared/batch/row-errors';
import type { CategoryRepository, CategoryRow } from './category-repository';
import type { Category, CategoryCreate, CategoryListQuery, CategoryPatch } from './category-schemas';

export function toCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    standardAnswer: row.standard_answer,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** A template is checked when it is saved, so filing a complaint never fails on it. */
function checkTemplate(template: string | undefined): void {
  if (template === undefined) return;
  const errors = new RowErrors();
  for (const name of unknownPlaceholders(template))
    errors.add(
      singleBody,
      'standardAnswer',
      'unknown_placeholder',
      `names {{${name}}}, which is no placeholder`,
    );
  errors.throwIfAny();
}

/** Complaint categories, each with its standard answer (docs/service.md). */
export class ComplaintCategoryService {
  constructor(
    private readonly knex: Knex,
    private readonly categories: CategoryRepository,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
  ) {}

  placeholders() {
    return { data: Object.entries(PLACEHOLDERS).map(([name, description]) => ({ name, description })) };
  }

  private notFound(id: string) {
    return new NotFoundError('complaint_category_not_found', { id });
  }

  private event(
    type: EventDraft['type'],
    category: Category,
    changes: EventDraft['changes'] = null,
  ): EventDraft {
    return { type, entityId: category.id, customerId: null, data: category, changes };
  }

  async get(id: string): Promise<Category> {
    const row = isUuid(id) ? await this.categories.findById(id) : undefined;
    if (!row) throw this.notFound(id);
    return toCategory(row);
  }

  async list(query: CategoryListQuery) {
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, 'id') : undefined;
    const rows = await this.categories.list(limit, after);
    return pageFrom(rows, limit, toCategory, (row) => ({ sort: 'id', value: null, id: row.id }));
  }

  async create(input: CategoryCreate, actor: Actor): Promise<Category> {
    checkTemplate(input.standardAnswer);
    return this.knex.transaction(async (trx) => {
      if (await this.categories.findByName(input.name, trx))
        throw new ConflictError('complaint_category_exists', { name: input.name });
      const now = this.clock();
      const row = await this.categories.insert(
        {
          id: newId(),
          name: input.name,
          description: input.description ?? null,
          standard_answer: input.standardAnswer,
          created_at: now,
          updated_at: now,
        },
        trx,
      );
      const category = toCategory(row);
      await this.events.record([this.event('complaint_category.created', category)], actor, trx);
      return category;
    });
  }

  async patch(
    id: string,
    input: CategoryPatch,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<Category> {
    checkTemplate(input.standardAnswer);
    return this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.categories.findById(id, trx, true) : undefined;
      if (!row) throw this.notFound(id);
      ifMatch(row.version);
      const before = { name: row.name, description: row.description, standardAnswer: row.standard_answer };
      const after = {
        name: input.name ?? before.name,
        description: input.description === undefined ? before.description : input.description,
        standardAnswer: input.standardAnswer ?? before.standardAnswer,
      };
      const changes = fieldChanges(before, after);
      if (changes.length === 0) return toCategory(row);
      if (after.name !== before.name && (await this.categories.findByName(after.name, trx)))
        throw new ConflictError('complaint_category_exists', { name: after.name });
      const updated = await this.categories.update(
        row.id,
        row.version,
        {
          name: after.name,
          description: after.description,
          standard_answer: after.standardAnswer,
          updated_at: this.clock(),
        },
        trx,
      );
      if (!updated) throw new PreconditionFailedError({}, 'precondition_failed.changed');
      const category = toCategory(updated);
      await this.events.record([this.event('complaint_category.updated', category, changes)], actor, trx);
      return category;
    });
  }

  async delete(id: string, ifMatch: (version: number) => number | undefined, actor: Actor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = isUuid(id) ? await this.categories.findById(id, trx, true) : undefined;
      if (!row) throw this.notFound(id);
      ifMatch(row.version);
      if (await this.categories.isUsed(row.id, trx))
        throw new ConflictError('complaint_category_in_use', { id: row.id });
      await this.categories.delete(row.id, trx);
      await this.events.record([this.event('complaint_category.deleted', toCategory(row))], actor, trx);
    });
  }
}
