import { newId } from '../../src/db/ids';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

async function waitForRun(id: string) {
  for (let i = 0; i < 300; i++) {
    const res = await t.admin().get(`/v1/analytics/runs/${id}`);
    if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('run did not finish');
}

let orderNo = 0;

/** A customer and its orders, through the public API. */
async function customerWithOrders(name: string, orders: Array<[string, string, string?]>) {
  const res = await t.admin().post('/v1/customers').send({ name });
  const items = orders.map(([date, amount, status]) => ({
    externalId: `order-${++orderNo}`,
    customerId: res.body.id,
    orderedAt: `${date}T10:00:00Z`,
    amount,
    currency: 'USD',
    status: status ?? 'shipped',
  }));
  const batch = await t.admin().post('/v1/orders/batch').send({ items });
  expect(batch.status).toBe(200);
  return res.body.id as string;
}

test('bad run parameters are 400 and start nothing', async () => {
  for (const body of [
    { timeUnit: 'year' },
    { margin: 2 },
    { horizonMonths: 0 },
    { asOf: '2026-13-01' },
    { foo: 1 },
  ]) {
    const res = await t.admin().post('/v1/analytics/runs').send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  }
  expect((await t.admin().get('/v1/analytics/models/clv')).status).toBe(404);
});

test('a base without purchases runs to done: no models, no value cards, empty segments', async () => {
  const empty = await waitForRun(
    (await t.admin().post('/v1/analytics/runs').send({ asOf: '2026-06-30' })).body.id,
  );
  expect(empty).toMatchObject({ status: 'done', progress: { customersDone: 0, customersTotal: 0 } });
  // A customer who never bought is counted but has no value card.
  const lead = (await t.admin().post('/v1/customers').send({ name: 'Lead Only' })).body.id as string;
  const run = await waitForRun(
    (await t.admin().post('/v1/analytics/runs').send({ asOf: '2026-06-30' })).body.id,
  );
  expect(run).toMatchObject({ status: 'done', progress: { customersDone: 1, customersTotal: 1 } });
  const models = (await t.admin().get('/v1/analytics/models/clv')).body;
  expect(models).toMatchObject({ runId: run.id, bgnbd: null, gammaGamma: null });
  expect((await t.admin().get('/v1/analytics/values')).body.data).toEqual([]);
  const segments = (await t.admin().get('/v1/analytics/segments')).body;
  expect(segments.pareto).toMatchObject({ customers: 0, topCount: 0, topShare: 0 });
  expect((await t.admin().get(`/v1/customers/${lead}/value`)).status).toBe(404);
  await t.admin().delete(`/v1/customers/${lead}`);
});

test('a base of one-time buyers runs to done without models; predictions fall back, never NaN', async () => {
  await customerWithOrders('Once A', [['2026-01-05', '10.00']]);
  await customerWithOrders('Once B', [['2026-02-05', '20.00']]);
  const started = await t.admin().post('/v1/analytics/runs').send({ asOf: '2026-06-30' });
  const run = await waitForRun(started.body.id);
  expect(run).toMatchObject({ status: 'done', error: null });
  const models = (await t.admin().get('/v1/analytics/models/clv')).body;
  expect(models.bgnbd).toBeNull();
  expect(models.gammaGamma).toBeNull();
  expect(models.notes.join(' ')).toMatch(/insufficient_data/);
  const values = (await t.admin().get('/v1/analytics/values')).body.data;
  expect(values).toHaveLength(2);
  for (const card of values) {
    expect(Number.isFinite(card.clv.predicted)).toBe(true);
    expect(card.valueClass).toBe('new');
  }
});

test('cancelled and returned orders leave the figures; customers list filters and sorts by value', async () => {
  const loyal = await customerWithOrders('Loyal', [
    ['2026-01-01', '100.00'],
    ['2026-02-01', '100.00'],
    ['2026-03-01', '100.00'],
    ['2026-03-15', '999.00', 'cancelled'],
  ]);
  await customerWithOrders('Lapsed', [
    ['2025-01-01', '10.00'],
    ['2025-01-20', '10.00'],
  ]);
  await customerWithOrders('Returner', [
    ['2026-04-01', '50.00'],
    ['2026-04-20', '50.00', 'returned'],
  ]);
  const started = await t.admin().post('/v1/analytics/runs').send({ asOf: '2026-06-30', timeUnit: 'week' });
  expect(await waitForRun(started.body.id)).toMatchObject({ status: 'done', error: null });
  const card = (await t.admin().get(`/v1/customers/${loyal}/value`)).body;
  expect(card.summary.purchases).toBe(3);
  expect(card.summary.totalAmount).toBe(300);
  // Nothing paid: the whole 300.00 is outstanding (the cancelled order is not owed).
  expect(card.credit).toEqual({
    score: expect.any(Number),
    grade: expect.stringMatching(/^[A-E]$/),
    outstanding: '300.00',
  });
  expect(card.runId).toBe(started.body.id);
  const noValue = await t.admin().post('/v1/customers').send({ name: 'No orders' });
  const res = await t.admin().get(`/v1/customers/${noValue.body.id}/value`);
  expect(res.status).toBe(404);
  expect(res.body.code).toBe('customer_not_valued');
});

/** A run caught mid-way, as the process of the given instance key left it in the table. */
async function insertRunningRun(ownerInstance: number): Promise<string> {
  const id = newId();
  await t.db.knex('analytics_runs').insert({
    id,
    status: 'running',
    phase: 'fitting',
    as_of: '2026-06-30',
    time_unit: 'day',
    horizon_months: 12,
    annual_discount_rate: 0.1,
    margin: 1,
    created_at: new Date(),
    owner_instance: ownerInstance,
  });
  return id;
}

test('one run at a time: a request while another run is queued or running is 409', async () => {
  // A run of another process, caught mid-way: deterministic, unlike racing two requests.
  // A live instance's run (this process's own lease): it must be waited for.
  const busy = await insertRunningRun(await t.db.lease.key());
  const res = await t.admin().post('/v1/analytics/runs').send({});
  expect(res.status).toBe(409);
  expect(res.body.code).toBe('analytics_run_in_progress');
  await t.db.knex('analytics_runs').where({ id: busy }).update({ status: 'failed', phase: 'failed' });
  const next = await t.admin().post('/v1/analytics/runs').send({ asOf: '2026-06-30' });
  expect(next.status).toBe(202);
  expect(await waitForRun(next.body.id)).toMatchObject({ status: 'done' });
});

test('customer lists filter and sort by the latest run: value class, RFM segment, CLV and P(alive)', async () => {
  const listed = (await t.admin().get('/v1/customers?sort=-clv&limit=500')).body.data as Array<{
    id: string;
    value: { clv: number; valueClass: string; rfmSegment: string; pAlive: number | null } | null;
  }>;
  // Customers without a value (no purchase) are not dropped from a value ranking: they come
  // after every valued one, in either direction.
  const everyone = (await t.admin().get('/v1/customers?limit=500')).body.data as Array<{ id: string }>;
  expect(listed.length).toBe(everyone.length);
  const firstUnvalued = listed.findIndex((c) => c.value === null);
  expect(firstUnvalued).toBeGreaterThan(2);
  expect(listed.slice(firstUnvalued).every((c) => c.value === null)).toBe(true);
  const all = listed.slice(0, firstUnvalued);
  const clvs = all.map((c) => c.value!.clv);
  expect(clvs).toEqual([...clvs].sort((a, b) => b - a));
  const ascending = (await t.admin().get('/v1/customers?sort=clv&limit=500')).body.data as typeof listed;
  expect(ascending.map((c) => c.value?.clv ?? null)).toEqual([
    ...[...clvs].reverse(),
    ...listed.slice(firstUnvalued).map(() => null),
  ]);

  const first = all[0]!;
  const byClass = (await t.admin().get(`/v1/customers?valueClass=${first.value!.valueClass}&limit=500`)).body
    .data;
  expect(byClass.map((c: { id: string }) => c.id)).toContain(first.id);
  expect(
    byClass.every((c: { value: { valueClass: string } }) => c.value.valueClass === first.value!.valueClass),
  ).toBe(true);
  const bySegment = (await t.admin().get(`/v1/customers?rfmSegment=${first.value!.rfmSegment}`)).body.data;
  expect(bySegment.map((c: { id: string }) => c.id)).toContain(first.id);
  const rich = (await t.admin().get(`/v1/customers?clvMin=${first.value!.clv}`)).body.data;
  expect(rich.map((c: { id: string }) => c.id)).toEqual([first.id]);

  // Paging through a value sort visits every customer once, the unvalued ones last.
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: { data: Array<{ id: string }>; nextCursor: string | null } } = await t
      .admin()
      .get(`/v1/customers?sort=-clv&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...res.body.data.map((c) => c.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  expect(seen).toEqual(listed.map((c) => c.id));
  expect((await t.admin().get('/v1/customers?valueClass=diamond')).status).toBe(400);
});

test('a run left by a process that died is failed when the next run is asked for, not waited on', async () => {
  // An instance key nobody holds: its process is gone (kill -9, a lost machine).
  const orphan = await insertRunningRun(2_000_000_001);
  const next = await t.admin().post('/v1/analytics/runs').send({ asOf: '2026-06-30' });
  expect(next.status).toBe(202);
  expect(await waitForRun(next.body.id)).toMatchObject({ status: 'done' });
  const left = (await t.admin().get(`/v1/analytics/runs/${orphan}`)).body;
  expect(left).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
});

test('a failed run leaves the previous snapshot in place', async () => {
  const before = (await t.admin().get('/v1/analytics/models/clv')).body.runId as string;
  const card = (await t.admin().get('/v1/analytics/values?limit=1')).body.data[0];
  // Make the last step fail the way a real fault would: the database refuses the publishing
  // transaction (marking the run done) after the snapshot is written, indexed and attached.
  await t.db.knex.raw(
    "CREATE FUNCTION refuse_snapshot() RETURNS trigger AS $$ BEGIN IF NEW.status = 'done' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
  );
  await t.db.knex.raw(
    'CREATE TRIGGER refuse_snapshot BEFORE UPDATE ON analytics_runs FOR EACH ROW EXECUTE FUNCTION refuse_snapshot()',
  );
  try {
    const started = await t.admin().post('/v1/analytics/runs').send({ asOf: '2026-07-31' });
    const run = await waitForRun(started.body.id);
    expect(run).toMatchObject({ status: 'failed', error: { code: 'internal_error' } });
  } finally {
    await t.db.knex.raw('DROP TRIGGER refuse_snapshot ON analytics_runs');
    await t.db.knex.raw('DROP FUNCTION refuse_snapshot()');
  }
  expect((await t.admin().get('/v1/analytics/models/clv')).body.runId).toBe(before);
  // The failed run's snapshot table is gone; the current run's is the only one left.
  const tables = await t.db.knex.raw(
    "SELECT relname FROM pg_class WHERE relname ~ '^customer_values_[0-9a-f]{32}$' AND relnamespace = current_schema()::regnamespace",
  );
  const current = `customer_values_${before.replace(/-/g, '')}`;
  expect(tables.rows.map((r: { relname: string }) => r.relname)).toEqual([current]);
  // Attached with the indexes built for it: none was built twice.
  const indexes = await t.db.knex.raw('SELECT indexname FROM pg_indexes WHERE tablename = ? ORDER BY 1', [
    current,
  ]);
  expect(indexes.rows.map((r: { indexname: string }) => r.indexname.slice(current.length))).toEqual([
    '_class',
    '_clv',
    '_p_alive',
    '_pkey',
    '_segment',
  ]);
  const again = (await t.admin().get(`/v1/customers/${card.customerId}/value`)).body;
  expect(again.runId).toBe(before);
  expect(again.clv).toEqual(card.clv);
});
