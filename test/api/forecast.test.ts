import { periodEnds, periodPurchases } from '../../src/domain/reports/demand-forecast';
import { expectedPurchasesNewCustomer } from '../../src/domain/value/bgnbd-predictions';
import { fitBgnbd } from '../../src/domain/value/bgnbd-fit';
import { fitGammaGamma } from '../../src/domain/value/gamma-gamma-fit';
import { expectedSpend } from '../../src/domain/value/gamma-gamma-spend';
import { DEFAULT_BUSINESS, syntheticBusiness } from '../../src/demo/synthetic-business';
import { runAnalytics } from '../helpers/analytics-run';
import { testClock } from '../helpers/clock';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

jest.setTimeout(180_000);
const clock = testClock('2026-11-30T12:00:00.000Z');
const AS_OF = '2026-11-30';
let t: TestApp;
let reader: string;

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  reader = await t.keyWith('analytics:read');
  await t.admin().post('/v1/products').send({ sku: 'TEA', name: 'Tea', category: 'tea' });
  await t.admin().post('/v1/products').send({ sku: 'CUP', name: 'Cup', category: 'ware' });
  // A simulated business (BG/NBD purchases, Gamma-Gamma spend), so the run fits both models.
  const business = syntheticBusiness({ ...DEFAULT_BUSINESS, customers: 150, start: '2024-12-01', days: 730 });
  const people = business.customers.map((c, i) => ({
    externalId: c.externalId,
    name: c.name,
    kind: 'person',
    region: i % 5 === 4 ? null : c.region,
  }));
  for (let k = 0; k < people.length; k += 200) {
    const res = await t
      .admin()
      .post('/v1/customers/batch')
      .send({ items: people.slice(k, k + 200) });
    if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
  }
  // Every order one line, of tea or of ware by turns, and every fifth without lines.
  const items = business.orders.map((o, i) => ({
    externalId: o.externalId,
    customerExternalId: o.customerExternalId,
    orderedAt: o.orderedAt,
    amount: o.amount,
    currency: 'USD',
    status: o.status,
    lines: i % 5 === 4 ? [] : [{ sku: i % 2 ? 'CUP' : 'TEA', quantity: 1, unitPrice: o.amount }],
  }));
  for (let k = 0; k < items.length; k += 200) {
    const res = await t
      .admin()
      .post('/v1/orders/batch')
      .send({ items: items.slice(k, k + 200) });
    if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
  }
});

afterAll(async () => {
  await t.close();
});

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Every text node of an SVG document. */
function texts(svg: string): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object')
      for (const [key, value] of Object.entries(node)) {
        if (key === '#text') out.push(String(value));
        else walk(value);
      }
  };
  walk(new XMLParser({ preserveOrder: true, ignoreAttributes: true }).parse(svg));
  return out.join('\n');
}

/** A chart's body as bytes (supertest leaves images unread otherwise). */
const chart = (path: string, language = 'en') =>
  t
    .as(reader)
    .get(`/v1/analytics/charts/${path}`)
    .set('accept-language', language)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

test('no finished run yet is 404 no_analytics_run', async () => {
  expectProblem(await t.as(reader).get('/v1/analytics/forecast'), 404, 'no_analytics_run');
});

describe('with a finished run', () => {
  let runId: string;
  beforeAll(async () => {
    runId = await runAnalytics(t, AS_OF);
  });

  test('the total is the sum of every valued customer’s expectations, period by period', async () => {
    const res = await t.as(reader).get('/v1/analytics/forecast?horizon=month&periods=3');
    if (res.status !== 200)
      throw new Error(res.text + JSON.stringify((await t.admin().get(`/v1/analytics/models/clv`)).body));
    const body = res.body;
    expect(body.runId).toBe(runId);
    expect(body.periods).toBeUndefined();
    expect(body.total.periods.map((p: { from: string; to: string }) => [p.from, p.to])).toEqual([
      ['2026-12-01', '2026-12-30'],
      ['2026-12-31', '2027-01-30'],
      ['2027-01-31', '2027-03-01'],
    ]);
    const models = (await t.as(reader).get('/v1/analytics/models/clv')).body;
    const { r, alpha, a, b } = models.bgnbd;
    const rows: Array<{ frequency: number; recency: number; age: number; expected_average_amount: number }> =
      await t.db.knex('customer_values').where({ run_id: runId });
    expect(body.customers).toBe(rows.length);
    const ends = periodEnds('month', 3);
    const unit = { day: 1, week: 7, month: 30.4375 }[
      (await t.db.knex('analytics_runs').where({ id: runId }).first()).time_unit as 'day'
    ];
    const purchases = [0, 0, 0];
    const revenue = [0, 0, 0];
    for (const v of rows) {
      const p = periodPurchases(
        { r, alpha, a, b },
        { frequency: v.frequency, recency: Number(v.recency), T: Number(v.age) },
        ends,
        unit,
      );
      p.forEach((x, k) => {
        purchases[k]! += x;
        revenue[k]! += x * Number(v.expected_average_amount);
      });
    }
    body.total.periods.forEach((p: { expectedPurchases: number; expectedRevenue: number }, k: number) => {
      expect(p.expectedPurchases).toBeCloseTo(purchases[k]!, 5);
      expect(p.expectedRevenue).toBeCloseTo(revenue[k]!, 1);
    });
    expect(body.total.expectedPurchases).toBeCloseTo(sum(purchases), 5);
    expect(body.total.expectedPurchases).toBeGreaterThan(0);
  });

  test('customers not yet acquired: arrivals, first purchases and integrated repeats, beside the existing', async () => {
    const none = (await t.as(reader).get('/v1/analytics/forecast?horizon=month&periods=2')).body;
    expect(none.newCustomers.perMonth).toBe(0);
    expect(none.newCustomers.expectedPurchases).toBe(0);
    expect(none.total).toEqual(none.existing);
    const res = await t
      .as(reader)
      .get('/v1/analytics/forecast?horizon=month&periods=2&newCustomersPerMonth=30');
    expect(res.status).toBe(200);
    const body = res.body;
    const models = (await t.as(reader).get('/v1/analytics/models/clv')).body;
    const { r, alpha, a, b } = models.bgnbd;
    const { p, q, v } = models.gammaGamma;
    const unit = { day: 1, week: 7, month: 30.4375 }[
      (await t.db.knex('analytics_runs').where({ id: body.runId }).first()).time_unit as 'day'
    ];
    // By hand: 30 a month is 30 / 30.4375 a day; period (t0, t1] gets that x (t1 - t0) first
    // purchases and that x the integral of E[X(u)] over (t0, t1] (a fine midpoint sum here).
    const perDay = 30 / 30.4375;
    const spend = (p * v) / (q - 1);
    expect(body.newCustomers.expectedSpend).toBeCloseTo(spend, 2);
    [
      [0, 30],
      [30, 61],
    ].forEach(([t0, t1], k) => {
      let integral = 0;
      const n = 600;
      const h = (t1! - t0!) / n;
      for (let i = 0; i < n; i++)
        integral += expectedPurchasesNewCustomer({ r, alpha, a, b }, (t0! + (i + 0.5) * h) / unit) * h;
      const period = body.newCustomers.periods[k];
      expect(period.customers).toBeCloseTo(perDay * (t1! - t0!), 5);
      expect(period.repeatPurchases).toBeCloseTo(perDay * integral, 3);
      expect(period.expectedPurchases).toBeCloseTo(perDay * (t1! - t0! + integral), 3);
      expect(period.expectedRevenue).toBeCloseTo(period.expectedPurchases * spend, 0);
      expect(body.existing.periods[k].expectedPurchases).toBe(none.existing.periods[k].expectedPurchases);
      expect(body.total.periods[k].expectedPurchases).toBeCloseTo(
        body.existing.periods[k].expectedPurchases + period.expectedPurchases,
        5,
      );
    });
    expect(body.newCustomers.repeatPurchases).toBeUndefined();
    expectProblem(
      await t.as(reader).get('/v1/analytics/forecast?newCustomersPerMonth=-1'),
      400,
      'validation_failed',
    );
  });

  test.each(['region', 'category', 'valueClass'])('groupBy=%s adds up to the total', async (groupBy) => {
    const body = (
      await t.as(reader).get(`/v1/analytics/forecast?horizon=quarter&periods=2&groupBy=${groupBy}`)
    ).body;
    expect(body.groupBy).toBe(groupBy);
    expect(body.groups.length).toBeGreaterThan(1);
    for (let k = 0; k < 2; k++) {
      const groups = body.groups.map(
        (g: { periods: Array<{ expectedPurchases: number }> }) => g.periods[k]!.expectedPurchases,
      );
      expect(sum(groups)).toBeCloseTo(body.total.periods[k].expectedPurchases, 4);
    }
    if (groupBy === 'category')
      expect(body.groups.map((g: { key: string | null }) => g.key)).toEqual(
        expect.arrayContaining(['tea', 'ware', null]),
      );
  });

  test('the backtest is made as of asOf minus the span, beside the purchase days after it', async () => {
    const body = (await t.as(reader).get('/v1/analytics/forecast?horizon=month&periods=3')).body;
    // 3 months = round(3 x 30.4375) = 91 days before 2026-11-30.
    expect(body.backtest.asOf).toBe('2026-08-31');
    expect(body.backtest.periods[0]).toMatchObject({ from: '2026-09-01', to: '2026-09-30' });
    const { rows } = await t.db.knex.raw(
      `SELECT count(DISTINCT customer_id)::int AS n FROM orders WHERE ordered_at < '2026-09-01T00:00:00Z' AND status NOT IN ('cancelled', 'returned')`,
    );
    expect(body.backtest.customers).toBe(rows[0].n);
    const actual = await t.db.knex.raw(
      `SELECT count(DISTINCT (customer_id, (ordered_at AT TIME ZONE 'UTC')::date))::int AS n FROM orders o
        WHERE ordered_at >= '2026-09-01T00:00:00Z' AND ordered_at < '2026-10-01T00:00:00Z' AND status NOT IN ('cancelled', 'returned')
          AND EXISTS (SELECT 1 FROM orders f WHERE f.customer_id = o.customer_id AND f.ordered_at < '2026-09-01T00:00:00Z' AND f.status NOT IN ('cancelled', 'returned'))`,
    );
    expect(body.backtest.periods[0].actualPurchases).toBe(actual.rows[0].n);
    const periods = body.backtest.periods.filter((p: { actualPurchases: number }) => p.actualPurchases > 0);
    const expected =
      sum(
        periods.map(
          (p: { actualPurchases: number; forecastPurchases: number }) =>
            Math.abs(p.actualPurchases - p.forecastPurchases) / p.actualPurchases,
        ),
      ) / periods.length;
    expect(body.backtest.mapePurchases).toBeCloseTo(expected, 3);
  });

  test('the backtest refits both models on the histories up to its date and forecasts with them', async () => {
    const body = (await t.as(reader).get('/v1/analytics/forecast?horizon=month&periods=3')).body;
    const unit = { day: 1, week: 7, month: 30.4375 }[
      (await t.db.knex('analytics_runs').where({ id: body.runId }).first()).time_unit as 'day'
    ];
    // Purchase days up to the backtest date, per customer, recounted here.
    const { rows } = await t.db.knex.raw(
      `SELECT customer_id, day - DATE '1970-01-01' AS day, amount::float8 AS amount FROM (
         SELECT customer_id, (ordered_at AT TIME ZONE 'UTC')::date AS day, sum(reporting_amount) AS amount
           FROM orders WHERE ordered_at < '2026-09-01T00:00:00Z' AND status NOT IN ('cancelled', 'returned')
          GROUP BY 1, 2) d ORDER BY customer_id, day`,
    );
    const byCustomer = new Map<string, Array<{ day: number; amount: number }>>();
    for (const r of rows) byCustomer.set(r.customer_id, [...(byCustomer.get(r.customer_id) ?? []), r]);
    const cutoff = Date.UTC(2026, 7, 31) / 86_400_000;
    const customers = [...byCustomer.values()].map((days) => {
      const frequency = days.length - 1;
      return {
        history: {
          frequency,
          recency: (days[days.length - 1]!.day - days[0]!.day) / unit,
          T: (cutoff - days[0]!.day) / unit,
        },
        spend: {
          frequency,
          repeatAverageAmount: frequency > 0 ? sum(days.slice(1).map((d) => d.amount)) / frequency : 0,
        },
      };
    });
    const bgnbd = fitBgnbd(customers.map((c) => c.history)).params;
    const gammaGamma = fitGammaGamma(customers.map((c) => c.spend)).params;
    const { models } = body.backtest;
    expect(models.refit).toBe(true);
    expect(models.error).toBeNull();
    for (const k of ['r', 'alpha', 'a', 'b'] as const) expect(models.bgnbd[k]).toBeCloseTo(bgnbd[k], 8);
    for (const k of ['p', 'q', 'v'] as const) expect(models.gammaGamma[k]).toBeCloseTo(gammaGamma[k], 6);
    // Not the run's own parameters: the histories are three months shorter.
    const run = (await t.as(reader).get('/v1/analytics/models/clv')).body;
    expect(models.bgnbd.r).not.toBeCloseTo(run.bgnbd.r, 8);
    const ends = periodEnds('month', 3);
    const purchases = [0, 0, 0];
    const revenue = [0, 0, 0];
    for (const c of customers) {
      const spend = expectedSpend(gammaGamma, c.spend);
      periodPurchases(bgnbd, c.history, ends, unit).forEach((x, k) => {
        purchases[k]! += x;
        revenue[k]! += x * spend;
      });
    }
    body.backtest.periods.forEach((p: { forecastPurchases: number; forecastRevenue: number }, k: number) => {
      expect(p.forecastPurchases).toBeCloseTo(purchases[k]!, 4);
      expect(p.forecastRevenue).toBeCloseTo(revenue[k]!, 0);
    });
    // A second request answers the same from the kept fit.
    expect((await t.as(reader).get('/v1/analytics/forecast?horizon=month&periods=3')).body.backtest).toEqual(
      body.backtest,
    );
  });

  test('a backtest date before any customer keeps the run’s models and says why', async () => {
    const body = (await t.as(reader).get('/v1/analytics/forecast?horizon=quarter&periods=24')).body;
    expect(body.backtest.customers).toBe(0);
    expect(body.backtest.models.refit).toBe(false);
    expect(body.backtest.models.error).toMatch(/^bgnbd: insufficient_data/);
    const run = (await t.as(reader).get('/v1/analytics/models/clv')).body;
    expect(body.backtest.models.bgnbd.r).toBe(run.bgnbd.r);
    expect(body.backtest.mapePurchases).toBeNull();
  });

  test('the forecast chart: history, the backtest beside its actuals, the forecast; English and Chinese', async () => {
    const res = await chart(
      'forecast.svg?horizon=month&periods=2&history=6&metric=purchases&newCustomersPerMonth=5',
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = (res.body as Buffer).toString('utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toMatch(/<svg [^>]*width="800" height="500"/);
    const words = texts(svg);
    expect(words).not.toMatch(/[\u4e00-\u9fff]/);
    // 2 months = 61 days before 2026-11-30: the backtest as of 2026-09-30, the forecast from 2026-12-01.
    for (const word of [
      'Demand forecast per month, with its backtest',
      'Purchases (purchase days)',
      'month (first day)',
      'Actual, all customers',
      'Backtest: actual',
      'Backtest: forecast',
      'Forecast',
      '5 new customers a month',
      'backtest as of 2026-09-30',
      '2026-12-01',
    ])
      expect(words).toContain(word);
    const zh = await chart('forecast.svg?horizon=quarter&periods=1', 'zh-CN');
    expect(zh.status).toBe(200);
    expect(zh.headers['content-language']).toBe('zh-CN');
    const zhSvg = (zh.body as Buffer).toString('utf8');
    expect(XMLValidator.validate(zhSvg)).toBe(true);
    for (const word of [
      '每季度需求预测及回测',
      '收入（USD）',
      '实际（全部客户）',
      '回测：预测',
      '回测：实际',
      '季度（首日）',
    ])
      expect(texts(zhSvg)).toContain(word);
    const png = await chart('forecast.png', 'zh-CN');
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect((png.body as Buffer).readUInt32BE(16)).toBe(800);
    expect((png.body as Buffer).readUInt32BE(20)).toBe(500);
    for (const path of ['forecast.svg?horizon=week', 'forecast.svg?periods=25', 'forecast.svg?history=0'])
      expectProblem(await t.as(reader).get(`/v1/analytics/charts/${path}`), 400, 'validation_failed');
  });

  test('bad parameters are 400 problems; the scope is analytics:read', async () => {
    expectProblem(await t.as(reader).get('/v1/analytics/forecast?horizon=week'), 400, 'validation_failed');
    expectProblem(await t.as(reader).get('/v1/analytics/forecast?periods=0'), 400, 'validation_failed');
    expectProblem(await t.as(reader).get('/v1/analytics/forecast?groupBy=owner'), 400, 'validation_failed');
    const other = await t.keyWith('customers:read');
    expectProblem(await t.as(other).get('/v1/analytics/forecast'), 403);
  });
});
