import type { Knex } from 'knex';
import { isUuid, newId } from '../../db/ids';
import { NotFoundError, PreconditionFailedError, UnprocessableError } from '../../http/http-errors';
import { pageFrom } from '../../http/pagination';
import type { Actor } from '../events/actor';
import { fieldChanges, type FieldChange } from '../../domain/field-changes';
import type { EventWriter } from '../events/event-writer';
import type { CustomerService } from '../customers/service';
import type { ContactRepository, ContactRow } from './repository';

export interface ContactInput {
  name?: string;
  role?: string | null;
  email?: string | null;
  phone?: string | null;
  notes?: string | null;
}

export interface ContactView {
  id: string;
  customerId: string;
  name: string;
  role: string | null;
  email: string | null;
  phone: string | null;
  notes: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

function toContact(row: ContactRow): ContactView {
  return {
    id: row.id,
    customerId: row.customer_id,
    name: row.name,
    role: row.role,
    email: row.email,
    phone: row.phone,
    notes: row.notes,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

const editable = (row: ContactRow) => ({
  name: row.name,
  role: row.role,
  email: row.email,
  phone: row.phone,
  notes: row.notes,
});

/**
 * Contact persons of an organisation (docs/domain.md section 1): a person has none. Changes
 * appear in the customer's history.
 */
export class ContactService {
  constructor(
    private readonly knex: Knex,
    private readonly contacts: ContactRepository,
    private readonly customers: CustomerService,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
  ) {}

  private async record(
    actor: Actor,
    type: 'contact.created' | 'contact.updated' | 'contact.deleted',
    customerId: string,
    row: ContactRow,
    changes: FieldChange[] | null,
    trx: Knex.Transaction,
  ) {
    await this.events.record(
      [{ type, entityId: row.id, customerId, data: toContact(row), changes }],
      actor,
      trx,
    );
  }

  private async requireContact(
    customerId: string,
    contactId: string,
    trx?: Knex.Transaction,
  ): Promise<ContactRow> {
    const row = isUuid(contactId) ? await this.contacts.find(customerId, contactId, trx) : undefined;
    if (!row) throw new NotFoundError('contact_not_found', { customerId, contactId });
    return row;
  }

  async create(
    customerId: string,
    input: ContactInput & { name: string },
    actor: Actor,
  ): Promise<ContactView> {
    return this.knex.transaction(async (trx) => {
      const customer = await this.customers.requireLive(customerId, trx);
      if (customer.kind !== 'organization') {
        throw new UnprocessableError('not_an_organisation', { id: customer.id, kind: customer.kind });
      }
      const now = this.clock();
      const row = await this.contacts.insert(
        {
          id: newId(),
          customer_id: customerId,
          name: input.name,
          role: input.role ?? null,
          email: input.email ?? null,
          phone: input.phone ?? null,
          notes: input.notes ?? null,
          created_at: now,
          updated_at: now,
        },
        trx,
      );
      await this.record(actor, 'contact.created', customerId, row, null, trx);
      return toContact(row);
    });
  }

  async list(customerId: string, limit: number, afterId?: string) {
    await this.customers.requireLive(customerId);
    const rows = await this.contacts.list(customerId, limit, afterId);
    return pageFrom(rows, limit, toContact, (row) => ({ sort: 'id', value: null, id: row.id }));
  }

  async get(customerId: string, contactId: string): Promise<ContactView> {
    await this.customers.requireLive(customerId);
    return toContact(await this.requireContact(customerId, contactId));
  }

  async patch(
    customerId: string,
    contactId: string,
    input: ContactInput,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<ContactView> {
    return this.knex.transaction(async (trx) => {
      await this.customers.requireLive(customerId, trx);
      const row = await this.requireContact(customerId, contactId, trx);
      ifMatch(row.version);
      const before = editable(row);
      const after = {
        ...before,
        ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
      };
      const changes = fieldChanges(before, after);
      if (changes.length === 0) return toContact(row);
      const updated = await this.contacts.update(
        row.id,
        row.version,
        { ...after, updated_at: this.clock() },
        trx,
      );
      if (!updated) throw new PreconditionFailedError({}, 'precondition_failed.changed');
      await this.record(actor, 'contact.updated', customerId, updated, changes, trx);
      return toContact(updated);
    });
  }

  async remove(
    customerId: string,
    contactId: string,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ) {
    await this.knex.transaction(async (trx) => {
      await this.customers.requireLive(customerId, trx);
      const row = await this.requireContact(customerId, contactId, trx);
      ifMatch(row.version);
      await this.contacts.delete(row.id, trx);
      await this.record(actor, 'contact.deleted', customerId, row, null, trx);
    });
  }
}
