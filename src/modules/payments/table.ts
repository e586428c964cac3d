import type { Knex } from 'knex';
import type { AllocationRow, PaymentRow, RefundRow } from './repository';

/**
 * The payments module's tables as Knex's query builder types them (knex/types/tables). The
 * repository imports this file, which is what brings the declarations into a program.
 */

/** A new payment: reporting_amount is generated, the version starts at the database's default. */
export type PaymentInsert = Omit<PaymentRow, 'reporting_amount' | 'version' | 'received_at'> & {
  received_at: Date | string;
  version?: number;
};

/** An update sets any columns but the key and the creation time; the version is bumped in SQL. */
export type PaymentUpdate = Partial<Omit<PaymentInsert, 'id' | 'created_at' | 'version'>> & {
  version?: Knex.Raw;
};

export type RefundInsert = Omit<RefundRow, 'refunded_at'> & { refunded_at: Date | string };

declare module 'knex/types/tables' {
  interface Tables {
    payments: Knex.CompositeTableType<PaymentRow, PaymentInsert, PaymentUpdate>;
    payment_allocations: AllocationRow;
    /** Refunds are written once and never updated. */
    payment_refunds: Knex.CompositeTableType<RefundRow, RefundInsert, never>;
  }
}
