import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

// Loads of 1,000 rows on a shared, busy machine need more than the default 30 s.
jest.setTimeout(120_000);
let t: TestApp;
const count = async (table: string, where: Record<string, unknown> = {}) => {
  const [row] = await t.db.knex(table).where(where).count<Array<{ count: string | number }>>('* as count');
  return Number(row?.count ?? 0);
};

beforeAll(async () => {
  t = await createTestApp();
  const customers = await t
    .admin()
    .post('/v1/customers/batch')
    .send({
      items: Array.from({ length: 50 }, (_, i) => ({ externalId: `B-C-${i}`, name: `Customer ${i}` })),
    });
  expect(customers.status).toBe(200);
  await t.admin().post('/v1/products').send({ sku: 'P-1', name: 'Thing' });
});
afterAll(async () => t.close());

const rows = (n: number, prefix = 'B-SO') =>
  Array.from({ length: n }, (_, i) => ({
    externalId: `${prefix}-${i}`,
    customerExternalId: `B-C-${i % 50}`,
    orderedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
    amount: `${(i % 97) + 1}.25`,
    currency: 'USD',
    ...(i % 10 === 0
      ? {
          lines: [
            { sku: 'P-1', quantity: (i % 97) + 1, unitPrice: '1.00' },
            { sku: 'P-1', quantity: 1, unitPrice: '0.25' },
          ],
        }
      : {}),
  }));

test('1,000 rows: created in input order; resending answers unchanged and writes nothing', async () => {
  const items = rows(1000);
  const first = await t.admin().post('/v1/orders/batch').send({ items });
  expect(first.status).toBe(200);
  expect(first.body.results).toHaveLength(1000);
  first.body.results.forEach((r: { index: number; externalId: string; outcome: string }, i: number) => {
    expect(r).toEqual(expect.objectContaining({ index: i, externalId: `B-SO-${i}`, outcome: 'created' }));
  });
  expect(await count('orders')).toBe(1000);
  expect(await count('order_lines')).toBe(200);
  expect(await count('events', { entity_type: 'order' })).toBe(1000);

  const again = await t.admin().post('/v1/orders/batch').send({ items });
  expect(again.status).toBe(200);
  expect(again.body.results.map((r: { id: string }) => r.id)).toEqual(
    first.body.results.map((r: { id: string }) => r.id),
  );
  expect(new Set(again.body.results.map((r: { outcome: string }) => r.outcome))).toEqual(
    new Set(['unchanged']),
  );
  expect(await count('orders')).toBe(1000);
  expect(await count('events', { entity_type: 'order' })).toBe(1000);
  const [versions] = await t.db.knex('orders').max<Array<{ max: number }>>('version as max');
  expect(versions?.max).toBe(1);
});

test('changed rows are updated, the rest unchanged; lines are replaced', async () => {
  const items = rows(3, 'U-SO');
  await t.admin().post('/v1/orders/batch').send({ items });
  const changed = [
    { ...items[0]!, status: 'shipped' },
    items[1]!,
    { ...items[2]!, amount: '2.00', lines: [{ sku: 'P-1', quantity: 2, unitPrice: '1.00' }] },
  ];
  const res = await t.admin().post('/v1/orders/batch').send({ items: changed });
  expect(res.body.results.map((r: { outcome: string }) => r.outcome)).toEqual([
    'updated',
    'unchanged',
    'updated',
  ]);
  const third = await t.admin().get('/v1/orders/external/U-SO-2');
  expect(third.body).toEqual(expect.objectContaining({ amount: '2.00', version: 2 }));
  expect(third.body.lines).toEqual([
    expect.objectContaining({ quantity: 2, unitPrice: '1.00', total: '2.00' }),
  ]);
  const first = await t.admin().get('/v1/orders/external/U-SO-0');
  expect(first.body.lines).toHaveLength(2);
  expect(first.body.status).toBe('shipped');
});

test('one bad row (unknown customer): nothing is written and that row is named', async () => {
  const before = await count('orders');
  const items = rows(20, 'X-SO');
  items[13] = { ...items[13]!, customerExternalId: 'no-such-customer' };
  const res = await t.admin().post('/v1/orders/batch').send({ items });
  const body = expectProblem(res, 422, 'customer_not_found');
  expect(body.errors).toEqual([
    expect.objectContaining({ index: 13, path: 'body/items/13/customerExternalId' }),
  ]);
  expect(await count('orders')).toBe(before);
});

test('a schema error or a repeated externalId is 400 naming the row; line sums are 422', async () => {
  const before = await count('orders');
  const items = rows(5, 'Y-SO');
  const bad = items.map((item, i) => (i === 2 ? { ...item, amount: '1e5' } : item));
  const res = await t.admin().post('/v1/orders/batch').send({ items: bad });
  const body = expectProblem(res, 400, 'validation_failed');
  expect(body.errors).toEqual([expect.objectContaining({ path: 'body/items/2/amount', index: 2 })]);

  const dup = await t
    .admin()
    .post('/v1/orders/batch')
    .send({ items: [items[0], items[1], items[0]] });
  const dupBody = expectProblem(dup, 400, 'duplicate_in_batch');
  expect(dupBody.errors).toEqual([
    expect.objectContaining({ path: 'body/items/2/externalId', index: 2, code: 'duplicate_in_batch' }),
  ]);

  const sums = items.map((item, i) =>
    i === 4 ? { ...item, lines: [{ sku: 'P-1', quantity: 1, unitPrice: '0.01' }] } : item,
  );
  const sumBody = expectProblem(
    await t.admin().post('/v1/orders/batch').send({ items: sums }),
    422,
    'line_sum_mismatch',
  );
  expect(sumBody.errors).toEqual([
    expect.objectContaining({
      path: expect.stringMatching(/^body\/items\/4\//),
      index: 4,
      code: 'line_sum_mismatch',
    }),
  ]);

  const noCustomer = items.map((item, i) => (i === 1 ? { ...item, customerExternalId: undefined } : item));
  expect(
    expectProblem(
      await t.admin().post('/v1/orders/batch').send({ items: noCustomer }),
      400,
      'validation_failed',
    ).errors,
  ).toEqual([expect.objectContaining({ path: 'body/items/1/customerId', index: 1 })]);
  expect(await count('orders')).toBe(before);
});

test('more than 1,000 rows or none is 400', async () => {
  expectProblem(
    await t
      .admin()
      .post('/v1/orders/batch')
      .send({ items: rows(1001, 'Z') }),
    400,
  );
  expectProblem(await t.admin().post('/v1/orders/batch').send({ items: [] }), 400);
});

test('Idempotency-Key replays the first answer', async () => {
  const items = rows(2, 'I-SO');
  const first = await t.admin().post('/v1/orders/batch').set('idempotency-key', 'batch-1').send({ items });
  const replay = await t.admin().post('/v1/orders/batch').set('idempotency-key', 'batch-1').send({ items });
  expect(replay.headers['idempotent-replayed']).toBe('true');
  expect(replay.body).toEqual(first.body);
});
