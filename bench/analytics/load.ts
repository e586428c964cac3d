import type { Knex } from 'knex';
import { newId } from '../../src/db/ids';
import { DEFAULT_BUSINESS, syntheticBusiness } from '../../src/demo/synthetic-business';

/** Customers generated and inserted at a time: bounds the loader's memory at any base size. */
const GENERATION_CHUNK = 100_000;

/** The day after the synthetic business's last order: the benchmark's asOf. */
export function syntheticAsOf(): string {
  const end = Date.parse(`${DEFAULT_BUSINESS.start}T00:00:00Z`) + DEFAULT_BUSINESS.days * 86_400_000;
  return new Date(end).toISOString().slice(0, 10);
}

/**
 * Inserts `customers` synthetic customers (BG/NBD purchases, Gamma-Gamma spend, about ten orders
 * each) straight into the tables, 100,000 customers at a time, each chunk from its own seed.
 * Returns the number of orders.
 */
export async function loadSyntheticBusiness(knex: Knex, customers: number): Promise<number> {
  const now = new Date().toISOString();
  let orders = 0;
  for (let first = 0; first < customers; first += GENERATION_CHUNK) {
    const chunk = Math.min(GENERATION_CHUNK, customers - first);
    const business = syntheticBusiness({
      ...DEFAULT_BUSINESS,
      customers: chunk,
      seed: DEFAULT_BUSINESS.seed + first,
      prefix: `${DEFAULT_BUSINESS.prefix}${first / GENERATION_CHUNK}`,
    });
    const ids = new Map(business.customers.map((c) => [c.externalId, newId()]));
    for (let i = 0; i < business.customers.length; i += 10000) {
      const slice = business.customers.slice(i, i + 10000);
      await knex.raw(
        `INSERT INTO customers (id, external_id, kind, category, name, sort_name, search_text, created_at, updated_at)
         SELECT id, ext, 'person', 'consumer', name, lower(name), lower(name), ?, ?
           FROM unnest(?::uuid[], ?::text[], ?::text[]) AS u(id, ext, name)`,
        [
          now,
          now,
          slice.map((c) => ids.get(c.externalId)!),
          slice.map((c) => c.externalId),
          slice.map((c) => c.name),
        ],
      );
    }
    for (let i = 0; i < business.orders.length; i += 20000) {
      const slice = business.orders.slice(i, i + 20000);
      await knex.raw(
        `INSERT INTO orders (id, external_id, customer_id, ordered_at, amount, currency, status, created_at, updated_at)
         SELECT id, ext, cid, at, amount, 'USD', status, ?, ?
           FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::timestamptz[], ?::numeric[], ?::text[]) AS u(id, ext, cid, at, amount, status)`,
        [
          now,
          now,
          slice.map(() => newId()),
          slice.map((o) => o.externalId),
          slice.map((o) => ids.get(o.customerExternalId)!),
          slice.map((o) => o.orderedAt),
          slice.map((o) => o.amount),
          slice.map((o) => o.status),
        ],
      );
    }
    orders += business.orders.length;
  }
  await knex.raw('ANALYZE');
  return orders;
}
