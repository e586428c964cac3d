import { runAnalytics } from '../helpers/analytics-run';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The churn report end to end: customers with orders on known days, analytics runs that write
 * their history (docs/lifecycle.md "Churn status"), a manual churn between the runs, then the
 * report's figures, cohorts and at-risk list.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { clock: () => new Date('2026-08-15T12:00:00Z') });
});
afterAll(async () => t.close());

let orderNo = 0;
async function addOrders(customerId: string, dates: string[]) {
  const items = dates.map((date) => ({
    externalId: `order-${++orderNo}`,
    customerId,
    orderedAt: `${date}T10:00:00Z`,
    amount: '40.00',
    currency: 'USD',
  }));
  const batch = await t.admin().post('/v1/orders/batch').send({ items });
  expect(batch.status).toBe(200);
}

async function customer(name: string, dates: string[], extra: Record<string, unknown> = {}) {
  const res = await t
    .admin()
    .post('/v1/customers')
    .send({ name, ...extra });
  expect(res.status).toBe(201);
  await addOrders(res.body.id, dates);
  return res.body.id as string;
}

const run = (asOf: string) => runAnalytics(t, asOf);

const status = async (id: string) => (await t.admin().get(`/v1/customers/${id}`)).body.churnStatus;

test('orders, two runs and a manual churn: the report counts what the history says', async () => {
  // Monthly, a 30-day cycle: after 5 June at risk on 5 August, after the second run's asOf.
  const regular = await customer('Regular', [
    '2026-01-05',
    '2026-02-04',
    '2026-03-06',
    '2026-04-05',
    '2026-05-05',
    '2026-06-04',
  ]);
  // A 19-day cycle in January 2025: at risk on 28 February, churned on 19 March 2025.
  const lapsed = await customer('Lapsed', ['2025-01-01', '2025-01-20']);
  const leaver = await customer('Leaver', ['2026-05-01', '2026-06-01']);
  // A 30-day cycle ending 16 May: at risk on 16 July, churned only on 15 August.
  const slipping = await customer('Slipping', ['2026-04-16', '2026-05-16'], { owner: 'j.doe' });

  await run('2026-06-10');
  expect(await status(lapsed)).toBe('churned');
  expect(await status(leaver)).toBe('active');
  const recorded = await t
    .admin()
    .post(`/v1/customers/${leaver}/churn`)
    .send({ reason: 'price', at: '2026-06-15T09:00:00Z' });
  expect(recorded.status).toBe(201);
  await addOrders(leaver, ['2026-07-10']);
  await run('2026-07-31');
  expect(await status(leaver)).toBe('won_back');
  expect(await status(regular)).toBe('active');
  expect(await status(slipping)).toBe('at_risk');

  const report = (await t.admin().get('/v1/analytics/churn?from=2026-01&to=2026-07')).body;
  const figures = report.periods.map((p: Record<string, number | string | null>) => [
    p.period,
    p.activeAtStart,
    p.new,
    p.churned,
    p.wonBack,
    p.activeAtEnd,
    p.churnedAtStart,
  ]);
  expect(figures).toEqual([
    ['2026-01', 0, 1, 0, 0, 1, 1],
    ['2026-02', 1, 0, 0, 0, 1, 1],
    ['2026-03', 1, 0, 0, 0, 1, 1],
    ['2026-04', 1, 1, 0, 0, 2, 1],
    ['2026-05', 2, 1, 0, 0, 3, 1],
    ['2026-06', 3, 0, 1, 0, 2, 1],
    ['2026-07', 2, 0, 0, 1, 3, 2],
  ]);
  expect(report.periods[5]).toMatchObject({ churnRate: 1 / 3, winBackRate: 0 });
  expect(report.periods[6]).toMatchObject({ churnRate: 0, winBackRate: 0.5 });
  expect(report.byReason).toEqual([{ reason: 'price', customers: 1, share: 1 }]);
  expect(report.cohorts).toEqual([
    { cohort: '2026-01', start: '2026-01-01', customers: 1, retention: [1, 1, 1, 1, 1, 1, 1] },
    { cohort: '2026-04', start: '2026-04-01', customers: 1, retention: [1, 1, 1, 1] },
    { cohort: '2026-05', start: '2026-05-01', customers: 1, retention: [1, 0, 1] },
  ]);
  const purchases = (await t.admin().get('/v1/analytics/churn?from=2026-01&to=2026-07&cohortBasis=purchase'))
    .body;
  expect(purchases.cohorts).toEqual([
    { cohort: '2026-01', start: '2026-01-01', customers: 1, retention: [1, 1, 1, 1, 1, 1, 0] },
    { cohort: '2026-04', start: '2026-04-01', customers: 1, retention: [1, 1, 0, 0] },
    { cohort: '2026-05', start: '2026-05-01', customers: 1, retention: [1, 1, 1] },
  ]);

  // At risk at the end of the second run's asOf: Slipping, with the run's figures.
  expect(report.atRiskAsOf).toBe('2026-07-31');
  expect(report.atRisk).toHaveLength(1);
  const [entry] = report.atRisk;
  expect(entry).toMatchObject({
    customerId: slipping,
    name: 'Slipping',
    owner: 'j.doe',
    lastPurchaseAt: '2026-05-16T10:00:00.000Z',
    lastContactAt: null,
  });
  expect(entry.clvPredicted).toEqual(expect.any(Number));
  // P(alive) is null when the run could not fit BG/NBD (too few customers), and so is the value at stake.
  expect(entry.valueAtStake).toEqual(entry.pAlive === null ? null : entry.clvPredicted * (1 - entry.pAlive));
});
