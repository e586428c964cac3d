import { buy, runAnalytics } from '../helpers/analytics-run';
import { createCustomer } from '../helpers/customers';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The CLV figures of GET /v1/analytics/kpis after a real analytics run: the latest finished
 * run as of the range's last day, its live customers' predicted CLV summed and averaged.
 */

let t: TestApp;
let runId: string;
const ids: string[] = [];

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => new Date('2026-08-15T12:00:00Z') });
  for (const name of ['A', 'B', 'C']) ids.push((await createCustomer(t, { name })).id);
  await buy(t, ids[0]!, ['2026-01-05', '2026-03-01', '2026-05-20'], '120.00');
  await buy(t, ids[1]!, ['2026-02-10', '2026-06-01'], '80.00');
  await buy(t, ids[2]!, ['2026-04-01'], '50.00');
  runId = await runAnalytics(t, '2026-06-30');
});
afterAll(async () => t.close());

const round2 = (v: number) => Math.round(v * 100) / 100;

it('sums the predicted CLV of the live customers of the latest run as of the range end', async () => {
  // C leaves: its value no longer counts.
  expect((await t.admin().delete(`/v1/customers/${ids[2]}`)).status).toBe(204);
  const rows = await t.db
    .knex('customer_values')
    .where({ run_id: runId })
    .whereIn('customer_id', ids.slice(0, 2))
    .select('clv_predicted');
  expect(rows).toHaveLength(2);
  const total = rows.reduce((s: number, r: { clv_predicted: number }) => s + Number(r.clv_predicted), 0);

  const res = await t.admin().get('/v1/analytics/kpis?from=2026-06-01&to=2026-06-30');
  expect(res.status).toBe(200);
  expect(res.body.clvRunAsOf).toBe('2026-06-30');
  expect(res.body.figures.clvTotal).toMatchObject({ value: round2(total), reason: null });
  expect(res.body.figures.clvAverage).toMatchObject({ value: round2(total / 2), reason: null });
  // May's end knows no run yet.
  expect(res.body.previousClvRunAsOf).toBeNull();
  expect(res.body.figures.clvTotal.previous).toEqual({ value: null, reason: 'no_analytics_run' });
  // A range ending before the run's asOf does not see it.
  const before = await t.admin().get('/v1/analytics/kpis?from=2026-06-01&to=2026-06-29');
  expect(before.body.figures.clvTotal).toMatchObject({ value: null, reason: 'no_analytics_run' });
});
