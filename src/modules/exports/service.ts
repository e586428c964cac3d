import { Readable, Transform, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyBaseLogger } from 'fastify';
import { toCustomer } from '../customers/customer-row';
import { CUSTOMER_CSV_COLUMNS } from '../customers/csv-columns';
import { toOrder } from '../orders/order-state';
import type { LineRow, OrderRepository } from '../orders/repository';
import { Order } from '../orders/schemas';
import { Payment } from '../payments/schemas';
import type { PaymentService } from '../payments/service';
import type { ExportRepository } from './repository';
import type { ExportFormat, ExportResource } from './schemas';

/** Rows read per query: what an export holds in memory at once, besides the socket's buffers. */
const PAGE_SIZE = 500;

/** CSV columns: every field of the resource as its GET shows it, in schema order. */
const COLUMNS: Record<ExportResource, string[]> = {
  customers: CUSTOMER_CSV_COLUMNS,
  orders: Object.keys(Order.properties),
  payments: Object.keys(Payment.properties),
};

export interface ExportOptions {
  includeDeleted: boolean;
}

/**
 * Full exports as a stream: pages are read only as the client takes the bytes (Readable.from
 * pulls the generator on demand), so a table of any size goes out with bounded memory.
 */
export class ExportService {
  constructor(
    private readonly repository: ExportRepository,
    private readonly orders: OrderRepository,
    private readonly payments: PaymentService,
    private readonly reportingCurrency: string,
    private readonly log: FastifyBaseLogger,
  ) {}

  private async *customers(includeDeleted: boolean): AsyncGenerator<object> {
    let after: string | null = null;
    for (;;) {
      const rows = await this.repository.customersAfter(after, PAGE_SIZE, includeDeleted);
      for (const row of rows) yield toCustomer(row);
      if (rows.length < PAGE_SIZE) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  private async *orderRecords(): AsyncGenerator<object> {
    let after: string | null = null;
    for (;;) {
      const rows = await this.repository.ordersAfter(after, PAGE_SIZE);
      const lines = new Map<string, LineRow[]>();
      for (const line of await this.orders.linesOf(rows.map((r) => r.id))) {
        lines.set(line.order_id, [...(lines.get(line.order_id) ?? []), line]);
      }
      for (const row of rows) yield toOrder(row, lines.get(row.id) ?? [], this.reportingCurrency);
      if (rows.length < PAGE_SIZE) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  /** Payments page through their own list (newest first, keyset on receivedAt and id). */
  private async *paymentRecords(): AsyncGenerator<object> {
    let cursor: string | undefined;
    do {
      const page = await this.payments.list({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
      yield* page.data;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  records(resource: ExportResource, options: ExportOptions): AsyncGenerator<object> {
    switch (resource) {
      case 'customers':
        return this.customers(options.includeDeleted);
      case 'orders':
        return this.orderRecords();
      case 'payments':
        return this.paymentRecords();
    }
  }

  /** NDJSON: one record per line. CSV: a header row, then one row per record; lists and objects as JSON. */
  stream(resource: ExportResource, format: ExportFormat, options: ExportOptions): Readable {
    const records = Readable.from(this.records(resource, options));
    const encode =
      format === 'csv'
        ? stringify({
            header: true,
            columns: COLUMNS[resource],
            record_delimiter: 'windows',
            cast: { boolean: (value) => String(value) },
          })
        : new Transform({
            writableObjectMode: true,
            transform(record: object, _encoding, callback) {
              callback(null, `${JSON.stringify(record)}\n`);
            },
          });
    // A failure after the first bytes cannot become a problem document: the response is cut
    // short (no final CRLF chunk), which HTTP clients report as an incomplete body.
    return pipeline(records, encode, (error) => {
      if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        this.log.error({ err: error, resource }, 'export failed');
      }
    });
  }
}
