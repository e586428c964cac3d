import type { Knex } from 'knex';
import { isUuid, newId } from '../../db/ids';
import { ConflictError, NotFoundError, UnprocessableError } from '../../http/http-errors';
import { pageFrom } from '../../http/pagination';
import type { Actor } from '../events/actor';
import type { EventWriter } from '../events/event-writer';
import type { CustomerService } from '../customers/service';
import { INVERSE_LABEL, isSymmetric, type RelationshipType } from './relationship-types';
import type { RelationshipRepository, RelationshipRow } from './repository';

function view(row: RelationshipRow, perspective: string) {
  const outgoing = row.from_customer_id === perspective;
  const type = row.type as RelationshipType;
  return {
    id: row.id,
    type: row.type,
    fromCustomerId: row.from_customer_id,
    toCustomerId: row.to_customer_id,
    direction: outgoing ? ('outgoing' as const) : ('incoming' as const),
    otherCustomerId: outgoing ? row.to_customer_id : row.from_customer_id,
    label: outgoing ? type : INVERSE_LABEL[type],
    note: row.note,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** Typed ties between customers, readable from both ends; changes go to both customers' history. */
export class RelationshipService {
  constructor(
    private readonly knex: Knex,
    private readonly relationships: RelationshipRepository,
    private readonly customers: CustomerService,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
  ) {}

  /** One event per tie, under the customer that started it; both customers' feeds find it by data. */
  private async record(
    actor: Actor,
    row: RelationshipRow,
    type: 'relationship.created' | 'relationship.deleted',
    trx: Knex.Transaction,
  ) {
    await this.events.record(
      [{ type, entityId: row.id, customerId: row.from_customer_id, data: view(row, row.from_customer_id) }],
      actor,
      trx,
    );
  }

  async create(
    customerId: string,
    input: { type: RelationshipType; otherCustomerId: string; note?: string | null },
    actor: Actor,
  ) {
    return this.knex.transaction(async (trx) => {
      await this.customers.requireLive(customerId, trx);
      if (input.otherCustomerId === customerId) {
        throw new UnprocessableError('invalid_relationship.self', {}, [
          { path: 'body/otherCustomerId', message: 'names the same customer' },
        ]);
      }
      try {
        await this.customers.requireLive(input.otherCustomerId, trx);
      } catch {
        throw new UnprocessableError('invalid_relationship', { id: input.otherCustomerId }, [
          { path: 'body/otherCustomerId', message: 'names no live customer' },
        ]);
      }
      const existing = await this.relationships.findExisting(
        customerId,
        input.otherCustomerId,
        input.type,
        isSymmetric(input.type),
        trx,
      );
      if (existing) throw new ConflictError('relationship_exists', { type: input.type, id: existing.id });
      const row = await this.relationships.insert(
        {
          id: newId(),
          from_customer_id: customerId,
          to_customer_id: input.otherCustomerId,
          type: input.type,
          note: input.note ?? null,
          created_at: this.clock(),
        },
        trx,
      );
      await this.record(actor, row, 'relationship.created', trx);
      return view(row, customerId);
    });
  }

  async list(customerId: string, limit: number, afterId?: string, type?: string) {
    await this.customers.requireLive(customerId);
    const rows = await this.relationships.listFor(customerId, limit, afterId, type);
    return pageFrom(
      rows,
      limit,
      (row) => view(row, customerId),
      (row) => ({ sort: 'id', value: null, id: row.id }),
    );
  }

  async remove(customerId: string, relationshipId: string, actor: Actor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await this.customers.requireLive(customerId, trx);
      const row = isUuid(relationshipId)
        ? await this.relationships.findFor(customerId, relationshipId, trx)
        : undefined;
      if (!row) throw new NotFoundError('relationship_not_found', { customerId, relationshipId });
      await this.relationships.delete(row.id, trx);
      await this.record(actor, row, 'relationship.deleted', trx);
    });
  }
}
