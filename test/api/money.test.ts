import { createCustomer } from '../helpers/customers';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { testClock } from '../helpers/clock';

const clock = testClock('2026-11-23T08:00:00.000Z');
// Loads of 1,000 rows on a shared, busy machine need more than the default 30 s.
jest.setTimeout(120_000);
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { clock });
});
afterAll(async () => t.close());

test('0.10 a thousand times is exactly 100.00: orders, payments, balances and credit', async () => {
  const customer = await createCustomer(t, { name: 'Penny', externalId: 'M-1' });
  const orders = Array.from({ length: 1000 }, (_, i) => ({
    externalId: `M-SO-${i}`,
    customerExternalId: 'M-1',
    orderedAt: '2026-11-20T10:00:00Z',
    amount: '0.10',
    currency: 'USD',
  }));
  expect((await t.admin().post('/v1/orders/batch').send({ items: orders })).status).toBe(200);
  const rec = await t.admin().get(`/v1/customers/${customer.id}/receivables`);
  expect(rec.body.outstanding).toBe('100.00');
  expect(rec.body.aging['0-30']).toBe('100.00');
  const credit = await t.admin().get(`/v1/customers/${customer.id}/credit`);
  expect(credit.body.factors.billedLastYear).toBe('100.00');
  const [sum] = await t.db
    .knex('orders')
    .where({ customer_id: customer.id })
    .sum<Array<{ sum: string }>>('amount as sum');
  expect(sum?.sum).toMatch(/^100\.0+$/);

  const payments = orders.map((o, i) => ({
    ...o,
    externalId: `M-P-${i}`,
    orderedAt: undefined,
    receivedAt: '2026-11-21T10:00:00Z',
  }));
  expect((await t.admin().post('/v1/payments/batch').send({ items: payments })).status).toBe(200);
  const after = await t.admin().get(`/v1/customers/${customer.id}/receivables`);
  expect(after.body).toEqual(
    expect.objectContaining({ outstanding: '0.00', openOrders: '0.00', unapplied: '0.00' }),
  );
});

test('amounts keep 4 decimals exactly and convert with round half away from zero', async () => {
  const customer = await createCustomer(t, { name: 'Fx' });
  const res = await t.admin().post('/v1/orders').send({
    customerId: customer.id,
    orderedAt: '2026-11-20T10:00:00Z',
    amount: '999999999999999.9999',
    currency: 'JPY',
    fxRate: '0.00005',
  });
  expect(res.status).toBe(201);
  expect(res.body.amount).toBe('999999999999999.9999');
  expect(res.body.reportingAmount).toBe('50000000000.00');
});
