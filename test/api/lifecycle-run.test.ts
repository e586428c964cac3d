import { buy as buyOn, runAnalytics } from '../helpers/analytics-run';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * docs/lifecycle.md "Replay during a run", through the API: a scripted business with known
 * cycles, stops and returns; one run over the imported history dates every change on the day
 * the rule gives; later runs add only what changed; a back-dated run rewrites nothing.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const DAY = 86_400_000;
const D0 = Date.UTC(2025, 0, 6);
const day = (n: number) => new Date(D0 + n * DAY).toISOString().slice(0, 10);
const dayStart = (n: number) => new Date(D0 + n * DAY).toISOString();

let orderNo = 0;
const run = (asOf: string) => runAnalytics(t, asOf);
const buy = (customerId: string, days: number[], amount = '100.00') =>
  buyOn(t, customerId, days.map(day), amount);

async function customer(name: string, days: number[]) {
  const res = await t.admin().post('/v1/customers').send({ name });
  expect(res.status).toBe(201);
  await buy(res.body.id, days);
  return res.body.id as string;
}

type Item = {
  kind: string;
  from: string | null;
  to: string | null;
  at: string;
  cause: string;
  runId: string | null;
};

async function history(id: string, kind?: string): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const query: Record<string, string> = { limit: '3' };
    if (kind) query.kind = kind;
    if (cursor) query.cursor = cursor;
    const res = await t.admin().get(`/v1/customers/${id}/lifecycle`).query(query);
    expect(res.status).toBe(200);
    items.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

const churnOf = async (id: string) =>
  (await history(id, 'churn_status')).map((e) => [e.from, e.to, e.at, e.cause]);

let steady: string;
let comeback: string;
let once: string;
let firstRun: string;

beforeAll(async () => {
  // Every 10 days from D0 to D0+100, then nothing: cycle 10.
  steady = await customer(
    'Steady',
    Array.from({ length: 11 }, (_, k) => k * 10),
  );
  // Three purchases 10 days apart, away, back on D0+100 and D0+110.
  comeback = await customer('Comeback', [0, 10, 20, 100, 110]);
  // One purchase: judged by the base's median cycle, median(10, 110/4) = 18.75 days.
  once = await customer('Once', [50]);
  firstRun = await run(day(200));
});

test("a first run dates each customer's whole churn history by the rule, newest first", async () => {
  expect(await churnOf(steady)).toEqual([
    ['at_risk', 'churned', dayStart(131), 'rule'],
    ['active', 'at_risk', dayStart(121), 'rule'],
    [null, 'active', dayStart(0), 'purchase'],
  ]);
  // Cycle after D0+110: 110 / 4 = 27.5 days; at risk after 55, churned after 82.5.
  expect(await churnOf(comeback)).toEqual([
    ['at_risk', 'churned', dayStart(193), 'rule'],
    ['active', 'at_risk', dayStart(166), 'rule'],
    ['won_back', 'active', dayStart(110), 'purchase'],
    ['churned', 'won_back', dayStart(100), 'purchase'],
    ['at_risk', 'churned', dayStart(51), 'rule'],
    ['active', 'at_risk', dayStart(41), 'rule'],
    [null, 'active', dayStart(0), 'purchase'],
  ]);
  // 18.75 x 2 = 37.5: at risk on day 50 + 38; x 3 = 56.25: churned on day 50 + 57.
  expect(await churnOf(once)).toEqual([
    ['at_risk', 'churned', dayStart(107), 'rule'],
    ['active', 'at_risk', dayStart(88), 'rule'],
    [null, 'active', dayStart(50), 'purchase'],
  ]);
  for (const item of await history(steady, 'churn_status')) expect(item.runId).toBe(firstRun);
});

test('stages move from the orders: acquisition on the first purchase, retention on the first repeat', async () => {
  const stages = (await history(steady, 'stage')).map((e) => [e.from, e.to, e.at, e.cause]);
  expect(stages).toEqual([
    ['acquisition', 'retention', dayStart(10), 'purchase'],
    ['selection', 'acquisition', dayStart(0), 'purchase'],
  ]);
  const res = await t.admin().get(`/v1/customers/${steady}`);
  expect(res.body).toMatchObject({
    lifecycleStage: 'retention',
    churnStatus: 'churned',
    churn: { status: 'churned', since: dayStart(131), cause: 'rule', reason: null, attribution: null },
  });
});

test('the same asOf twice writes nothing; a back-dated run does not rewrite the present', async () => {
  const before = (await history(comeback)).length;
  await run(day(200));
  expect((await history(comeback)).length).toBe(before);
  await run(day(150));
  expect((await history(comeback)).length).toBe(before);
  const res = await t.admin().get(`/v1/customers/${comeback}`);
  expect(res.body.churnStatus).toBe('churned');
});

test('a purchase after churn is a win-back on its day, and a later run adds only that', async () => {
  await buy(steady, [205]);
  const before = await churnOf(steady);
  const later = await run(day(210));
  const after = await history(steady, 'churn_status');
  expect(after.length).toBe(before.length + 1);
  expect(after[0]).toMatchObject({
    from: 'churned',
    to: 'won_back',
    at: dayStart(205),
    cause: 'purchase',
    runId: later,
  });
  expect((await churnOf(once)).length).toBe(3);
  // The win-back is also an outbox event, carrying the lifecycle event.
  const feed = await t.admin().get('/v1/events').query({ customerId: steady, limit: '100' });
  expect(feed.status).toBe(200);
  const churnEvents = (feed.body.data as Array<{ type: string; data: { to: string; at: string } }>).filter(
    (e) => e.type === 'customer.churn_status_changed',
  );
  expect(churnEvents.map((e) => e.data.to)).toContain('won_back');
});

test('a manual churn stands: no rule event follows it until the next purchase', async () => {
  const id = await customer(
    'Leaver',
    [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200],
  );
  const recorded = await t
    .admin()
    .post(`/v1/customers/${id}/churn`)
    .send({ reason: 'price', at: `${day(201)}T12:00:00.000Z` });
  expect(recorded.status).toBe(201);
  await run(day(260));
  const churn = await churnOf(id);
  expect(churn[0]).toEqual([null, 'churned', `${day(201)}T12:00:00.000Z`, 'manual']);
  await buy(id, [255]);
  await run(day(260));
  expect((await churnOf(id))[0]).toEqual(['churned', 'won_back', dayStart(255), 'purchase']);
});

test('extension: a purchase day with a new product category, or well above the usual spend', async () => {
  const products = await t
    .admin()
    .post('/v1/products/batch')
    .send({
      items: [
        { sku: 'LC-TEA', name: 'Tea', category: 'drinks' },
        { sku: 'LC-POT', name: 'Teapot', category: 'kitchen' },
      ],
    });
  expect(products.status).toBe(200);
  const id = (await t.admin().post('/v1/customers').send({ name: 'Grower' })).body.id as string;
  const line = (sku: string) => [{ sku, quantity: 1, unitPrice: '100.00' }];
  const items = [
    [230, 'LC-TEA'],
    [240, 'LC-TEA'],
    [250, 'LC-POT'],
  ].map(([n, sku]) => ({
    externalId: `lc-order-${++orderNo}`,
    customerId: id,
    orderedAt: `${day(n as number)}T10:00:00Z`,
    amount: '100.00',
    currency: 'USD',
    lines: line(sku as string),
  }));
  expect((await t.admin().post('/v1/orders/batch').send({ items })).status).toBe(200);
  // Spend: two days of 100, then 400 (> 1.5 x 100) for another customer.
  const spender = await customer('Spender', [230, 240]);
  await buy(spender, [250], '400.00');
  await run(day(260));
  const stagesOf = async (who: string) =>
    (await history(who, 'stage')).map((e) => [e.from, e.to, e.at, e.cause]);
  const expected = [
    ['retention', 'extension', dayStart(250), 'purchase'],
    ['acquisition', 'retention', dayStart(240), 'purchase'],
    ['selection', 'acquisition', dayStart(230), 'purchase'],
  ];
  expect(await stagesOf(id)).toEqual(expected);
  expect(await stagesOf(spender)).toEqual(expected);
});

test('an asOf in the future is refused with 422 and starts nothing', async () => {
  const res = await t.admin().post('/v1/analytics/runs').send({ asOf: '2999-01-01' });
  expect(res.status).toBe(422);
  expect(res.body.code).toBe('date_in_future');
  expect(res.body.errors[0].path).toBe('body/asOf');
});
