import type { Knex } from 'knex';
import type { TSchema } from 'typebox';
import type { Actor } from '../events/actor';
import { BatchItem } from '../customers/schemas';
import type { CustomerService } from '../customers/service';
import { OrderBatchItem } from '../orders/schemas';
import type { OrderService } from '../orders/service';
import { PaymentBatchItem } from '../payments/schemas';
import type { PaymentService } from '../payments/service';
import type { ImportResource } from './schemas';

export type RowOutcome = 'created' | 'updated' | 'unchanged';

/** What an import writes to: the resource's batch item schema and its batch upsert. */
export interface ImportTarget {
  itemSchema: TSchema;
  /** Writes in the caller's transaction; a bad row throws an HttpError naming its `index`. */
  upsert(
    items: Array<Record<string, unknown>>,
    actor: Actor,
    trx: Knex.Transaction,
  ): Promise<Array<{ outcome: RowOutcome }>>;
}

export interface ImportTargetServices {
  customers: CustomerService;
  orders: OrderService;
  payments: PaymentService;
}

/** Rows reach upsert only after validation against itemSchema, so the casts below hold. */
export function importTargets(services: ImportTargetServices): Record<ImportResource, ImportTarget> {
  return {
    customers: {
      itemSchema: BatchItem,
      upsert: (items, actor, trx) => services.customers.batchUpsert(items as BatchItem[], actor, trx),
    },
    orders: {
      itemSchema: OrderBatchItem,
      upsert: (items, actor, trx) => services.orders.batchUpsert(items as OrderBatchItem[], actor, trx),
    },
    payments: {
      itemSchema: PaymentBatchItem,
      upsert: (items, actor, trx) => services.payments.batchUpsert(items as PaymentBatchItem[], actor, trx),
    },
  };
}
