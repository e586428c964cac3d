import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

const clock = testClock('2026-11-23T08:00:00.000Z');
// Loads of 1,000 rows on a shared, busy machine need more than the default 30 s.
jest.setTimeout(120_000);
let t: TestApp;
const count = async (table: string) => {
  const [row] = await t.db.knex(table).count<Array<{ count: string | number }>>('* as count');
  return Number(row?.count ?? 0);
};
const createOrder = async (body: Record<string, unknown>) => {
  const res = await t
    .admin()
    .post('/v1/orders')
    .send({ currency: 'USD', ...body });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  return res.body as { id: string };
};
const pay = (body: Record<string, unknown>) =>
  t
    .admin()
    .post('/v1/payments')
    .send({ currency: 'USD', ...body });

beforeAll(async () => {
  t = await createTestApp({}, { clock });
});
afterAll(async () => t.close());

describe('allocation, balances and aging (checked by hand)', () => {
  let customer: { id: string };
  let o2: { id: string };
  let o3: { id: string };
  beforeAll(async () => {
    customer = await createCustomer(t, { name: 'Receivable Ltd', externalId: 'R-1' });
    await createOrder({ customerId: customer.id, orderedAt: '2026-08-01T10:00:00Z', amount: '100.00' });
    o2 = await createOrder({ customerId: customer.id, orderedAt: '2026-09-15T10:00:00Z', amount: '200.00' });
    o3 = await createOrder({ customerId: customer.id, orderedAt: '2026-11-01T10:00:00Z', amount: '50.00' });
    const o4 = await createOrder({
      customerId: customer.id,
      orderedAt: '2026-10-01T10:00:00Z',
      amount: '70.00',
    });
    await t.admin().post(`/v1/orders/${o4.id}/cancel`);
  });

  test('a payment without allocations settles the oldest open order', async () => {
    const res = await pay({
      customerExternalId: 'R-1',
      externalId: 'P-1',
      amount: '100.00',
      receivedAt: '2026-08-20T09:00:00Z',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        customerId: customer.id,
        amount: '100.00',
        reportingAmount: '100.00',
        allocations: [],
        refunded: '0.00',
      }),
    );
    const rec = await t.admin().get(`/v1/customers/${customer.id}/receivables`);
    expect(rec.body.orders.map((o: { orderId: string }) => o.orderId)).toEqual([o2.id, o3.id]);
  });

  test('explicit allocations first, the rest FIFO; outstanding, overdue and aging', async () => {
    const res = await pay({
      customerId: customer.id,
      externalId: 'P-2',
      amount: '80.00',
      receivedAt: '2026-11-10T09:00:00Z',
      allocations: [{ orderId: o3.id, amount: '50.00' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.allocations).toEqual([{ orderId: o3.id, amount: '50.00' }]);
    const rec = await t.admin().get(`/v1/customers/${customer.id}/receivables`);
    expect(rec.status).toBe(200);
    // 350 billed (the cancelled 70 does not count) - 180 paid; o2 (due 2026-10-15) is 39 days late, 69 days old.
    expect(rec.body).toEqual({
      customerId: customer.id,
      asOf: '2026-11-23',
      currency: 'USD',
      outstanding: '170.00',
      openOrders: '170.00',
      unapplied: '0.00',
      overdue: '170.00',
      overdueDays: 39,
      aging: { '0-30': '0.00', '31-60': '0.00', '61-90': '170.00', '90+': '0.00' },
      orders: [
        {
          orderId: o2.id,
          orderedDate: '2026-09-15',
          dueDate: '2026-10-15',
          amount: '200.00',
          paid: '30.00',
          open: '170.00',
        },
      ],
    });
  });

  test('credit: score 55, grade C, limit 29.16; a later order past the limit is flagged, not refused', async () => {
    const res = await t.admin().get(`/v1/customers/${customer.id}/credit`);
    expect(res.status).toBe(200);
    // punctuality 40 x 2/3 (o1 and o3 paid on time, o2 late) = 26.67; speed 20 (19 and 9 days: mean 14);
    // overdue age 8 (39 days); largest overdue 170 > average order 116.67: 0. Total 54.67 -> 55 (C).
    // Limit: 350 billed in the last year / 12 x 1 (C) = 29.1666.. -> 29.16.
    expect(res.body).toEqual(
      expect.objectContaining({
        score: 55,
        grade: 'C',
        suggestedLimit: '29.16',
        outstanding: '170.00',
        overdue: '170.00',
        overdueDays: 39,
        aging: { '0-30': '0.00', '31-60': '0.00', '61-90': '170.00', '90+': '0.00' },
      }),
    );
    expect(res.body.factors).toEqual(
      expect.objectContaining({
        onTimeShare: 2 / 3,
        averageDaysToPay: 14,
        largestOverdue: '170.00',
        billedLastYear: '350.00',
      }),
    );
    const next = await t
      .admin()
      .post('/v1/orders')
      .send({ customerId: customer.id, orderedAt: '2026-11-22T10:00:00Z', amount: '10.00', currency: 'USD' });
    expect(next.status).toBe(201);
    expect(next.body.overCreditLimit).toBe(true);
    const flagged = await t.admin().get(`/v1/orders?customerId=${customer.id}&overCreditLimit=true`);
    expect(flagged.body.data.map((o: { id: string }) => o.id)).toEqual([next.body.id]);
  });

  test('a customer never evaluated has no limit to pass', async () => {
    const fresh = await createCustomer(t, { name: 'Fresh' });
    const res = await t
      .admin()
      .post('/v1/orders')
      .send({ customerId: fresh.id, orderedAt: '2026-11-22T10:00:00Z', amount: '9999.00', currency: 'USD' });
    expect(res.body.overCreditLimit).toBe(false);
  });

  test('credit needs customers:read; unknown customer is 404', async () => {
    const key = await t.keyWith('orders:read');
    expectProblem(await t.as(key).get(`/v1/customers/${customer.id}/credit`), 403);
    expectProblem(
      await t.admin().get('/v1/customers/0192f3c4-0000-7000-8000-000000000000/credit'),
      404,
      'customer_not_found',
    );
  });
});

describe('overpayment and refunds', () => {
  test('a payment larger than the balance leaves a credit balance; a refund takes it back', async () => {
    const customer = await createCustomer(t, { name: 'Overpayer' });
    await createOrder({ customerId: customer.id, orderedAt: '2026-11-01T10:00:00Z', amount: '40.00' });
    const payment = await pay({
      customerId: customer.id,
      amount: '100.00',
      receivedAt: '2026-11-05T10:00:00Z',
    });
    expect(payment.status).toBe(201);
    let rec = await t.admin().get(`/v1/customers/${customer.id}/receivables`);
    expect(rec.body).toEqual(
      expect.objectContaining({ outstanding: '-60.00', openOrders: '0.00', unapplied: '60.00', orders: [] }),
    );

    const refund = await t
      .admin()
      .post(`/v1/payments/${payment.body.id}/refunds`)
      .send({ amount: '60.00', reason: 'overpaid' });
    expect(refund.status).toBe(201);
    expect(refund.body).toEqual(
      expect.objectContaining({
        amount: '60.00',
        currency: 'USD',
        reason: 'overpaid',
        refundedAt: '2026-11-23T08:00:00.000Z',
      }),
    );
    rec = await t.admin().get(`/v1/customers/${customer.id}/receivables`);
    expect(rec.body).toEqual(expect.objectContaining({ outstanding: '0.00', unapplied: '0.00' }));
    const tooMuch = await t.admin().post(`/v1/payments/${payment.body.id}/refunds`).send({ amount: '40.01' });
    expectProblem(tooMuch, 422, 'refund_exceeds_payment');
    const read = await t.admin().get(`/v1/payments/${payment.body.id}`);
    expect(read.body).toEqual(expect.objectContaining({ refunded: '60.00', version: 2 }));
    expect(read.headers.etag).toBe('"v2"');
    expect(read.body.refunds).toHaveLength(1);
  });
});

describe('validation', () => {
  let customer: { id: string };
  let other: { id: string };
  let order: { id: string };
  beforeAll(async () => {
    customer = await createCustomer(t, { name: 'Payer', externalId: 'V-1' });
    other = await createCustomer(t, { name: 'Other' });
    order = await createOrder({ customerId: other.id, orderedAt: '2026-11-01T10:00:00Z', amount: '10.00' });
  });

  test.each([['1,000.00'], ['1e5'], ['0'], ['0.00'], ['-1.00']])(
    'amount %p is 400 and writes nothing',
    async (amount) => {
      const before = await count('payments');
      expectProblem(
        await pay({ customerId: customer.id, amount, receivedAt: '2026-11-01T00:00:00Z' }),
        400,
        'validation_failed',
      );
      expect(await count('payments')).toBe(before);
    },
  );

  test("unknown customer 422; allocation to another customer's order 422; over-allocation 422", async () => {
    const before = await count('payments');
    expectProblem(
      await pay({
        customerId: '0192f3c4-0000-7000-8000-000000000000',
        amount: '1.00',
        receivedAt: '2026-11-01T00:00:00Z',
      }),
      422,
      'customer_not_found',
    );
    expectProblem(
      await pay({
        customerId: customer.id,
        amount: '5.00',
        receivedAt: '2026-11-01T00:00:00Z',
        allocations: [{ orderId: order.id, amount: '5.00' }],
      }),
      422,
      'order_not_found',
    );
    expectProblem(
      await pay({
        customerId: other.id,
        amount: '5.00',
        receivedAt: '2026-11-01T00:00:00Z',
        allocations: [{ orderId: order.id, amount: '6.00' }],
      }),
      422,
      'allocation_exceeds_payment',
    );
    expectProblem(
      await pay({
        customerId: customer.id,
        amount: '5.00',
        currency: 'EUR',
        receivedAt: '2026-11-01T00:00:00Z',
      }),
      422,
      'fx_rate_required',
    );
    expectProblem(
      await pay({ customerId: customer.id, amount: '5.00', receivedAt: '2026-11-01T00:00:00Z', bogus: true }),
      400,
    );
    expect(await count('payments')).toBe(before);
  });

  test('another currency converts at fxRate', async () => {
    const res = await pay({
      customerId: customer.id,
      amount: '100.00',
      currency: 'EUR',
      fxRate: '1.1',
      receivedAt: '2026-11-01T00:00:00Z',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        currency: 'EUR',
        fxRate: '1.1',
        reportingAmount: '110.00',
        reportingCurrency: 'USD',
      }),
    );
  });
});

describe('batch', () => {
  test('1,000 payments: created, then unchanged on replay; one bad row writes nothing and is named', async () => {
    const customer = await createCustomer(t, { name: 'Batch payer', externalId: 'BP-1' });
    const items = Array.from({ length: 1000 }, (_, i) => ({
      externalId: `BP-${i}`,
      customerExternalId: 'BP-1',
      amount: '1.00',
      currency: 'USD',
      receivedAt: '2026-11-01T00:00:00Z',
    }));
    const first = await t.admin().post('/v1/payments/batch').send({ items });
    expect(first.status).toBe(200);
    expect(
      first.body.results.every(
        (r: { outcome: string; externalId: string }, i: number) =>
          r.outcome === 'created' && r.externalId === `BP-${i}`,
      ),
    ).toBe(true);
    const before = await count('payments');
    const again = await t.admin().post('/v1/payments/batch').send({ items });
    expect(again.body.results.every((r: { outcome: string }) => r.outcome === 'unchanged')).toBe(true);
    expect(await count('payments')).toBe(before);
    const rec = await t.admin().get(`/v1/customers/${customer.id}/receivables`);
    expect(rec.body.outstanding).toBe('-1000.00');

    const changed = items.slice(0, 3).map((item, i) => (i === 1 ? { ...item, amount: '2.00' } : item));
    const upd = await t.admin().post('/v1/payments/batch').send({ items: changed });
    expect(upd.body.results.map((r: { outcome: string }) => r.outcome)).toEqual([
      'unchanged',
      'updated',
      'unchanged',
    ]);

    const bad = [...items.slice(0, 5).map((i) => ({ ...i, externalId: `NEW-${i.externalId}` }))];
    bad[3] = { ...bad[3]!, customerExternalId: 'nobody' };
    const res = await t.admin().post('/v1/payments/batch').send({ items: bad });
    const body = expectProblem(res, 422, 'customer_not_found');
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: 'body/items/3/customerExternalId',
        index: 3,
        code: 'customer_not_found',
      }),
    ]);
    expect(await count('payments')).toBe(before);
  });
});
