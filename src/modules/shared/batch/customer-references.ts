import type { Knex } from 'knex';
import type { CustomerRef } from '../../customers/repository';
import type { RowErrors, RowPlace } from './row-errors';

/** A row that names its customer, by our id or by the caller's. */
export interface CustomerReference {
  customerId?: string;
  customerExternalId?: string;
}

export interface CustomerRefLookup {
  findRefs(ids: string[], externalIds: string[], trx?: Knex.Transaction): Promise<CustomerRef[]>;
}

/**
 * The customers a batch names, read with one query, and the one rule for a reference that
 * names none: `customer_not_found` at the field that named it, for an unknown customer and
 * for a deleted one alike (a deleted customer takes no new orders or payments).
 */
export class CustomerReferences {
  private constructor(
    private readonly byId: Map<string, CustomerRef>,
    private readonly byExternalId: Map<string, CustomerRef>,
  ) {}

  /** `alsoIds`: customers the rows do not name but the write needs (those of existing records). */
  static async load(
    lookup: CustomerRefLookup,
    rows: Iterable<CustomerReference>,
    alsoIds: Iterable<string>,
    trx: Knex.Transaction,
  ): Promise<CustomerReferences> {
    const ids = new Set<string>(alsoIds);
    const externalIds = new Set<string>();
    for (const row of rows) {
      if (row.customerId !== undefined) ids.add(row.customerId);
      if (row.customerExternalId !== undefined) externalIds.add(row.customerExternalId);
    }
    const found = await lookup.findRefs([...ids], [...externalIds], trx);
    return new CustomerReferences(
      new Map(found.map((c) => [c.id, c])),
      new Map(found.filter((c) => c.external_id !== null).map((c) => [c.external_id!, c])),
    );
  }

  /** The live customer a row names; undefined, with the error recorded, when it names none. */
  resolve(row: CustomerReference, place: RowPlace, errors: RowErrors): CustomerRef | undefined {
    const byOurId = row.customerId !== undefined;
    const customer = byOurId
      ? this.byId.get(row.customerId!)
      : this.byExternalId.get(row.customerExternalId!);
    if (customer && !customer.deleted_at) return customer;
    const named = byOurId ? `id ${row.customerId}` : `externalId ${row.customerExternalId}`;
    errors.add(
      place,
      byOurId ? 'customerId' : 'customerExternalId',
      'customer_not_found',
      customer ? `the customer with ${named} is deleted` : `no customer has ${named}`,
    );
    return undefined;
  }

  /** A customer the write already knows by id (that of an existing record). */
  get(id: string): CustomerRef | undefined {
    return this.byId.get(id);
  }
}

/** Exactly one of customerId and customerExternalId: a rule of the request alone. */
export function checkOneCustomerReference(row: CustomerReference, place: RowPlace, errors: RowErrors): void {
  if ((row.customerId === undefined) === (row.customerExternalId === undefined)) {
    errors.invalid(place, 'customerId', 'give exactly one of customerId and customerExternalId');
  }
}

/**
 * A stored record keeps its customer: naming another one is `customer_mismatch`. Answers
 * whether the row may go on.
 */
export function keepsItsCustomer(
  resource: string,
  storedCustomerId: string | undefined,
  customerId: string,
  place: RowPlace,
  errors: RowErrors,
): boolean {
  if (storedCustomerId === undefined || storedCustomerId === customerId) return true;
  errors.add(
    place,
    'customerId',
    'customer_mismatch',
    `the ${resource} belongs to customer ${storedCustomerId}; it cannot move`,
  );
  return false;
}
