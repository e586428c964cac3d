import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The report's stages (docs/reports.md, "How the statement runs"): orders summed per customer
 * and raw key before the customer join, an order counted once in a group however many of its
 * lines are there, and first purchases decided once per customer, not per group.
 */
jest.setTimeout(180_000);
const clock = testClock('2026-11-23T08:00:00.000Z');
let t: TestApp;
let reader: string;
const ids: Record<string, string> = {};
const RANGE = 'from=2026-11-01&to=2026-11-30';

interface Figures {
  revenue: string;
  orders: number;
  customers: number;
  newCustomers: number;
}
interface Group {
  key: string | null;
  current: Figures;
  previous: Figures;
  groups?: Group[];
}

const units = (text: string) => {
  const [whole, fraction = ''] = text.split('.');
  return BigInt(whole!) * 10_000n + BigInt(fraction.padEnd(4, '0'));
};
const sum = (values: string[]) => values.reduce((a, v) => a + units(v), 0n);

async function report(query: string) {
  const res = await t.as(reader).get(`/v1/analytics/sales?${query}&${RANGE}`);
  if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
  return res.body as { total: Group; groups: Group[] };
}
const byKey = (groups: Group[]) => Object.fromEntries(groups.map((g) => [String(g.key), g]));

const order = async (body: Record<string, unknown>) => {
  const res = await t
    .admin()
    .post('/v1/orders')
    .send({ currency: 'USD', ...body });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
};

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  reader = await t.keyWith('analytics:read');
  for (const [sku, category] of [
    ['S1', 'tea'],
    ['S2', 'cups'],
  ] as const) {
    const res = await t
      .admin()
      .post('/v1/products')
      .send({ sku, name: `Product ${sku}`, category });
    ids[sku] = res.body.id;
  }
  ids.d = (await createCustomer(t, { kind: 'person', name: 'D', region: 'south' })).id;
  ids.e = (await createCustomer(t, { kind: 'person', name: 'E' })).id;
  ids.f = (await createCustomer(t, { kind: 'person', name: 'F', region: 'east' })).id;
  // D: first purchase in the previous period (south), then again in this one (east).
  await order({ customerId: ids.d, orderedAt: '2026-10-10T10:00:00Z', amount: '20.00' });
  await order({
    customerId: ids.d,
    orderedAt: '2026-11-05T10:00:00Z',
    amount: '30.00',
    region: 'east',
    lines: [{ sku: 'S2', quantity: 1, unitPrice: '30.00' }],
  });
  // E: first purchase ever on 3 November, in west with two lines of one product; then an
  // order without a region (its customer has none either: the null group).
  await order({
    customerId: ids.e,
    orderedAt: '2026-11-03T10:00:00Z',
    amount: '12.00',
    region: 'west',
    lines: [
      { sku: 'S1', quantity: 1, unitPrice: '4.00' },
      { sku: 'S2', quantity: 1, unitPrice: '3.00' },
      { sku: 'S1', quantity: 1, unitPrice: '5.00' },
    ],
  });
  await order({
    customerId: ids.e,
    orderedAt: '2026-11-20T10:00:00Z',
    amount: '8.00',
    lines: [{ sku: 'S1', quantity: 2, unitPrice: '4.00' }],
  });
  // F: bought long before both periods, so new in neither.
  await order({ customerId: ids.f, orderedAt: '2026-06-01T10:00:00Z', amount: '1.00' });
  await order({ customerId: ids.f, orderedAt: '2026-11-10T10:00:00Z', amount: '5.00' });
});

afterAll(async () => {
  await t.close();
});

describe('GET /v1/analytics/sales: the statement’s stages', () => {
  test('a new customer is new in every group it bought in; an old one in none', async () => {
    const body = await report('groupBy=region');
    const by = byKey(body.groups);
    expect(by.west!.current).toMatchObject({ revenue: '12.00', orders: 1, customers: 1, newCustomers: 1 });
    expect(by.null!.current).toMatchObject({ revenue: '8.00', orders: 1, customers: 1, newCustomers: 1 });
    // D bought first in October: new there (south), not in November (east).
    expect(by.east!.current).toMatchObject({ revenue: '35.00', orders: 2, customers: 2, newCustomers: 0 });
    expect(by.south!.previous).toMatchObject({ revenue: '20.00', orders: 1, customers: 1, newCustomers: 1 });
    expect(body.total.current).toMatchObject({ revenue: '55.00', orders: 4, customers: 3, newCustomers: 1 });
    expect(body.total.previous).toMatchObject({ revenue: '20.00', orders: 1, customers: 1, newCustomers: 1 });
  });

  test('an order with two lines of one product counts once there, its revenue in full', async () => {
    const body = await report('groupBy=product');
    const by = byKey(body.groups);
    expect(by[ids.S1!]!.current).toMatchObject({
      revenue: '17.00',
      orders: 2,
      customers: 1,
      newCustomers: 1,
    });
    expect(by[ids.S2!]!.current).toMatchObject({
      revenue: '33.00',
      orders: 2,
      customers: 2,
      newCustomers: 1,
    });
    expect(by.null!.current).toMatchObject({ revenue: '5.00', orders: 1, customers: 1, newCustomers: 0 });
    expect(sum(body.groups.map((g) => g.current.revenue))).toBe(units(body.total.current.revenue));
    // The total counts E's three-line order once, as groupBy=region does.
    expect(body.total.current).toMatchObject({ revenue: '55.00', orders: 4, customers: 3, newCustomers: 1 });
    const category = byKey((await report('groupBy=category')).groups);
    expect(category.tea!.current).toMatchObject({ revenue: '17.00', orders: 2, customers: 1 });
  });

  test('two levels: a customer once in its group however many subgroups, revenue adding up', async () => {
    const body = await report('groupBy=region,product');
    const west = byKey(body.groups).west!;
    expect(west.current).toMatchObject({ revenue: '12.00', orders: 1, customers: 1, newCustomers: 1 });
    expect(
      west.groups!.map((s) => [s.key, s.current.revenue, s.current.orders, s.current.customers]),
    ).toEqual([
      [ids.S1, '9.00', 1, 1],
      [ids.S2, '3.00', 1, 1],
    ]);
    for (const period of ['current', 'previous'] as const) {
      expect(sum(body.groups.map((g) => g[period].revenue))).toBe(units(body.total[period].revenue));
      for (const group of body.groups) {
        expect(sum(group.groups!.map((s) => s[period].revenue))).toBe(units(group[period].revenue));
      }
    }
    const swapped = await report('groupBy=product,region');
    const s1 = byKey(swapped.groups)[ids.S1!]!;
    expect(s1.current).toMatchObject({ revenue: '17.00', orders: 2, customers: 1, newCustomers: 1 });
    expect(s1.groups!.map((s) => [s.key, s.current.revenue, s.current.customers])).toEqual([
      ['west', '9.00', 1],
      [null, '8.00', 1],
    ]);
  });
});
