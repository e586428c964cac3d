import { periodsBetween, type PeriodUnit } from '../../src/domain/lifecycle/periods';
import { LifecycleRepository } from '../../src/modules/lifecycle/repository';
import { createCustomer } from '../helpers/customers';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * The churn report (docs/lifecycle.md) over a history written with the lifecycle repository on
 * known days: exact figures worked out by hand for months, and for every period length a
 * recount customer by customer and period by period from the same history.
 */

const NOW = '2026-08-15T12:00:00Z';
let t: TestApp;

type Status = 'active' | 'at_risk' | 'churned' | 'won_back' | null;
type Step = [at: string, to: Status, reason?: string];

/** Each customer's churn history: the letters of the figures worked out in the tests. */
const HISTORY: Record<string, Step[]> = {
  A: [
    ['2026-01-10', 'active'],
    ['2026-04-20', 'churned'],
    ['2026-06-05', 'won_back'],
  ],
  B: [
    ['2026-03-05', 'active'],
    ['2026-05-01', 'at_risk'],
    ['2026-05-20', 'active'],
  ],
  C: [
    ['2026-02-01', 'active'],
    ['2026-03-31T23:59:59.999Z', 'churned'],
  ],
  // Acquired, churned and won back inside April: only "new" there.
  D: [
    ['2026-04-03', 'active'],
    ['2026-04-25', 'churned'],
    ['2026-04-28', 'won_back'],
  ],
  // Acquired and churned inside May: in neither figure, but churned at June's start.
  E: [
    ['2026-05-10', 'active'],
    ['2026-05-30T15:00:00Z', 'churned', 'price'],
  ],
  F: [
    ['2025-12-01', 'active'],
    ['2026-01-15', 'churned'],
    ['2026-07-01T00:00:00Z', 'won_back'],
  ],
  // Its purchases gone: no status any more, which counts as churned for the period.
  G: [
    ['2026-06-10', 'active'],
    ['2026-07-15', null],
  ],
  // Churned and won back inside June: neither.
  H: [
    ['2026-02-10', 'active'],
    ['2026-06-15', 'churned', 'service'],
    ['2026-06-20', 'won_back'],
  ],
  // Churned at the very first instant of April: April's, not March's.
  I: [
    ['2026-02-02', 'active'],
    ['2026-04-01T00:00:00Z', 'churned'],
  ],
};

/** Counted orders (and one cancelled, which makes no cohort) for the cohort matrix. */
const ORDERS: Record<string, Array<[day: string, status?: string]>> = {
  A: [['2026-01-10']],
  B: [['2026-03-05'], ['2026-05-20']],
  C: [['2026-02-01']],
  D: [['2026-04-03'], ['2026-04-28'], ['2026-04-29']],
  E: [['2026-05-10']],
  G: [['2026-03-01', 'cancelled'], ['2026-06-10']],
  H: [['2026-02-10'], ['2026-06-20']],
  I: [['2026-02-02']],
};

const ids: Record<string, string> = {};
const instant = (at: string) => new Date(at.length === 10 ? `${at}T00:00:00Z` : at);

beforeAll(async () => {
  t = await createTestApp({}, { clock: () => new Date(NOW) });
  for (const letter of Object.keys(HISTORY)) ids[letter] = (await createCustomer(t, { name: letter })).id;
  const lifecycle = new LifecycleRepository(t.db.knex);
  await t.db.knex.transaction(async (trx) => {
    for (const [letter, steps] of Object.entries(HISTORY)) {
      let from: Status = null;
      for (const [at, to, reason] of steps) {
        await lifecycle.record(
          [
            {
              customerId: ids[letter]!,
              kind: 'churn_status',
              from,
              to,
              at: instant(at),
              cause: reason ? 'manual' : to === 'won_back' ? 'purchase' : 'rule',
              reason: reason ?? null,
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
    orders.map(([day, status]) => ({
      externalId: `report-order-${++n}`,
      customerId: ids[letter],
      orderedAt: `${day}T10:00:00Z`,
      amount: '40.00',
      currency: 'USD',
      ...(status ? { status } : {}),
    })),
  );
  const batch = await t.admin().post('/v1/orders/batch').send({ items });
  expect(batch.status).toBe(200);
});
afterAll(async () => t.close());

/** The status of a customer at an instant by its history: its latest step before it. */
function statusAt(letter: string, at: Date): Status | 'none' {
  let status: Status | 'none' = 'none';
  for (const [when, to] of HISTORY[letter]!) if (instant(when) < at) status = to;
  return status;
}
const classOf = (s: Status | 'none') =>
  s === 'none' || s === null ? 'none' : s === 'churned' ? 'churned' : 'active';

/** The report's period figures recounted customer by customer, as docs/lifecycle.md defines them. */
function recount(unit: PeriodUnit, from: string, to: string) {
  return periodsBetween(unit, instant(from), instant(to)).map((p) => {
    const f = { activeAtStart: 0, new: 0, churned: 0, wonBack: 0, activeAtEnd: 0, churnedAtStart: 0 };
    for (const letter of Object.keys(HISTORY)) {
      const s = classOf(statusAt(letter, p.start));
      const e = classOf(statusAt(letter, p.stop));
      if (s === 'active') f.activeAtStart++;
      if (s === 'churned') f.churnedAtStart++;
      if (e === 'active') f.activeAtEnd++;
      if (s === 'none' && e === 'active') f.new++;
      if (s === 'churned' && e === 'active') f.wonBack++;
      if (s === 'active' && e !== 'active') f.churned++;
    }
    return { period: p.label, ...f };
  });
}

const report = async (query: string) => {
  const res = await t.admin().get(`/v1/analytics/churn?${query}`);
  expect([res.status, res.body.code]).toEqual([200, undefined]);
  return res.body;
};

test('monthly figures, worked out by hand', async () => {
  const body = await report('from=2026-03&to=2026-07');
  expect(body).toMatchObject({
    period: 'month',
    from: '2026-03',
    to: '2026-07',
    start: '2026-03-01',
    end: '2026-07-31',
  });
  const row = (
    p: string,
    s: number,
    n: number,
    c: number,
    w: number,
    e: number,
    cs: number,
    cr: number | null,
    wr: number | null,
  ) => ({
    period: p,
    activeAtStart: s,
    new: n,
    churned: c,
    wonBack: w,
    activeAtEnd: e,
    churnedAtStart: cs,
    churnRate: cr,
    winBackRate: wr,
  });
  expect(body.periods).toEqual([
    { ...row('2026-03', 4, 1, 1, 0, 4, 1, 0.25, 0), start: '2026-03-01', end: '2026-03-31' },
    { ...row('2026-04', 4, 1, 2, 0, 3, 2, 0.5, 0), start: '2026-04-01', end: '2026-04-30' },
    { ...row('2026-05', 3, 0, 0, 0, 3, 4, 0, 0), start: '2026-05-01', end: '2026-05-31' },
    { ...row('2026-06', 3, 1, 0, 1, 5, 5, 0, 0.2), start: '2026-06-01', end: '2026-06-30' },
    { ...row('2026-07', 5, 0, 1, 1, 5, 4, 0.2, 0.25), start: '2026-07-01', end: '2026-07-31' },
  ]);
  // Churn in the range by reason: C, I, A and D by the rules, E and H by hand.
  expect(body.byReason).toEqual([
    { reason: 'unstated', customers: 4, share: 4 / 6 },
    { reason: 'price', customers: 1, share: 1 / 6 },
    { reason: 'service', customers: 1, share: 1 / 6 },
  ]);
});

test.each([
  ['month', '2025-11-01', '2026-08-15'],
  ['week', '2026-01-01', '2026-08-15'],
  ['quarter', '2025-07-01', '2026-08-15'],
])('%s figures match a recount, add up, and the rate stays within 1', async (unit, from, to) => {
  const body = await report(`period=${unit}&from=${from}&to=${to}`);
  const expected = recount(unit as PeriodUnit, from, to);
  expect(
    body.periods.map((p: Record<string, unknown>) => ({
      ...p,
      start: undefined,
      end: undefined,
      churnRate: undefined,
      winBackRate: undefined,
    })),
  ).toEqual(
    expected.map((p) => ({
      ...p,
      start: undefined,
      end: undefined,
      churnRate: undefined,
      winBackRate: undefined,
    })),
  );
  let previousEnd: number | undefined;
  for (const p of body.periods) {
    expect(p.activeAtEnd).toBe(p.activeAtStart + p.new + p.wonBack - p.churned);
    if (previousEnd !== undefined) expect(p.activeAtStart).toBe(previousEnd);
    previousEnd = p.activeAtEnd;
    expect(p.churnRate).toBe(p.activeAtStart > 0 ? p.churned / p.activeAtStart : null);
    if (p.churnRate !== null) expect(p.churnRate).toBeLessThanOrEqual(1);
    expect(p.winBackRate).toBe(p.churnedAtStart > 0 ? p.wonBack / p.churnedAtStart : null);
  }
  // Something happens in the range: the recount is not all zeros.
  expect(expected.some((p) => p.churned > 0 && p.new > 0)).toBe(true);
});

test('weeks are ISO weeks from Monday, quarters calendar quarters; a later `to` is clipped', async () => {
  const weeks = await report('period=week&from=2026-03-25&to=2026-04-12');
  expect(
    weeks.periods.map((p: { period: string; start: string; end: string }) => [p.period, p.start, p.end]),
  ).toEqual([
    ['2026-W13', '2026-03-23', '2026-03-29'],
    ['2026-W14', '2026-03-30', '2026-04-05'],
    ['2026-W15', '2026-04-06', '2026-04-12'],
  ]);
  // W14: C (31 March) and I (1 April, 00:00) churned, D acquired.
  expect(weeks.periods[1]).toMatchObject({
    activeAtStart: 5,
    new: 1,
    churned: 2,
    wonBack: 0,
    activeAtEnd: 4,
  });

  const quarters = await report('period=quarter&from=2026-01-01&to=2027-06-30');
  expect(quarters).toMatchObject({ from: '2026-Q1', to: '2026-Q3', end: '2026-09-30' });
  expect(
    quarters.periods.map((p: { period: string; start: string; end: string }) => [p.period, p.start, p.end]),
  ).toEqual([
    ['2026-Q1', '2026-01-01', '2026-03-31'],
    ['2026-Q2', '2026-04-01', '2026-06-30'],
    ['2026-Q3', '2026-07-01', '2026-09-30'],
  ]);
  expect(quarters.periods[0]).toMatchObject({
    activeAtStart: 1,
    new: 4,
    churned: 1,
    wonBack: 0,
    activeAtEnd: 4,
  });
  // F's win-back at 1 July 00:00 belongs to Q3.
  expect(quarters.periods[1]).toMatchObject({
    activeAtStart: 4,
    new: 2,
    churned: 1,
    wonBack: 0,
    activeAtEnd: 5,
  });
  expect(quarters.periods[2]).toMatchObject({
    activeAtStart: 5,
    new: 0,
    churned: 1,
    wonBack: 1,
    activeAtEnd: 5,
  });

  const clipped = await report('from=2026-07&to=2030-01');
  expect(clipped.periods.map((p: { period: string }) => p.period)).toEqual(['2026-07', '2026-08']);

  // Default: the 12 months ending with the current one.
  const byDefault = await report('');
  expect(byDefault).toMatchObject({ period: 'month', from: '2025-09', to: '2026-08' });
  expect(byDefault.periods).toHaveLength(12);
  const defaultWeeks = await report('period=week');
  expect(defaultWeeks).toMatchObject({ from: '2026-W22', to: '2026-W33' });
});

/** The cohort matrix recounted: cohort = month of the first counted order, in the range. */
function cohortRecount(basis: 'status' | 'purchase', from: string, to: string) {
  const periods = periodsBetween('month', instant(from), instant(to));
  const indexOf = (day: string) => periods.findIndex((p) => p.start <= instant(day) && instant(day) < p.stop);
  const cohorts = new Map<number, string[]>();
  for (const [letter, orders] of Object.entries(ORDERS)) {
    const counted = orders
      .filter(([, status]) => !status)
      .map(([day]) => day)
      .sort();
    const i = counted.length > 0 ? indexOf(counted[0]!) : -1;
    if (i >= 0) cohorts.set(i, [...(cohorts.get(i) ?? []), letter]);
  }
  return [...cohorts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([i, members]) => ({
      cohort: periods[i]!.label,
      start: periods[i]!.start.toISOString().slice(0, 10),
      customers: members.length,
      retention: periods.slice(i).map((p, k) => {
        const hits = members.filter((letter) =>
          basis === 'status'
            ? classOf(statusAt(letter, p.stop)) !== 'churned'
            : ORDERS[letter]!.some(([day, status]) => !status && indexOf(day) === i + k),
        );
        return hits.length / members.length;
      }),
    }));
}

test('the cohort matrix, by status and by purchase, against a recount', async () => {
  const byStatus = await report('from=2026-03&to=2026-07');
  expect(byStatus.cohortBasis).toBe('status');
  expect(byStatus.cohorts).toEqual(cohortRecount('status', '2026-03-01', '2026-07-31'));
  // By hand: B (March) never churned, D (April) was won back within April, E (May) churned in
  // May, G (June; its cancelled March order makes no March cohort) lost its status in July.
  expect(byStatus.cohorts).toEqual([
    { cohort: '2026-03', start: '2026-03-01', customers: 1, retention: [1, 1, 1, 1, 1] },
    { cohort: '2026-04', start: '2026-04-01', customers: 1, retention: [1, 1, 1, 1] },
    { cohort: '2026-05', start: '2026-05-01', customers: 1, retention: [0, 0, 0] },
    { cohort: '2026-06', start: '2026-06-01', customers: 1, retention: [1, 1] },
  ]);
  const byPurchase = await report('from=2026-03&to=2026-07&cohortBasis=purchase');
  expect(byPurchase.cohortBasis).toBe('purchase');
  expect(byPurchase.cohorts).toEqual(cohortRecount('purchase', '2026-03-01', '2026-07-31'));
  expect(byPurchase.cohorts[0]).toEqual({
    cohort: '2026-03',
    start: '2026-03-01',
    customers: 1,
    retention: [1, 0, 1, 0, 0],
  });
  // A wider range brings the February cohort (C, H, I) in.
  const wider = await report('from=2026-02&to=2026-07');
  expect(wider.cohorts).toEqual(cohortRecount('status', '2026-02-01', '2026-07-31'));
  expect(wider.cohorts[0]).toMatchObject({
    cohort: '2026-02',
    customers: 3,
    retention: [1, 2 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3],
  });
});

test('each table as CSV', async () => {
  const csv = async (query: string) => {
    const res = await t.admin().get(`/v1/analytics/churn?${query}`).set('accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    return res.text.trimEnd().split('\r\n');
  };
  expect(await csv('from=2026-03&to=2026-04')).toEqual([
    'period,start,end,activeAtStart,new,churned,wonBack,activeAtEnd,churnedAtStart,churnRate,winBackRate',
    '2026-03,2026-03-01,2026-03-31,4,1,1,0,4,1,0.25,0',
    '2026-04,2026-04-01,2026-04-30,4,1,2,0,3,2,0.5,0',
  ]);
  expect(await csv('from=2026-05&to=2026-06&table=reasons')).toEqual([
    'reason,customers,share',
    'price,1,0.5',
    'service,1,0.5',
  ]);
  expect(await csv('from=2026-05&to=2026-06&table=cohorts&cohortBasis=purchase')).toEqual([
    'cohort,start,customers,k,share',
    '2026-05,2026-05-01,1,0,1',
    '2026-05,2026-05-01,1,1,0',
    '2026-06,2026-06-01,1,0,1',
  ]);
  // No finished run: the at-risk table is only its header.
  expect(await csv('table=atRisk')).toEqual([
    'customerId,name,owner,clvPredicted,pAlive,valueAtStake,lastPurchaseAt,lastContactAt',
  ]);
  // A null rate is an empty cell: nobody was active or churned before the history began.
  expect((await csv('from=2025-10&to=2025-10'))[1]).toBe('2025-10,2025-10-01,2025-10-31,0,0,0,0,0,0,,');
});

test('bad ranges and parameters are refused', async () => {
  const problem = async (query: string, status = 400) => {
    const res = await t.admin().get(`/v1/analytics/churn?${query}`);
    expect([query, res.status]).toEqual([query, status]);
    return res.body;
  };
  expect((await problem('from=2026-05&to=2026-01')).code).toBe('invalid_range');
  // Days in one month, but reversed.
  expect((await problem('from=2026-05-10&to=2026-05-09')).code).toBe('invalid_range');
  const future = await problem('from=2027-01-01');
  expect([future.code, future.detail]).toEqual(['invalid_range', '`from` lies after the current period.']);
  const tooMany = await problem('from=2023-01&to=2026-01');
  expect(tooMany.code).toBe('invalid_range');
  expect(tooMany.detail).toContain('36');
  expect((await problem('period=week&from=2023-08-01&to=2026-08-01')).code).toBe('invalid_range');
  expect((await problem('period=quarter&from=2023-01-01&to=2026-08-01')).code).toBe('invalid_range');
  // At the caps themselves: answered.
  expect((await report('from=2023-09&to=2026-08')).periods).toHaveLength(36);
  expect((await report('period=week&from=2023-08-21&to=2026-08-15')).periods).toHaveLength(156);
  expect((await report('period=quarter&from=2023-10-01&to=2026-08-15')).periods).toHaveLength(12);
  for (const query of [
    'from=2026-13',
    'from=2026-02-30',
    'to=2026-1',
    'period=day',
    'cohortBasis=value',
    'table=all',
    'atRiskLimit=0',
    'atRiskLimit=501',
    'foo=1',
  ])
    expect((await problem(query)).code).toBe('validation_failed');
});
