import { randomUUID } from 'node:crypto';
import { LifecycleRepository } from '../../src/modules/lifecycle/repository';
import { createCustomer } from '../helpers/customers';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * GET /v1/analytics/kpis over a scripted business: five customers with dated churn statuses,
 * orders, survey answers, complaints and follow-ups on known days. Every expected figure below
 * is counted by hand from the script for June 2026 and for the previous 30 days (May 2-31).
 */

const NOW = '2026-08-15T12:00:00Z';
let t: TestApp;
let reader: string;

type Status = 'active' | 'at_risk' | 'churned' | 'won_back';
const HISTORY: Record<string, Array<[at: string, to: Status]>> = {
  // Active at June's start, churned in June: June's one churned customer.
  A: [
    ['2026-01-10', 'active'],
    ['2026-06-10', 'churned'],
  ],
  // Active all along, at risk from June 20: June's one at-risk customer (still active).
  B: [
    ['2026-03-05', 'active'],
    ['2026-06-20', 'at_risk'],
  ],
  // Churned in May (May's churned customer), won back in June.
  C: [
    ['2026-02-01', 'active'],
    ['2026-05-15', 'churned'],
    ['2026-06-12', 'won_back'],
  ],
  // Acquired in June.
  D: [['2026-06-05', 'active']],
  // Acquired in May.
  E: [['2026-05-10', 'active']],
};

/** [day, amount, extra]: counted unless cancelled. */
const ORDERS: Record<string, Array<[string, string, Record<string, unknown>?]>> = {
  A: [
    ['2026-01-10', '100.00'],
    ['2026-06-03', '50.25'],
  ],
  B: [
    ['2026-03-05', '80.00'],
    ['2026-05-20', '19.99'],
  ],
  C: [
    ['2026-02-01', '60.00'],
    ['2026-06-12', '120.10'],
  ],
  D: [
    ['2026-06-05', '33.33'],
    ['2026-06-25', '500.00', { status: 'cancelled' }],
  ],
  E: [
    ['2026-05-10', '10.01'],
    // 10.00 EUR at 1.1: 11.00 in the reporting currency.
    ['2026-06-28', '10.00', { currency: 'EUR', fxRate: '1.1' }],
  ],
};

const ids: Record<string, string> = {};
const day = (at: string) => new Date(at.length === 10 ? `${at}T00:00:00Z` : at);

async function script() {
  for (const letter of ['A', 'B', 'C', 'D', 'E', 'F'])
    ids[letter] = (await createCustomer(t, { name: letter })).id;
  const lifecycle = new LifecycleRepository(t.db.knex);
  await t.db.knex.transaction(async (trx) => {
    for (const [letter, steps] of Object.entries(HISTORY)) {
      let from: Status | null = null;
      for (const [at, to] of steps) {
        await lifecycle.record(
          [
            {
              customerId: ids[letter]!,
              kind: 'churn_status',
              from,
              to,
              at: day(at),
              cause: 'rule',
              reason: null,
            },
          ],
          trx,
        );
        from = to;
      }
    }
  });
  let n = 0;
  const items = Object.entries(ORDERS).flatMap(([letter, orders]) =>
    orders.map(([d, amount, extra]) => ({
      externalId: `kpi-order-${++n}`,
      customerId: ids[letter],
      orderedAt: `${d}T10:00:00Z`,
      amount,
      currency: 'USD',
      ...extra,
    })),
  );
  const batch = await t.admin().post('/v1/orders/batch').send({ items });
  expect(batch.status).toBe(200);
  const knex = t.db.knex;
  const order = await knex('orders').where({ external_id: 'kpi-order-2' }).first('id');
  const orderId = order!.id as string;
  const stamp = { created_at: new Date(NOW), updated_at: new Date(NOW) };
  // June: CSAT 5, 4, 2 (mean 11/3); NPS 10, 9, 7, 3 (2 promoters, 1 detractor of 4: 25). May: CSAT 3.
  const surveys: Array<[string, 'csat' | 'nps', number]> = [
    ['2026-06-02', 'csat', 5],
    ['2026-06-15', 'csat', 4],
    ['2026-06-30T23:59:59Z', 'csat', 2],
    ['2026-06-03', 'nps', 10],
    ['2026-06-04', 'nps', 9],
    ['2026-06-05', 'nps', 7],
    ['2026-06-06', 'nps', 3],
    ['2026-05-20', 'csat', 3],
    // Outside both periods.
    ['2026-07-01', 'nps', 0],
    ['2026-05-01T23:59:59Z', 'nps', 0],
  ];
  await knex('survey_responses').insert(
    surveys.map(([at, kind, score]) => ({
      id: randomUUID(),
      customer_id: ids.A,
      kind,
      score,
      responded_at: day(at),
      order_id: orderId,
      ...stamp,
    })),
  );
  const categoryId = randomUUID();
  await knex('complaint_categories').insert({
    id: categoryId,
    name: 'kpi',
    standard_answer: 'Sorry.',
    ...stamp,
  });
  // Resolved in June after 24 h, 48 h and 6 h (median 24); one resolved in July, one open.
  const complaints: Array<[filed: string, resolved: string | null]> = [
    ['2026-06-01T00:00:00Z', '2026-06-02T00:00:00Z'],
    ['2026-05-30T12:00:00Z', '2026-06-01T12:00:00Z'],
    ['2026-06-10T00:00:00Z', '2026-06-10T06:00:00Z'],
    ['2026-06-20T00:00:00Z', '2026-07-02T00:00:00Z'],
    ['2026-06-21T00:00:00Z', null],
  ];
  await knex('complaints').insert(
    complaints.map(([filed, resolved], i) => ({
      id: randomUUID(),
      number: `KPI-${i}`,
      customer_id: ids.B,
      category_id: categoryId,
      severity: 'low',
      status: resolved ? 'resolved' : 'open',
      subject: 'late',
      standard_answer: 'Sorry.',
      filed_at: day(filed),
      resolved_at: resolved ? day(resolved) : null,
      ...stamp,
    })),
  );
  // Grace 60 minutes. June: on time (30 min late), late (61 min), open, on time (exactly 60): 2 of 3 done.
  // May: one done on time.
  const followUps: Array<[planned: string, completed: string | null]> = [
    ['2026-06-05T10:00:00Z', '2026-06-05T10:30:00Z'],
    ['2026-06-06T10:00:00Z', '2026-06-06T11:01:00Z'],
    ['2026-06-07T10:00:00Z', null],
    ['2026-06-09T10:00:00Z', '2026-06-09T11:00:00Z'],
    ['2026-05-15T10:00:00Z', '2026-05-15T10:00:00Z'],
  ];
  await knex('follow_ups').insert(
    followUps.map(([planned, completed]) => ({
      id: randomUUID(),
      customer_id: ids.C,
      owner: 'ann',
      planned_at: day(planned),
      completed_at: completed ? day(completed) : null,
      ...stamp,
    })),
  );
}

beforeAll(async () => {
  t = await createTestApp({ FOLLOW_UP_GRACE_MINUTES: '60' }, { clock: () => new Date(NOW) });
  reader = await t.keyWith('analytics:read');
  await script();
});
afterAll(async () => t.close());

const kpis = (query: string) => t.as(reader).get(`/v1/analytics/kpis?${query}`);

describe('GET /v1/analytics/kpis', () => {
  it('answers June 2026 beside May 2-31, every figure counted by hand', async () => {
    const res = await kpis('from=2026-06-01&to=2026-06-30');
    expect(res.status).toBe(200);
    const b = res.body;
    expect(b).toMatchObject({
      from: '2026-06-01',
      to: '2026-06-30',
      days: 30,
      previousFrom: '2026-05-02',
      previousTo: '2026-05-31',
      reportingCurrency: 'USD',
      graceMinutes: 60,
      clvRunAsOf: null,
    });
    const values = Object.fromEntries(
      Object.entries(b.figures as Record<string, { value: unknown; previous: { value: unknown } }>).map(
        ([name, f]) => [name, [f.value, f.previous.value]],
      ),
    );
    expect(values).toEqual({
      // At June's end A (churned), B, C, D, E have a status; at May's end A, B, C, E.
      customersTotal: [5, 4],
      // First purchases: D on June 5; E on May 10.
      newCustomers: [1, 1],
      // B, C, D, E at June's end; A, B, E at May's end.
      activeCustomers: [4, 3],
      atRiskCustomers: [1, 0],
      // A in June (of A, B, E active at its start); C in May (of A, B, C).
      churnedCustomers: [1, 1],
      wonBackCustomers: [1, 0],
      retentionRate: [0.666667, 0.666667],
      churnRate: [0.333333, 0.333333],
      // 50.25 + 120.10 + 33.33 + 11.00 (the cancelled 500 not); May 19.99 + 10.01.
      revenue: [214.68, 30],
      orders: [4, 2],
      averageOrder: [53.67, 15],
      clvTotal: [null, null],
      clvAverage: [null, null],
      csat: [3.6667, 3],
      nps: [25, null],
      complaintResolutionHours: [24, null],
      followUpsOnTime: [0.666667, 1],
    });
  });

  it('gives the change and the reason of every null', async () => {
    const { figures: f } = (await kpis('from=2026-06-01&to=2026-06-30')).body;
    expect(f.revenue).toEqual({
      value: 214.68,
      reason: null,
      previous: { value: 30, reason: null },
      change: 184.68,
      relativeChange: 6.156,
    });
    expect(f.customersTotal).toMatchObject({ change: 1, relativeChange: 0.25 });
    expect(f.atRiskCustomers).toMatchObject({ change: 1, relativeChange: null });
    expect(f.nps).toEqual({
      value: 25,
      reason: null,
      previous: { value: null, reason: 'no_nps_responses' },
      change: null,
      relativeChange: null,
    });
    expect(f.clvTotal).toMatchObject({ value: null, reason: 'no_analytics_run' });
    expect(f.complaintResolutionHours.previous).toEqual({ value: null, reason: 'no_complaints_resolved' });
  });

  it('says why rates are null when nobody was active', async () => {
    const { figures: f } = (await kpis('from=2025-01-01&to=2025-01-31')).body;
    expect(f.churnRate).toMatchObject({ value: null, reason: 'no_active_customers_at_start' });
    expect(f.retentionRate).toMatchObject({ value: null, reason: 'no_active_customers_at_start' });
    expect(f.averageOrder).toMatchObject({ value: null, reason: 'no_orders' });
    expect(f.followUpsOnTime).toMatchObject({ value: null, reason: 'no_follow_ups_done' });
    expect(f.csat).toMatchObject({ value: null, reason: 'no_csat_responses' });
    expect(f.revenue).toMatchObject({ value: 0, reason: null });
  });

  it('cuts the range at months with ?period=month, June as a range of its own', async () => {
    const res = await kpis('from=2026-05-15&to=2026-06-30&period=month');
    expect(res.status).toBe(200);
    expect(res.body.period).toBe('month');
    expect(
      res.body.series.map((s: { from: string; to: string; days: number }) => [s.from, s.to, s.days]),
    ).toEqual([
      ['2026-05-15', '2026-05-31', 17],
      ['2026-06-01', '2026-06-30', 30],
    ]);
    const june = (await kpis('from=2026-06-01&to=2026-06-30')).body;
    expect(res.body.series[1].figures).toEqual(june.figures);
    // May 15-31: C churned, B's 19.99 and no new customer (E came on May 10).
    expect(res.body.series[0].figures.churnedCustomers.value).toBe(1);
    expect(res.body.series[0].figures.revenue.value).toBe(19.99);
    expect(res.body.series[0].figures.newCustomers.value).toBe(0);
  });

  it('refuses bad parameters with problem+json', async () => {
    for (const query of [
      'from=2026-07-01&to=2026-06-01',
      'from=2020-01-01&to=2026-06-01',
      'from=2026-02-30&to=2026-03-01',
      'from=2026-13-01&to=2026-12-01',
      'from=yesterday',
      'to=2026-06-31',
      'period=week',
      'extra=1',
    ]) {
      const res = await kpis(query);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const reversed = await kpis('from=2026-07-01&to=2026-06-01');
    expect(reversed.body.code).toBe('invalid_range');
    const long = await kpis('from=2020-01-01&to=2026-06-01');
    expect(long.body).toMatchObject({
      code: 'invalid_range',
      detail: 'The range may span at most 1830 days (five years).',
    });
    // Exactly five years of days is fine.
    expect((await kpis('from=2021-06-02&to=2026-06-05')).status).toBe(200);
  });

  it('needs analytics:read', async () => {
    const other = await t.keyWith('service:read');
    expect((await t.as(other).get('/v1/analytics/kpis')).status).toBe(403);
    expect((await t.http().get('/v1/analytics/kpis')).status).toBe(401);
  });

  it('defaults to the 30 days ending today', async () => {
    const res = await kpis('');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: '2026-07-17', to: '2026-08-15', days: 30 });
  });
});
