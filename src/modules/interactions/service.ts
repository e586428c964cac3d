import type { Knex } from 'knex';
import { dayRange } from '../../domain/service/day-range';
import { isUuid } from '../../db/ids';
import { BadRequestError, NotFoundError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { Actor } from '../events/actor';
import { checkOneCustomerReference } from '../shared/batch/customer-references';
import { checkDuplicateKeys } from '../shared/batch/duplicate-keys';
import { batchRow, RowErrors, singleBody } from '../shared/batch/row-errors';
import { toInteraction } from './interaction-view';
import type { InteractionWriter, RowInput } from './interaction-writer';
import type { InteractionRepository, InteractionRow } from './repository';
import type {
  Interaction,
  InteractionBatchItem,
  InteractionCreate,
  InteractionListQuery,
  InteractionPatch,
} from './schemas';

const SORT = '-occurredAt';

/** Interactions (docs/domain.md section 3): calls, visits, e-mails, ... with a customer. */
export class InteractionService {
  constructor(
    private readonly knex: Knex,
    private readonly interactions: InteractionRepository,
    private readonly writer: InteractionWriter,
  ) {}

  private async require(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<InteractionRow> {
    const row = isUuid(id) ? await this.interactions.findById(id, trx, forUpdate) : undefined;
    if (!row) throw new NotFoundError('interaction_not_found', { id });
    return row;
  }

  async get(id: string): Promise<Interaction> {
    return toInteraction(await this.require(id));
  }

  async list(query: InteractionListQuery) {
    const range = dayRange(query.from, query.to);
    if (!range) throw new BadRequestError('invalid_range', {});
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, SORT) : undefined;
    const rows = await this.interactions.list({ ...query, range }, limit, after);
    return pageFrom(rows, limit, toInteraction, (row) => ({
      sort: SORT,
      value: new Date(row.occurred_at).toISOString(),
      id: row.id,
    }));
  }

  async create(input: InteractionCreate, actor: Actor): Promise<Interaction> {
    const errors = new RowErrors();
    checkOneCustomerReference(input, singleBody, errors);
    errors.throwIfAny();
    return this.knex.transaction(async (trx) => {
      const [result] = await this.writer.upsertRows([{ ...input, place: singleBody }], 'create', actor, trx);
      return toInteraction(await this.require(result!.id, trx));
    });
  }

  async patch(
    id: string,
    input: InteractionPatch,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<Interaction> {
    return this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      ifMatch(row.version);
      return toInteraction(await this.writer.patch(row, input, singleBody, actor, trx));
    });
  }

  async remove(id: string, ifMatch: (version: number) => number | undefined, actor: Actor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      ifMatch(row.version);
      await this.writer.remove(row, actor, trx);
    });
  }

  /** Upsert by externalId, all rows or none, in one transaction (the caller's, or a new one). */
  async batchUpsert(items: InteractionBatchItem[], actor: Actor, outer?: Knex.Transaction) {
    const inputs: RowInput[] = items.map((item, index) => ({ ...item, place: batchRow(index) }));
    const errors = new RowErrors();
    for (const input of inputs) checkOneCustomerReference(input, input.place, errors);
    checkDuplicateKeys(items, (item) => item.externalId, 'externalId', errors);
    errors.throwIfAny();
    const work = (trx: Knex.Transaction) => this.writer.upsertRows(inputs, 'upsert', actor, trx);
    const results = await (outer ? work(outer) : this.knex.transaction(work));
    return results.map((r) => ({ ...r, externalId: r.externalId ?? '' }));
  }
}
