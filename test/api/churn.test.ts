import { newId } from '../../src/db/ids';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { clock: () => new Date('2026-08-15T12:00:00Z') });
});
afterAll(async () => t.close());

async function customerWithOrders(name: string, dates: string[]) {
  const res = await t.admin().post('/v1/customers').send({ name });
  await addOrders(res.body.id, dates);
  return res.body.id as string;
}

let orderNo = 0;

/** Orders through the public API. */
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

async function run(asOf: string) {
  const started = await t.admin().post('/v1/analytics/runs').send({ asOf });
  expect(started.status).toBe(202);
  for (let i = 0; i < 300; i++) {
    const res = await t.admin().get(`/v1/analytics/runs/${started.body.id}`);
    if (res.body.status !== 'queued' && res.body.status !== 'running') {
      expect(res.body).toMatchObject({ status: 'done' });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('run did not finish');
}

const status = async (id: string) => (await t.admin().get(`/v1/customers/${id}`)).body.churnStatus;

test('manual churn with a reason, rule-based churn, win-back, and the monthly report', async () => {
  const regular = await customerWithOrders('Regular', [
    '2026-01-05',
    '2026-02-05',
    '2026-03-05',
    '2026-04-05',
    '2026-05-05',
    '2026-06-05',
  ]);
  const lapsed = await customerWithOrders('Lapsed', ['2025-01-01', '2025-01-20']);
  const leaver = await customerWithOrders('Leaver', ['2026-05-01', '2026-06-01']);

  const recorded = await t
    .admin()
    .post(`/v1/customers/${leaver}/churn`)
    .send({ reason: 'price', at: '2026-06-15T09:00:00Z' });
  expect(recorded.status).toBe(201);
  expect(recorded.body).toEqual({
    customerId: leaver,
    churnStatus: 'churned',
    reason: 'price',
    at: '2026-06-15T09:00:00.000Z',
  });
  expect(await status(leaver)).toBe('churned');

  await run('2026-06-30');
  expect(await status(lapsed)).toBe('churned');
  // Said so and has not bought since: the rule cannot make it active again.
  expect(await status(leaver)).toBe('churned');
  expect(['active', 'at_risk']).toContain(await status(regular));

  await addOrders(leaver, ['2026-07-10']);
  await run('2026-07-31');
  expect(await status(leaver)).toBe('won_back');
  expect(await status(lapsed)).toBe('churned');

  const report = await t.admin().get('/v1/analytics/churn?from=2026-01&to=2026-07');
  expect(report.status).toBe(200);
  const june = report.body.periods.find((p: { period: string }) => p.period === '2026-06');
  const july = report.body.periods.find((p: { period: string }) => p.period === '2026-07');
  expect(report.body.periods).toHaveLength(7);
  expect(june).toMatchObject({ activeAtStart: 0, churned: 2, churnRate: null, wonBack: 0 });
  expect(july.wonBack).toBe(1);
  expect(july.churned).toBe(0);
  expect(july.activeAtStart).toBeGreaterThanOrEqual(1);
  expect(report.body.winBackRate).toBe(0.5);
  expect(report.body.byReason).toEqual([
    { reason: 'price', customers: 1, share: 0.5 },
    { reason: 'unstated', customers: 1, share: 0.5 },
  ]);
  const january = report.body.cohorts.find((c: { cohort: string }) => c.cohort === '2026-01');
  expect(january).toEqual({ cohort: '2026-01', customers: 1, retention: [1, 1, 1, 1, 1, 1, 0] });
  const may = report.body.cohorts.find((c: { cohort: string }) => c.cohort === '2026-05');
  expect(may).toEqual({ cohort: '2026-05', customers: 1, retention: [1, 1, 1] });
});

test('bad churn input is refused and changes nothing', async () => {
  const res = await t.admin().post('/v1/customers').send({ name: 'Stays' });
  const id = res.body.id;
  for (const body of [
    { reason: 'boredom' },
    {},
    { reason: 'price', extra: 1 },
    { reason: 'price', at: 'yesterday' },
  ]) {
    const bad = await t.admin().post(`/v1/customers/${id}/churn`).send(body);
    expect(bad.status).toBe(400);
  }
  const future = await t
    .admin()
    .post(`/v1/customers/${id}/churn`)
    .send({ reason: 'price', at: '2027-01-01T00:00:00Z' });
  expect(future.status).toBe(422);
  expect(future.body.code).toBe('churn_in_future');
  expect(await status(id)).toBe('active');
  const missing = await t.admin().post(`/v1/customers/${newId()}/churn`).send({ reason: 'price' });
  expect(missing.status).toBe(404);
  for (const q of ['from=2026-13', 'from=2026-05&to=2026-01', 'from=2020-01&to=2026-01', 'foo=1']) {
    expect((await t.admin().get(`/v1/analytics/churn?${q}`)).status).toBe(400);
  }
});
