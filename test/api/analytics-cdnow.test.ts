import { cdnowAvailable, readCdnowSample, skipNotice } from '../helpers/cdnow';
import { createTestApp, type TestApp } from '../helpers/test-app';

// The published fits on the CDNOW sample, reproduced through the public API: customers and
// orders through the batch endpoints, a run as of the calibration end in weeks, then the models,
// a value card and the segments.
skipNotice('analytics on CDNOW');
const describeCdnow = cdnowAvailable ? describe : describe.skip;

async function waitForRun(t: TestApp, id: string) {
  for (let i = 0; i < 600; i++) {
    const res = await t.admin().get(`/v1/analytics/runs/${id}`);
    if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('run did not finish');
}

describeCdnow('analytics on the CDNOW sample', () => {
  let t: TestApp;
  const ids = new Map<number, string>();

  beforeAll(async () => {
    t = await createTestApp();
    const orders = readCdnowSample();
    const sampleIds = [...new Set(orders.map((o) => o.sampleId))];
    for (let i = 0; i < sampleIds.length; i += 1000) {
      const items = sampleIds
        .slice(i, i + 1000)
        .map((id) => ({ externalId: `cdnow-${id}`, name: `CDNOW ${id}` }));
      const res = await t.admin().post('/v1/customers/batch').send({ items });
      expect(res.status).toBe(200);
      for (const r of res.body.results) ids.set(Number(r.externalId.slice(6)), r.id);
    }
    const items = orders.map((o, i) => ({
      externalId: `cdnow-o-${i}`,
      customerExternalId: `cdnow-${o.sampleId}`,
      orderedAt: `${o.date}T12:00:00Z`,
      amount: o.amount,
      currency: 'USD',
      status: 'shipped',
    }));
    for (let i = 0; i < items.length; i += 1000) {
      const res = await t
        .admin()
        .post('/v1/orders/batch')
        .send({ items: items.slice(i, i + 1000) });
      expect(res.status).toBe(200);
    }
  }, 120000);
  afterAll(async () => t?.close());

  test('before any run, the models and segments are 404', async () => {
    const res = await t.admin().get('/v1/analytics/models/clv');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('no_analytics_run');
  });

  test('a run as of 1997-09-30 in weeks reproduces the published BG/NBD and Gamma-Gamma fits', async () => {
    const started = await t.admin().post('/v1/analytics/runs').send({ asOf: '1997-09-30', timeUnit: 'week' });
    expect(started.status).toBe(202);
    const run = await waitForRun(t, started.body.id);
    expect(run).toMatchObject({ status: 'done', error: null });
    expect(run.progress).toEqual({ customersDone: 2357, customersTotal: 2357 });

    const models = (await t.admin().get('/v1/analytics/models/clv')).body;
    expect(models.runId).toBe(started.body.id);
    expect(models.timeUnit).toBe('week');
    expect(models.bgnbd.customers).toBe(2357);
    expect(models.bgnbd.r).toBeCloseTo(0.243, 2);
    expect(models.bgnbd.alpha).toBeCloseTo(4.414, 1);
    expect(models.bgnbd.a).toBeCloseTo(0.793, 2);
    expect(models.bgnbd.b).toBeCloseTo(2.426, 1);
    expect(models.bgnbd.logLikelihood).toBeCloseTo(-9582.4, 0);
    expect(models.gammaGamma.customers).toBe(946);
    expect(models.gammaGamma.p).toBeCloseTo(6.25, 1);
    expect(models.gammaGamma.q).toBeCloseTo(3.74, 1);
    expect(models.gammaGamma.v).toBeCloseTo(15.44, 0);
  }, 120000);

  test("customer 1's value card: x = 2, t_x = 30.43, T = 38.86 weeks, P(alive) 0.727", async () => {
    const res = await t.admin().get(`/v1/customers/${ids.get(1)}/value`);
    expect(res.status).toBe(200);
    const card = res.body;
    expect(card.summary.frequency).toBe(2);
    expect(card.summary.recency).toBeCloseTo(30.43, 2);
    expect(card.summary.T).toBeCloseTo(38.86, 2);
    expect(card.churn.pAlive).toBeCloseTo(0.7266, 2);
    expect(card.clv.horizonMonths).toBe(12);
    // 52.18 weeks ahead: more than the 1.226 of 39 weeks, less than twice it.
    expect(card.clv.expectedPurchases).toBeGreaterThan(1.226);
    expect(card.clv.expectedPurchases).toBeLessThan(2 * 1.226);
    expect(card.clv.predicted).toBeGreaterThan(0);
    expect(['platinum', 'gold', 'silver', 'development', 'optimization', 'new']).toContain(card.valueClass);
    expect(card.rfm.code).toBe(`${card.rfm.r}${card.rfm.f}${card.rfm.m}`);
  });

  test('segments cover every valued customer and the Pareto share lies in (0.2, 1]', async () => {
    const res = await t.admin().get('/v1/analytics/segments');
    expect(res.status).toBe(200);
    const classes = Object.values(res.body.valueClasses as Record<string, { customers: number }>);
    expect(classes.reduce((s, c) => s + c.customers, 0)).toBe(2357);
    const cells = Object.values(res.body.matrix.counts as Record<string, Record<string, number>>).flatMap(
      (r) => Object.values(r),
    );
    expect(cells.reduce((s, n) => s + n, 0) + res.body.matrix.newCustomers).toBe(2357);
    expect(res.body.pareto.topShare).toBeGreaterThan(0.2);
    expect(res.body.pareto.topShare).toBeLessThanOrEqual(1);
  });

  test('CSV export streams every customer with a header row', async () => {
    const res = await t.admin().get('/v1/analytics/values').set('accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toMatch(/^customerId,runId,asOf,summary\.timeUnit,summary\.purchases,/);
    expect(lines).toHaveLength(2358);
  });
});
