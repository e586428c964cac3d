import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);
const clock = testClock('2026-11-23T08:00:00.000Z');
let t: TestApp;
let reader: string;
const ids: Record<string, string> = {};

const GROUPINGS = ['region', 'product', 'category', 'owner', 'postcode', 'channel', 'valueClass'];
/** Exact money in units of 1/10,000, as the report's text. */
const units = (text: string) => {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole!) * 10_000n + BigInt(fraction.padEnd(4, '0'));
};
const sum = (values: string[]) => values.reduce((a, v) => a + units(v), 0n);

interface Figures {
  revenue: string;
  orders: number;
  customers: number;
  newCustomers: number;
  churnedCustomers: number;
  averageOrder: string | null;
  share: number | null;
}
interface Group {
  key: string | null;
  current: Figures;
  previous: Figures;
  groups?: Group[];
}

async function report(query: string) {
  const res = await t.as(reader).get(`/v1/analytics/sales?${query}`);
  if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
  return res.body as { total: Group; groups: Group[]; previous: { from: string; to: string } };
}

const order = async (body: Record<string, unknown>) => {
  const res = await t
    .admin()
    .post('/v1/orders')
    .send({ currency: 'USD', ...body });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  return res.body.id as string;
};

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  reader = await t.keyWith('analytics:read');
  for (const [sku, category] of [
    ['P1', 'tea'],
    ['P2', 'tea'],
    ['P3', null],
  ] as const) {
    const res = await t
      .admin()
      .post('/v1/products')
      .send({ sku, name: `Product ${sku}`, category });
    ids[sku] = res.body.id;
  }
  const channel = await createCustomer(t, { kind: 'organization', category: 'channel', name: 'Agent' });
  ids.channel = channel.id;
  ids.a = (
    await createCustomer(t, {
      kind: 'person',
      name: 'A',
      region: 'east',
      owner: 'li',
      addresses: [{ city: 'Beijing', postalCode: '100000' }, { postalCode: '200000' }],
    })
  ).id;
  ids.b = (await createCustomer(t, { kind: 'person', name: 'B' })).id;
  ids.c = (
    await createCustomer(t, {
      kind: 'person',
      name: 'C',
      region: 'west',
      owner: 'li',
      viaChannelId: channel.id,
    })
  ).id;
  await order({
    customerId: ids.a,
    orderedAt: '2026-11-05T10:00:00Z',
    amount: '10.01',
    lines: [
      { sku: 'P1', quantity: 1, unitPrice: '3.33' },
      { sku: 'P2', quantity: 2, unitPrice: '3.34' },
    ],
  });
  await order({
    customerId: ids.a,
    orderedAt: '2026-11-06T10:00:00Z',
    amount: '100.00',
    currency: 'EUR',
    fxRate: '1.0837',
    region: 'north',
    lines: [
      { sku: 'P1', quantity: 3, unitPrice: '33.33' },
      { sku: 'P3', quantity: 1, unitPrice: '0.01' },
    ],
  });
  await order({ customerId: ids.b, orderedAt: '2026-11-10T10:00:00Z', amount: '7.77' });
  // Each line converts to 0.0033 while the order converts to 0.0100: the last line takes 0.0034.
  await order({
    customerId: ids.c,
    orderedAt: '2026-11-12T10:00:00Z',
    amount: '0.03',
    currency: 'CNY',
    fxRate: '0.3333333333',
    lines: [
      { sku: 'P1', quantity: 1, unitPrice: '0.01' },
      { sku: 'P2', quantity: 1, unitPrice: '0.01' },
      { sku: 'P3', quantity: 1, unitPrice: '0.01' },
    ],
  });
  await order({
    customerId: ids.c,
    orderedAt: '2026-10-15T10:00:00Z',
    amount: '50.00',
    lines: [{ sku: 'P2', quantity: 5, unitPrice: '10.00' }],
  });
  await order({
    customerId: ids.a,
    orderedAt: '2026-11-07T10:00:00Z',
    amount: '999.00',
    status: 'cancelled',
  });
  // Outside both periods.
  await order({ customerId: ids.b, orderedAt: '2026-09-01T10:00:00Z', amount: '1.00' });
  const churn = await t
    .admin()
    .post(`/v1/customers/${ids.b}/churn`)
    .send({ at: '2026-11-15T00:00:00Z', reason: 'price' });
  if (churn.status !== 201) throw new Error(`${churn.status} ${churn.text}`);
});

afterAll(async () => {
  await t.close();
});

const RANGE = 'from=2026-11-01&to=2026-11-30';

describe('GET /v1/analytics/sales', () => {
  test('the total is the counted orders of the range in the reporting currency, with the previous period', async () => {
    const body = await report(`groupBy=region&${RANGE}`);
    expect(body.previous).toEqual({ from: '2026-10-02', to: '2026-10-31' });
    // 10.01 + 108.37 + 7.77 + 0.01; the cancelled order and the one of September are not counted.
    expect(body.total.current).toMatchObject({
      revenue: '126.16',
      orders: 4,
      customers: 3,
      newCustomers: 1,
      churnedCustomers: 1,
      averageOrder: '31.54',
      share: 1,
    });
    expect(body.total.previous).toMatchObject({ revenue: '50.00', orders: 1, customers: 1, newCustomers: 1 });
    const [counted] = await t.db
      .knex('orders')
      .whereNotIn('status', ['cancelled', 'returned'])
      .where('ordered_at', '>=', '2026-11-01T00:00:00Z')
      .where('ordered_at', '<', '2026-12-01T00:00:00Z')
      .sum<Array<{ sum: string }>>('reporting_amount as sum');
    expect(units(body.total.current.revenue)).toBe(units(String(counted!.sum)));
  });

  test.each(GROUPINGS)('groupBy=%s adds up to the total to the cent, in both periods', async (groupBy) => {
    const body = await report(`groupBy=${groupBy}&${RANGE}`);
    for (const period of ['current', 'previous'] as const) {
      expect(sum(body.groups.map((g) => g[period].revenue))).toBe(units(body.total[period].revenue));
    }
    expect(body.groups.filter((g) => g.key === null).length).toBeLessThanOrEqual(1);
    const last = body.groups[body.groups.length - 1];
    if (body.groups.some((g) => g.key === null)) expect(last!.key).toBeNull();
  });

  test('region is the order’s own, else its customer’s; orders without one are the null group', async () => {
    const body = await report(`groupBy=region&${RANGE}`);
    const by = Object.fromEntries(body.groups.map((g) => [String(g.key), g.current]));
    expect(by.north).toMatchObject({ revenue: '108.37', orders: 1, customers: 1 });
    expect(by.east).toMatchObject({ revenue: '10.01', orders: 1, customers: 1, newCustomers: 1 });
    expect(by.west).toMatchObject({ revenue: '0.01', orders: 1, customers: 1, newCustomers: 0 });
    expect(by.null).toMatchObject({ revenue: '7.77', orders: 1, customers: 1, churnedCustomers: 1 });
    expect(body.groups.find((g) => g.key === 'west')!.previous.revenue).toBe('50.00');
  });

  test('product splits orders by their lines, the rounding carried so each order adds up exactly', async () => {
    const body = await report(`groupBy=product&${RANGE}`);
    const by = Object.fromEntries(body.groups.map((g) => [String(g.key), g.current]));
    // P1: 3.33 + round(99.99 x 1.0837) = 108.3592, + 0.0033; P3: 108.37 - 108.3592 = 0.0108, + 0.0033.
    expect(by[ids.P1!]).toMatchObject({ revenue: '111.6925', orders: 3, customers: 2 });
    expect(by[ids.P2!]).toMatchObject({ revenue: '6.6834', orders: 2, customers: 2 });
    expect(by[ids.P3!]).toMatchObject({ revenue: '0.0141', orders: 2, customers: 2 });
    expect(by.null).toMatchObject({ revenue: '7.77', orders: 1, customers: 1 });
    const names = body.groups.map((g) => (g as unknown as { name: string | null }).name);
    expect(names).toContain('Product P1');
    const category = await report(`groupBy=category&${RANGE}`);
    expect(category.groups.map((g) => [g.key, g.current.revenue])).toEqual([
      ['tea', '118.3759'],
      [null, '7.7841'],
    ]);
  });

  test('owner, postcode (the primary address) and channel', async () => {
    const owner = await report(`groupBy=owner&${RANGE}`);
    expect(owner.groups.map((g) => [g.key, g.current.revenue, g.current.customers])).toEqual([
      ['li', '118.39', 2],
      [null, '7.77', 1],
    ]);
    const postcode = await report(`groupBy=postcode&${RANGE}`);
    expect(postcode.groups.map((g) => [g.key, g.current.revenue])).toEqual([
      ['100000', '118.38'],
      [null, '7.78'],
    ]);
    const channel = await report(`groupBy=channel&${RANGE}`);
    expect(channel.groups.map((g) => [g.key, g.current.revenue])).toEqual([
      [ids.channel, '0.01'],
      [null, '126.15'],
    ]);
  });

  test('two levels: each group’s subgroups add up to it, and the groups to the total', async () => {
    const body = await report(`groupBy=region,product&${RANGE}`);
    expect(sum(body.groups.map((g) => g.current.revenue))).toBe(units(body.total.current.revenue));
    for (const group of body.groups) {
      expect(group.groups!.length).toBeGreaterThan(0);
      expect(sum(group.groups!.map((s) => s.current.revenue))).toBe(units(group.current.revenue));
      expect(sum(group.groups!.map((s) => s.previous.revenue))).toBe(units(group.previous.revenue));
    }
    const north = body.groups.find((g) => g.key === 'north')!;
    expect(north.groups!.map((s) => [s.key, s.current.revenue])).toEqual([
      [ids.P1, '108.3592'],
      [ids.P3, '0.0108'],
    ]);
  });

  test('CSV with Accept: text/csv: a total row, then the groups', async () => {
    const res = await t
      .as(reader)
      .get(`/v1/analytics/sales?groupBy=region&${RANGE}`)
      .set('accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^level,region,name,revenue,orders,customers,/);
    expect(lines[1]).toMatch(/^total,,,126\.16,4,3,/);
    expect(lines).toHaveLength(2 + 4);
    expect(lines[lines.length - 1]).toMatch(/^group,,,7\.77,/);
  });

  test('bad parameters are 400 problems; the scope is analytics:read', async () => {
    expectProblem(await t.as(reader).get('/v1/analytics/sales?groupBy=colour'), 400, 'validation_failed');
    expectProblem(
      await t.as(reader).get('/v1/analytics/sales?groupBy=region,region'),
      400,
      'validation_failed',
    );
    expectProblem(
      await t.as(reader).get('/v1/analytics/sales?from=2026-11-30&to=2026-11-01'),
      400,
      'invalid_range',
    );
    expectProblem(await t.as(reader).get('/v1/analytics/sales?from=2026-02-30&to=2026-03-01'), 400);
    expectProblem(
      await t.as(reader).get('/v1/analytics/sales?from=2021-11-30&to=2026-11-30'),
      400,
      'invalid_range',
    );
    const five = await t.as(reader).get('/v1/analytics/sales?from=2021-12-01&to=2026-11-30');
    expect(five.status).toBe(200);
    const other = await t.keyWith('customers:read');
    expectProblem(await t.as(other).get('/v1/analytics/sales'), 403);
  });
});
