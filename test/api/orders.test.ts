import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

const clock = testClock('2026-11-23T08:00:00.000Z');
// Loads of 1,000 rows on a shared, busy machine need more than the default 30 s.
jest.setTimeout(120_000);
let t: TestApp;
let customer: { id: string };
let channel: { id: string };

const count = async (table: string) => {
  const [row] = await t.db.knex(table).count<Array<{ count: string | number }>>('* as count');
  return Number(row?.count ?? 0);
};

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  customer = await createCustomer(t, { name: 'Buyer', externalId: 'C-1' });
  channel = await createCustomer(t, {
    name: 'Reseller',
    externalId: 'CH-1',
    category: 'channel',
    region: 'north',
  });
  const res = await t
    .admin()
    .post('/v1/products/batch')
    .send({
      items: [
        { sku: 'WID-1', name: 'Widget', listPrice: '19.90', currency: 'USD' },
        { sku: 'GAD-1', name: 'Gadget', category: 'tools' },
      ],
    });
  expect(res.status).toBe(200);
});
afterAll(async () => t.close());

const order = (over: Record<string, unknown> = {}) => ({
  customerId: customer.id,
  orderedAt: '2026-11-20T10:00:00Z',
  amount: '59.70',
  currency: 'USD',
  ...over,
});

describe('create and read', () => {
  test('answers 201 with lines, dueDate, reporting amount and an ETag', async () => {
    const res = await t
      .admin()
      .post('/v1/orders')
      .send(
        order({
          externalId: 'SO-1',
          lines: [{ sku: 'WID-1', quantity: 3, unitPrice: '19.90' }],
          region: 'north',
        }),
      );
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBe('"v1"');
    expect(res.headers.location).toBe(`/v1/orders/${res.body.id}`);
    expect(res.body).toEqual(
      expect.objectContaining({
        externalId: 'SO-1',
        customerId: customer.id,
        orderedAt: '2026-11-20T10:00:00.000Z',
        amount: '59.70',
        currency: 'USD',
        fxRate: '1',
        reportingAmount: '59.70',
        reportingCurrency: 'USD',
        status: 'placed',
        paymentTermsDays: 30,
        dueDate: '2026-12-20',
        crossRegion: false,
        overCreditLimit: false,
        version: 1,
      }),
    );
    expect(res.body.lines).toEqual([
      expect.objectContaining({ lineNo: 1, sku: 'WID-1', quantity: 3, unitPrice: '19.90', total: '59.70' }),
    ]);
    const read = await t.admin().get(`/v1/orders/${res.body.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"v1"');
    expect(read.body).toEqual(res.body);
    const byExternal = await t.admin().get('/v1/orders/external/SO-1');
    expect(byExternal.body.id).toBe(res.body.id);
  });

  test('customerExternalId names the customer too', async () => {
    const res = await t
      .admin()
      .post('/v1/orders')
      .send(order({ customerId: undefined, customerExternalId: 'C-1', amount: '5' }));
    expect(res.status).toBe(201);
    expect(res.body.customerId).toBe(customer.id);
    expect(res.body.amount).toBe('5.00');
  });

  test('an unknown customer is 422 customer_not_found and writes nothing', async () => {
    const before = await count('orders');
    const res = await t
      .admin()
      .post('/v1/orders')
      .send(order({ customerId: '0192f3c4-0000-7000-8000-000000000000' }));
    const body = expectProblem(res, 422, 'customer_not_found');
    expect(body.errors?.[0]?.path).toBe('body/customerId');
    const byExt = await t
      .admin()
      .post('/v1/orders')
      .send(order({ customerId: undefined, customerExternalId: 'nobody' }));
    expectProblem(byExt, 422, 'customer_not_found');
    expect(await count('orders')).toBe(before);
  });

  test.each([['1,000.00'], ['1e5'], ['12.34567'], ['-5.00'], [' 5'], ['']])(
    'amount %p is refused with 400',
    async (amount) => {
      const before = await count('orders');
      const res = await t.admin().post('/v1/orders').send(order({ amount }));
      expectProblem(res, 400, 'validation_failed');
      expect(await count('orders')).toBe(before);
    },
  );

  test('a JSON number amount is refused', async () => {
    expectProblem(
      await t
        .admin()
        .post('/v1/orders')
        .send(order({ amount: 59.7 })),
      400,
      'validation_failed',
    );
  });

  test('bad currency, unknown fields, both or neither customer reference are 400', async () => {
    expectProblem(
      await t
        .admin()
        .post('/v1/orders')
        .send(order({ currency: 'usd' })),
      400,
    );
    expectProblem(
      await t
        .admin()
        .post('/v1/orders')
        .send(order({ id: 'x' })),
      400,
    );
    expectProblem(
      await t
        .admin()
        .post('/v1/orders')
        .send(order({ foo: 1 })),
      400,
    );
    expectProblem(
      await t
        .admin()
        .post('/v1/orders')
        .send(order({ customerExternalId: 'C-1' })),
      400,
    );
    expectProblem(
      await t
        .admin()
        .post('/v1/orders')
        .send(order({ customerId: undefined })),
      400,
    );
    expectProblem(
      await t
        .admin()
        .post('/v1/orders')
        .send(order({ status: 'lost' })),
      400,
    );
  });

  test('lines that do not add up to the amount are 422 line_sum_mismatch', async () => {
    const before = await count('orders');
    const res = await t
      .admin()
      .post('/v1/orders')
      .send(order({ amount: '59.71', lines: [{ sku: 'WID-1', quantity: 3, unitPrice: '19.90' }] }));
    const body = expectProblem(res, 422, 'line_sum_mismatch');
    expect(body.detail).toContain('59.70');
    expect(await count('orders')).toBe(before);
  });

  test('an unknown product is 422 product_not_found', async () => {
    const res = await t
      .admin()
      .post('/v1/orders')
      .send(order({ amount: '1', lines: [{ sku: 'NOPE', quantity: 1, unitPrice: '1' }] }));
    const body = expectProblem(res, 422, 'product_not_found');
    expect(body.errors?.[0]?.path).toBe('body/lines/0/sku');
  });

  test('a taken externalId is 409', async () => {
    expectProblem(
      await t
        .admin()
        .post('/v1/orders')
        .send(order({ externalId: 'SO-1' })),
      409,
      'external_id_taken',
    );
  });

  test('another currency needs fxRate, and reportingAmount uses it', async () => {
    expectProblem(
      await t
        .admin()
        .post('/v1/orders')
        .send(order({ currency: 'EUR' })),
      422,
      'fx_rate_required',
    );
    expectProblem(
      await t
        .admin()
        .post('/v1/orders')
        .send(order({ fxRate: '1.1' })),
      400,
      'validation_failed',
    );
    const res = await t
      .admin()
      .post('/v1/orders')
      .send(order({ currency: 'EUR', fxRate: '1.0850', amount: '100.00' }));
    expect(res.status).toBe(201);
    expect(res.body.fxRate).toBe('1.085');
    expect(res.body.reportingAmount).toBe('108.50');
  });

  test('scopes: orders:read cannot write, customers:read cannot read orders', async () => {
    const reader = await t.keyWith('orders:read');
    expectProblem(await t.as(reader).post('/v1/orders').send(order()), 403);
    expect((await t.as(reader).get('/v1/orders')).status).toBe(200);
    const other = await t.keyWith('customers:read');
    expectProblem(await t.as(other).get('/v1/orders'), 403);
  });
});

describe('update and cancel', () => {
  test('PATCH honours If-Match, recomputes, and cancel leaves it final', async () => {
    const created = await t
      .admin()
      .post('/v1/orders')
      .send(order({ externalId: 'SO-P', amount: '10.00' }));
    const id = created.body.id as string;
    const stale = await t
      .admin()
      .patch(`/v1/orders/${id}`)
      .set('if-match', '"v9"')
      .send({ status: 'shipped' });
    expectProblem(stale, 412, 'precondition_failed');
    const shipped = await t
      .admin()
      .patch(`/v1/orders/${id}`)
      .set('if-match', '"v1"')
      .send({ status: 'shipped', region: 'south' });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toEqual(expect.objectContaining({ status: 'shipped', region: 'south', version: 2 }));
    expect(shipped.headers.etag).toBe('"v2"');
    const withLines = await t
      .admin()
      .patch(`/v1/orders/${id}`)
      .send({ lines: [{ sku: 'GAD-1', quantity: 2, unitPrice: '5.00' }] });
    expect(withLines.status).toBe(200);
    expect(withLines.body.lines).toHaveLength(1);
    expectProblem(
      await t.admin().patch(`/v1/orders/${id}`).send({ amount: '11.00' }),
      422,
      'line_sum_mismatch',
    );
    const cancelled = await t.admin().post(`/v1/orders/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const again = await t.admin().post(`/v1/orders/${id}/cancel`);
    expect(again.body.version).toBe(cancelled.body.version);
    expectProblem(
      await t.admin().patch(`/v1/orders/${id}`).send({ status: 'placed' }),
      422,
      'invalid_status_transition',
    );
    const history = await t.admin().get(`/v1/orders/${id}/history`);
    expect(history.body.data.map((e: { action: string }) => e.action)).toEqual([
      'cancelled',
      'updated',
      'updated',
      'created',
    ]);
    expect(history.body.data[0].changes).toEqual([{ field: 'status', old: 'shipped', new: 'cancelled' }]);
  });

  test('unknown order is 404 order_not_found', async () => {
    expectProblem(
      await t.admin().get('/v1/orders/0192f3c4-0000-7000-8000-000000000000'),
      404,
      'order_not_found',
    );
    expectProblem(await t.admin().get('/v1/orders/nope'), 404, 'order_not_found');
    expectProblem(await t.admin().post('/v1/orders/nope/cancel'), 404, 'order_not_found');
  });
});

describe('cross-region', () => {
  test("a channel's order outside its region is flagged; assigned regions override its own", async () => {
    const inside = await t
      .admin()
      .post('/v1/orders')
      .send(order({ customerId: channel.id, region: 'north', amount: '1' }));
    expect(inside.body.crossRegion).toBe(false);
    const outside = await t
      .admin()
      .post('/v1/orders')
      .send(order({ customerId: channel.id, region: 'west', amount: '1' }));
    expect(outside.body.crossRegion).toBe(true);
    const direct = await t
      .admin()
      .post('/v1/orders')
      .send(order({ region: 'west', amount: '1' }));
    expect(direct.body.crossRegion).toBe(false);
    const set = await t
      .admin()
      .put(`/v1/customers/${channel.id}/assigned-regions`)
      .send({ regions: ['west', 'east'] });
    expect(set.body).toEqual({ regions: ['east', 'west'] });
    expect((await t.admin().get(`/v1/customers/${channel.id}/assigned-regions`)).body.regions).toEqual([
      'east',
      'west',
    ]);
    const now = await t
      .admin()
      .post('/v1/orders')
      .send(order({ customerId: channel.id, region: 'north', amount: '1' }));
    expect(now.body.crossRegion).toBe(true);
    const listed = await t.admin().get(`/v1/orders?customerId=${channel.id}&crossRegion=true`);
    expect(listed.body.data.map((o: { id: string }) => o.id).sort()).toEqual(
      [outside.body.id, now.body.id].sort(),
    );
    expectProblem(
      await t
        .admin()
        .put(`/v1/customers/${customer.id}/assigned-regions`)
        .send({ regions: ['x'] }),
      422,
      'not_a_channel',
    );
  });
});

describe('list', () => {
  let listCustomer: { id: string };
  beforeAll(async () => {
    listCustomer = await createCustomer(t, { name: 'Lister', externalId: 'L-1' });
    const items = Array.from({ length: 7 }, (_, i) => ({
      externalId: `L-SO-${i}`,
      customerExternalId: 'L-1',
      orderedAt: `2026-10-0${i + 1}T12:00:00Z`,
      amount: `${i + 1}.00`,
      currency: 'USD',
      region: i % 2 ? 'east' : 'west',
      status: i === 6 ? 'shipped' : 'placed',
      ...(i === 3 ? { lines: [{ sku: 'GAD-1', quantity: 1, unitPrice: '4.00' }] } : {}),
    }));
    expect((await t.admin().post('/v1/orders/batch').send({ items })).status).toBe(200);
  });

  test('filters by customer, date range, status, product, sku and region, newest first, paged', async () => {
    const all = await t.admin().get(`/v1/orders?customerId=${listCustomer.id}&limit=3`);
    expect(all.body.data.map((o: { externalId: string }) => o.externalId)).toEqual([
      'L-SO-6',
      'L-SO-5',
      'L-SO-4',
    ]);
    const next = await t
      .admin()
      .get(`/v1/orders?customerId=${listCustomer.id}&limit=3&cursor=${all.body.nextCursor}`);
    expect(next.body.data.map((o: { externalId: string }) => o.externalId)).toEqual([
      'L-SO-3',
      'L-SO-2',
      'L-SO-1',
    ]);
    const range = await t
      .admin()
      .get(
        '/v1/orders?customerExternalId=L-1&orderedFrom=2026-10-02T00:00:00Z&orderedTo=2026-10-04T00:00:00Z&sort=orderedAt',
      );
    expect(range.body.data.map((o: { externalId: string }) => o.externalId)).toEqual(['L-SO-1', 'L-SO-2']);
    const shipped = await t.admin().get(`/v1/orders?customerId=${listCustomer.id}&status=shipped`);
    expect(shipped.body.data.map((o: { externalId: string }) => o.externalId)).toEqual(['L-SO-6']);
    const bySku = await t.admin().get(`/v1/orders?customerId=${listCustomer.id}&sku=GAD-1`);
    expect(bySku.body.data.map((o: { externalId: string }) => o.externalId)).toEqual(['L-SO-3']);
    const productId = bySku.body.data[0].lines[0].productId;
    const byProduct = await t.admin().get(`/v1/orders?customerId=${listCustomer.id}&productId=${productId}`);
    expect(byProduct.body.data).toHaveLength(1);
    const east = await t.admin().get(`/v1/orders?customerId=${listCustomer.id}&region=east`);
    expect(east.body.data).toHaveLength(3);
    expectProblem(await t.admin().get('/v1/orders?limit=501'), 400);
    expectProblem(await t.admin().get('/v1/orders?bogus=1'), 400);
  });

  test('Accept: text/csv answers a header row and one row per order of the page', async () => {
    const res = await t
      .admin()
      .get(`/v1/orders?customerId=${listCustomer.id}&limit=5`)
      .set('accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const rows = res.text.trim().split('\r\n');
    expect(rows).toHaveLength(6);
    expect(rows[0]).toMatch(/^id,externalId,customerId,orderedAt,amount,currency/);
    expect(rows[1]).toContain('L-SO-6');
    expect(rows[1]).toContain('7.00');
    expect(res.headers.link).toMatch(/cursor=.*rel="next"/);
    const json = await t
      .admin()
      .get(`/v1/orders?customerId=${listCustomer.id}`)
      .set('accept', 'application/json');
    expect(json.headers['content-type']).toMatch(/^application\/json/);
  });
});
