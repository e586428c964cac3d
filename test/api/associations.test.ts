import { buy, runAnalytics } from '../helpers/analytics-run';
import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * A hand-built set of baskets (docs/associations.md), asOf 2026-11-30, minimum support 0.2:
 *
 *   c1: {A, B}           c4: {C}, {D}
 *   c2: {A, B}           c5: {C, D}, {D} cancelled
 *   c3: {A, B, C}        c2: {C, D} returned
 *   c1: {A, B} on 2026-12-05, after asOf
 *   target: {A} on 2026-12-02, after asOf (so in the run A and B always go together)
 *
 * Baskets N = 6; n(A) = n(B) = n(C) = 3, n(D) = 2; n(AB) = 3, n(AC) = n(BC) = n(CD) = 1.
 * minCount = ceil(0.2 x 6) = 2, so only {A, B} is kept: A -> B and B -> A, each with
 * support 3/6 = 0.5, confidence 3/3 = 1, lift 3 x 6 / (3 x 3) = 2.
 */
jest.setTimeout(120_000);
const clock = testClock('2026-12-10T12:00:00.000Z');
let t: TestApp;
let reader: string;
const ids: Record<string, string> = {};
const people: Record<string, string> = {};
let orderNo = 0;

async function order(customer: string, day: string, skus: string[], status = 'shipped') {
  const res = await t
    .admin()
    .post('/v1/orders')
    .send({
      externalId: `assoc-${++orderNo}`,
      customerId: people[customer],
      orderedAt: `${day}T10:00:00Z`,
      amount: `${10 * skus.length}.00`,
      currency: 'USD',
      status,
      lines: skus.map((sku) => ({ sku, quantity: 1, unitPrice: '10.00' })),
    });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
}

beforeAll(async () => {
  t = await createTestApp({ ASSOCIATION_MIN_SUPPORT: '0.2' }, { clock });
  reader = await t.keyWith('marketing:read');
  const products: Array<[string, string | null, string | null, string | null, boolean?]> = [
    ['A', 'tea', '10.00', 'USD'],
    ['B', 'ware', '8.00', 'USD'],
    ['C', 'snacks', null, null],
    ['D', 'snacks', null, null],
    ['A-15', 'tea', '15.00', 'USD'],
    ['A-20', 'tea', '20.00', 'USD'],
    ['A-EUR', 'tea', '30.00', 'EUR'],
    ['A-OLD', 'tea', '50.00', 'USD', false],
    ['A-CHEAP', 'tea', '5.00', 'USD'],
  ];
  for (const [sku, category, listPrice, currency, active] of products) {
    const res = await t
      .admin()
      .post('/v1/products')
      .send({ sku, name: `Product ${sku}`, category, listPrice, currency, active: active ?? true });
    if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
    ids[sku] = res.body.id;
  }
  for (const name of ['c1', 'c2', 'c3', 'c4', 'c5', 'target', 'gone']) {
    people[name] = (await createCustomer(t, { name, kind: 'person' })).id;
  }
  await order('c1', '2026-10-01', ['A', 'B']);
  await order('c2', '2026-10-02', ['A', 'B']);
  await order('c3', '2026-10-03', ['A', 'B', 'C']);
  await order('c4', '2026-10-04', ['C']);
  await order('c4', '2026-10-20', ['D']);
  await order('c5', '2026-10-05', ['C', 'D']);
  await order('c5', '2026-10-06', ['D'], 'cancelled');
  await order('c2', '2026-10-07', ['C', 'D'], 'returned');
  await order('c1', '2026-12-05', ['A', 'B']);
  await order('target', '2026-12-02', ['A']);
  await order('gone', '2026-10-08', ['C', 'D']);
  expect((await t.admin().delete(`/v1/customers/${people.gone}`)).status).toBe(204);
  // Buyers without lines (no baskets) so that the run's models have repeat purchases to fit.
  for (const [i, days] of [
    ['2026-01-05', '2026-03-01', '2026-05-20', '2026-09-02'],
    ['2026-02-10', '2026-06-01'],
    ['2026-04-01', '2026-04-20', '2026-08-11'],
    ['2026-07-01'],
  ].entries()) {
    const id = (await createCustomer(t, { name: `steady ${i}`, kind: 'person' })).id;
    await buy(t, id, days, `${50 + 30 * i}.00`);
  }
});

afterAll(async () => {
  await t.close();
});

const rec = (customer: string, query = '') =>
  t.as(reader).get(`/v1/customers/${people[customer]}/recommendations${query}`);

describe('before any analytics run', () => {
  test('associations are 404 no_analytics_run', async () => {
    expectProblem(await t.as(reader).get('/v1/analytics/associations'), 404, 'no_analytics_run');
  });

  test('recommendations come from item co-occurrence alone, with a note', async () => {
    const res = await rec('target');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ method: 'item_cooccurrence', runId: null, asOf: null });
    expect(res.body.note).toMatch(/analytics run/);
    expect(res.body.items.map((i: { product: { sku: string } }) => i.product.sku)).toEqual(['B']);
    // c1, c2 and c3 bought A; all three bought B (C only c3: fewer than 2, left out).
    expect(res.body.items[0]).toMatchObject({
      score: 1,
      sources: ['item_cooccurrence'],
      rule: null,
      cooccurrence: { bought: { sku: 'A' }, customers: 3, buyers: 3, alsoBought: 3, share: 1 },
    });
    expect(res.body.items[0].reasons).toEqual([
      'bought by 100% of the 3 other customers who bought Product A (A)',
    ]);
  });
});

describe('after a run', () => {
  let runId: string;
  beforeAll(async () => {
    runId = await runAnalytics(t, '2026-11-30');
  });

  test('the rules are the hand-counted ones, by lift then confidence', async () => {
    const res = await t.as(reader).get('/v1/analytics/associations');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ runId, asOf: '2026-11-30', baskets: 6, minSupport: 0.2, minCount: 2 });
    expect(res.body.nextCursor).toBeNull();
    const rules = res.body.data as Array<{
      rank: number;
      antecedent: { sku: string };
      consequent: { sku: string };
      counts: unknown;
      support: number;
      confidence: number;
      lift: number;
    }>;
    expect(rules.map((r) => `${r.antecedent.sku}->${r.consequent.sku}`).sort()).toEqual(['A->B', 'B->A']);
    for (const rule of rules) {
      expect(rule.counts).toEqual({ both: 3, antecedent: 3, consequent: 3, baskets: 6 });
      expect(rule.support).toBeCloseTo(0.5, 12);
      expect(rule.confidence).toBeCloseTo(1, 12);
      expect(rule.lift).toBeCloseTo(2, 12);
    }
    expect(rules.map((r) => r.rank)).toEqual([1, 2]);
    expect(rules[0]!.antecedent).toEqual({
      id: expect.any(String),
      sku: expect.any(String),
      name: expect.any(String),
    });
  });

  test('productId, minLift and the cursor filter and page the same rules', async () => {
    const fromA = await t.as(reader).get(`/v1/analytics/associations?productId=${ids.A}`);
    expect(fromA.status).toBe(200);
    expect(fromA.body.data).toHaveLength(1);
    expect(fromA.body.data[0]).toMatchObject({
      antecedent: { id: ids.A, sku: 'A' },
      consequent: { id: ids.B, sku: 'B' },
    });
    const fromC = await t.as(reader).get(`/v1/analytics/associations?productId=${ids.C}`);
    expect(fromC.body.data).toEqual([]);
    expect((await t.as(reader).get('/v1/analytics/associations?minLift=2')).body.data).toHaveLength(2);
    expect((await t.as(reader).get('/v1/analytics/associations?minLift=2.01')).body.data).toEqual([]);
    const first = await t.as(reader).get('/v1/analytics/associations?limit=1');
    expect(first.body.data).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t
      .as(reader)
      .get(`/v1/analytics/associations?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(second.status).toBe(200);
    expect(second.body.data.map((r: { rank: number }) => r.rank)).toEqual([2]);
    expect(second.body.nextCursor).toBeNull();
  });

  test('a customer who bought A gets B, by the rule and by its peers, with the hand-computed measures', async () => {
    const res = await rec('target');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      customerId: people.target,
      method: 'both',
      runId,
      asOf: '2026-11-30',
      note: null,
    });
    const [b, ...rest] = res.body.items;
    expect(rest).toEqual([]);
    expect(b).toMatchObject({
      product: { id: ids.B, sku: 'B' },
      score: 1,
      sources: ['association_rules', 'item_cooccurrence'],
      rule: {
        antecedent: { id: ids.A },
        consequent: { id: ids.B },
        counts: { both: 3, antecedent: 3, consequent: 3, baskets: 6 },
      },
    });
    expect(b.rule.support).toBeCloseTo(0.5, 12);
    expect(b.rule.confidence).toBeCloseTo(1, 12);
    expect(b.rule.lift).toBeCloseTo(2, 12);
    expect(b.reasons[0]).toBe('bought with Product A (A) in 100% of the baskets containing it (lift 2.0)');
  });

  test('up-sell: dearer active products of the same category and currency, nearest first', async () => {
    const res = await rec('target');
    expect(res.body.upsell.map((u: { product: { sku: string } }) => u.product.sku)).toEqual(['A-15', 'A-20']);
    expect(res.body.upsell[0]).toMatchObject({
      product: { category: 'tea', listPrice: '15.00', currency: 'USD' },
      over: { sku: 'A', listPrice: '10.00' },
      reason: 'in tea the dearest you bought is Product A (A) at 10.00 USD; this one lists at 15.00 USD',
    });
    expect((await rec('target', '?limit=1')).body.upsell).toHaveLength(1);
  });

  test('customers with nothing new to propose get an empty list', async () => {
    const c1 = await rec('c1');
    expect(c1.body.items.map((i: { product: { sku: string } }) => i.product.sku)).toEqual([]);
    const c4 = await rec('c4');
    expect(c4.status).toBe(200);
    // c4 bought C and D: no rule from them, and of the peers only c3 and c5 bought C (c2 returned it).
    expect(c4.body.items).toEqual([]);
  });

  test('unknown, deleted and malformed ids; unknown products; scopes', async () => {
    expectProblem(
      await t.as(reader).get('/v1/customers/0192f0a4-0000-7000-8000-000000000000/recommendations'),
      404,
      'customer_not_found',
    );
    expectProblem(await rec('gone'), 404, 'customer_not_found');
    expectProblem(await t.as(reader).get('/v1/customers/nope/recommendations'), 404, 'customer_not_found');
    expectProblem(
      await t.as(reader).get('/v1/analytics/associations?productId=0192f0a4-0000-7000-8000-000000000000'),
      404,
      'product_not_found',
    );
    expectProblem(await t.as(reader).get('/v1/analytics/associations?productId=nope'), 400);
    expectProblem(await t.as(reader).get('/v1/analytics/associations?minLift=-1'), 400);
    expectProblem(await t.as(reader).get('/v1/analytics/associations?cursor=garbage'), 400, 'invalid_cursor');
    expectProblem(await rec('target', '?limit=0'), 400);
    const other = await t.keyWith('customers:read');
    expectProblem(await t.as(other).get('/v1/analytics/associations'), 403);
  });

  test('a second run prunes nothing it still needs and answers the same rules', async () => {
    const second = await runAnalytics(t, '2026-11-30');
    const res = await t.as(reader).get('/v1/analytics/associations');
    expect(res.body.runId).toBe(second);
    expect(res.body.data).toHaveLength(2);
    const kept = await t.db.knex('association_runs').pluck('run_id');
    expect(kept.sort()).toEqual([runId, second].sort());
    const third = await runAnalytics(t, '2026-11-30');
    expect((await t.db.knex('association_runs').pluck('run_id')).sort()).toEqual([second, third].sort());
  });
});
