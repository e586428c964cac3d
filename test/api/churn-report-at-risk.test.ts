import { newId } from '../../src/db/ids';
import { LifecycleRepository } from '../../src/modules/lifecycle/repository';
import { createCustomer } from '../helpers/customers';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The report's at-risk list: the status at the end of the latest finished run's asOf day (not
 * now), by value at stake from that run's customer_values, unknown last, live customers only.
 * The runs and their values are written as a run publishes them (a partition per run).
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { clock: () => new Date('2026-08-15T12:00:00Z') });
});
afterAll(async () => t.close());

const at = (day: string) => new Date(day.length === 10 ? `${day}T00:00:00Z` : day);

async function history(customerId: string, steps: Array<[string, string | null]>) {
  const lifecycle = new LifecycleRepository(t.db.knex);
  let from: string | null = null;
  await t.db.knex.transaction(async (trx) => {
    for (const [day, to] of steps) {
      await lifecycle.record(
        [{ customerId, kind: 'churn_status', from, to, at: at(day), cause: 'rule' }],
        trx,
      );
      from = to;
    }
  });
}

/** A finished run with its snapshot: clv and P(alive) per customer. */
async function finishedRun(asOf: string, finishedAt: string, values: Array<[string, number, number | null]>) {
  const id = newId();
  const knex = t.db.knex;
  await knex('analytics_runs').insert({
    id,
    status: 'done',
    phase: 'done',
    as_of: asOf,
    time_unit: 'week',
    horizon_months: 12,
    annual_discount_rate: 0.1,
    margin: 1,
    created_at: finishedAt,
    started_at: finishedAt,
    finished_at: finishedAt,
  });
  await knex.raw(`CREATE TABLE ?? PARTITION OF customer_values FOR VALUES IN ('${id}')`, [
    `customer_values_${id.replace(/-/g, '')}`,
  ]);
  for (const [customerId, clv, pAlive] of values) {
    await knex('customer_values').insert({
      run_id: id,
      customer_id: customerId,
      purchases: 2,
      frequency: 1,
      recency: 10,
      age: 20,
      since_last_purchase: 10,
      average_amount: 40,
      total_amount: 80,
      rfm_r: 3,
      rfm_f: 3,
      rfm_m: 3,
      rfm_code: '333',
      rfm_segment: 'potential',
      value_class: 'b',
      clv_historical: 80,
      clv_current: 80,
      clv_predicted: clv,
      expected_purchases: 1,
      expected_average_amount: 40,
      churn_status: 'at_risk',
      p_alive: pAlive,
      stars: 3,
    });
  }
  return id;
}

test('at risk at the end of the run\u2019s asOf, by value at stake, unknown last, deleted left out', async () => {
  const c = async (name: string, owner?: string) =>
    (await createCustomer(t, { name, ...(owner ? { owner } : {}) })).id;
  const high = await c('High', 'a.lee');
  const low = await c('Low');
  const unknown = await c('Unknown p');
  const noValues = await c('No values');
  const recovered = await c('Recovered since');
  const later = await c('At risk only later');
  const gone = await c('Deleted');
  const endOfDay = await c('At risk 23:59');
  await history(high, [
    ['2026-03-01', 'active'],
    ['2026-07-20', 'at_risk'],
  ]);
  await history(low, [
    ['2026-03-01', 'active'],
    ['2026-07-25', 'at_risk'],
  ]);
  await history(unknown, [
    ['2026-03-01', 'active'],
    ['2026-07-02', 'at_risk'],
  ]);
  await history(noValues, [
    ['2026-03-01', 'active'],
    ['2026-07-03', 'at_risk'],
  ]);
  // At risk on asOf, active again since: listed (as of asOf), found through its history.
  await history(recovered, [
    ['2026-03-01', 'active'],
    ['2026-07-10', 'at_risk'],
    ['2026-08-10', 'active'],
  ]);
  await history(later, [
    ['2026-03-01', 'active'],
    ['2026-08-05', 'at_risk'],
  ]);
  await history(gone, [
    ['2026-03-01', 'active'],
    ['2026-07-05', 'at_risk'],
  ]);
  await history(endOfDay, [
    ['2026-03-01', 'active'],
    ['2026-07-31T23:59:59.999Z', 'at_risk'],
  ]);
  expect((await t.admin().delete(`/v1/customers/${gone}`)).status).toBe(204);
  const items = [
    {
      externalId: 'ar-1',
      customerId: high,
      orderedAt: '2026-05-01T10:00:00Z',
      amount: '40.00',
      currency: 'USD',
    },
    {
      externalId: 'ar-2',
      customerId: high,
      orderedAt: '2026-06-01T10:00:00Z',
      amount: '40.00',
      currency: 'USD',
      status: 'cancelled',
    },
  ];
  expect((await t.admin().post('/v1/orders/batch').send({ items })).status).toBe(200);

  const list = async (query = '') => (await t.admin().get(`/v1/analytics/churn?${query}`)).body;
  expect(await list()).toMatchObject({ atRiskAsOf: null, atRisk: [] });

  // An older run, finished first, whose values would order them otherwise.
  await finishedRun('2026-06-30', '2026-07-01T00:00:00Z', [
    [high, 1, 0.5],
    [low, 9999, 0.5],
  ]);
  await finishedRun('2026-07-31', '2026-08-01T00:00:00Z', [
    [high, 1000, 0.5], // 500 at stake
    [low, 400, 0.5], // 200
    [recovered, 2000, 0.75], // 500: after High by id, or before
    [endOfDay, 100, 0], // 100
    [unknown, 5000, null],
    [gone, 1e6, 0],
  ]);
  const body = await list();
  expect(body.atRiskAsOf).toBe('2026-07-31');
  const byId = [high, recovered].sort();
  expect(body.atRisk.map((r: { name: string }) => r.name)).toEqual([
    ...byId.map((id) => (id === high ? 'High' : 'Recovered since')),
    'Low',
    'At risk 23:59',
    ...[unknown, noValues].sort().map((id) => (id === unknown ? 'Unknown p' : 'No values')),
  ]);
  expect(body.atRisk.find((r: { customerId: string }) => r.customerId === high)).toEqual({
    customerId: high,
    name: 'High',
    owner: 'a.lee',
    clvPredicted: 1000,
    pAlive: 0.5,
    valueAtStake: 500,
    lastPurchaseAt: '2026-05-01T10:00:00.000Z',
    lastContactAt: null,
  });
  expect(body.atRisk.find((r: { customerId: string }) => r.customerId === unknown)).toMatchObject({
    clvPredicted: 5000,
    pAlive: null,
    valueAtStake: null,
    owner: null,
    lastPurchaseAt: null,
  });
  expect(body.atRisk.find((r: { customerId: string }) => r.customerId === noValues)).toMatchObject({
    clvPredicted: null,
    valueAtStake: null,
  });

  expect((await list('atRiskLimit=2')).atRisk).toHaveLength(2);
  const csv = await t.admin().get('/v1/analytics/churn?table=atRisk&atRiskLimit=1').set('accept', 'text/csv');
  expect(csv.text.trimEnd().split('\r\n')).toEqual([
    'customerId,name,owner,clvPredicted,pAlive,valueAtStake,lastPurchaseAt,lastContactAt',
    byId[0] === high
      ? `${high},High,a.lee,1000,0.5,500,2026-05-01T10:00:00.000Z,`
      : `${recovered},Recovered since,,2000,0.75,500,,`,
  ]);
});
