import type { TestApp } from './test-app';

/** Rows in the customers table, deleted ones included: the ground truth for "nothing written". */
export async function countCustomers(t: TestApp): Promise<number> {
  const [row] = await t.db.knex('customers').count<Array<{ count: string | number }>>('* as count');
  return Number(row?.count ?? 0);
}

/** Creates a customer as admin; fails the test unless it is 201. */
export async function createCustomer(t: TestApp, body: Record<string, unknown>) {
  const res = await t.admin().post('/v1/customers').send(body);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${res.text}`);
  return res.body as Record<string, unknown> & { id: string; version: number };
}
