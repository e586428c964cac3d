import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);
const clock = testClock('2026-11-20T00:00:00.000Z');
let t: TestApp;
let acme: { id: string };
let beta: { id: string };
let gamma: { id: string };
let contactId: string;
let otherContactId: string;

beforeAll(async () => {
  t = await createTestApp({ FOLLOW_UP_GRACE_MINUTES: '1440' }, { clock });
  acme = await createCustomer(t, { kind: 'organization', name: 'Acme Tea' });
  beta = await createCustomer(t, { kind: 'organization', name: 'Beta Tea' });
  gamma = await createCustomer(t, { name: 'Gamma' });
  contactId = (await t.admin().post(`/v1/customers/${acme.id}/contacts`).send({ name: 'Grace' })).body.id;
  otherContactId = (await t.admin().post(`/v1/customers/${beta.id}/contacts`).send({ name: 'Ada' })).body.id;
});
afterAll(async () => t.close());

const plan = async (body: Record<string, unknown>) => {
  const res = await t.admin().post('/v1/follow-ups').send(body);
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  return res.body as { id: string; version: number };
};
const complete = (id: string, body: Record<string, unknown>) =>
  t
    .admin()
    .post(`/v1/follow-ups/${id}/complete`)
    .send({ content: 'Visited', outcome: 'Fine', ...body });

test('plan, read, re-plan with If-Match, complete once with the next planned, delete', async () => {
  const planned = await plan({
    customerId: acme.id,
    contactId,
    owner: 'wang',
    plannedAt: '2026-11-21T09:00:00Z',
    purpose: 'Demo',
  });
  const read = await t.admin().get(`/v1/follow-ups/${planned.id}`);
  expect(read.headers.etag).toBe('"v1"');
  expect(read.body).toEqual(
    expect.objectContaining({ status: 'open', overdue: false, doneOnTime: null, contactId, owner: 'wang' }),
  );
  expectProblem(
    await t.admin().patch(`/v1/follow-ups/${planned.id}`).set('if-match', '"v5"').send({ owner: 'li' }),
    412,
  );
  const moved = await t
    .admin()
    .patch(`/v1/follow-ups/${planned.id}`)
    .set('if-match', '"v1"')
    .send({ plannedAt: '2026-11-19T09:00:00Z' });
  expect(moved.body).toEqual(expect.objectContaining({ version: 2, overdue: true }));

  const done = await complete(planned.id, {
    completedAt: '2026-11-20T10:00:00Z',
    next: { plannedAt: '2026-12-05T09:00:00Z', purpose: 'Bring the quote' },
  });
  expect(done.status).toBe(200);
  expect(done.headers.etag).toBe('"v3"');
  expect(done.body.followUp).toEqual(
    expect.objectContaining({
      status: 'done',
      overdue: false,
      completedAt: '2026-11-20T10:00:00.000Z',
      content: 'Visited',
      outcome: 'Fine',
      // 25 hours after the plan: past the one-day grace
      doneOnTime: false,
      nextId: done.body.next.id,
    }),
  );
  expect(done.body.next).toEqual(
    expect.objectContaining({
      status: 'open',
      owner: 'wang',
      contactId,
      customerId: acme.id,
      plannedAt: '2026-12-05T09:00:00.000Z',
      purpose: 'Bring the quote',
      previousId: planned.id,
    }),
  );
  expectProblem(await complete(planned.id, {}), 409, 'follow_up_completed');
  const events = (await t.admin().get(`/v1/events?customerId=${acme.id}&limit=1000`)).body.data
    .filter((e: { type: string }) => e.type.startsWith('follow_up.'))
    .map((e: { type: string }) => e.type);
  expect(events).toEqual([
    'follow_up.created',
    'follow_up.updated',
    'follow_up.completed',
    'follow_up.created',
  ]);
  expect((await t.admin().delete(`/v1/follow-ups/${done.body.next.id}`)).status).toBe(204);
  expect((await t.admin().get(`/v1/follow-ups/${planned.id}`)).body.nextId).toBeNull();
  expectProblem(await t.admin().get(`/v1/follow-ups/${done.body.next.id}`), 404, 'follow_up_not_found');
});

test('bad input is refused and writes nothing', async () => {
  const count = async () => Number((await t.db.knex('follow_ups').count('* as n'))[0]!.n);
  const before = await count();
  const base = { customerId: acme.id, owner: 'wang', plannedAt: '2026-11-21T09:00:00Z' };
  expectProblem(
    await t
      .admin()
      .post('/v1/follow-ups')
      .send({ ...base, customerId: '0192f3c4-0000-7000-8000-000000000000' }),
    422,
    'customer_not_found',
  );
  expectProblem(
    await t
      .admin()
      .post('/v1/follow-ups')
      .send({ ...base, contactId: otherContactId }),
    422,
    'contact_not_of_customer',
  );
  expectProblem(
    await t
      .admin()
      .post('/v1/follow-ups')
      .send({ ...base, owner: '' }),
    400,
    'validation_failed',
  );
  expectProblem(
    await t
      .admin()
      .post('/v1/follow-ups')
      .send({ ...base, plannedAt: 'tomorrow' }),
    400,
  );
  expect(await count()).toBe(before);
  const open = await plan(base);
  expectProblem(await complete(open.id, { completedAt: '2027-03-01T00:00:00Z' }), 422, 'date_in_future');
  const wrongNext = expectProblem(
    await complete(open.id, { next: { plannedAt: '2026-12-01T00:00:00Z', contactId: otherContactId } }),
    422,
    'contact_not_of_customer',
  );
  expect(wrongNext.errors?.[0]?.path).toBe('body/next/contactId');
  expectProblem(await t.admin().post(`/v1/follow-ups/${open.id}/complete`).send({ content: 'x' }), 400);
  expect((await t.admin().get(`/v1/follow-ups/${open.id}`)).body.status).toBe('open');
  expect(await count()).toBe(before + 1);
  expectProblem(await t.admin().get('/v1/follow-ups?from=2026-12-01&to=2026-11-01'), 400, 'invalid_range');
  expectProblem(await t.admin().get('/v1/analytics/follow-ups?from=2026-13-01'), 400, 'validation_failed');
  const reader = await t.keyWith('service:read');
  expectProblem(await t.as(reader).post('/v1/follow-ups').send(base), 403, 'forbidden');
  expect((await t.as(reader).get('/v1/analytics/follow-ups')).status).toBe(200);
  await t.db.knex('follow_ups').delete();
});

test('a service day: overdue per owner and the on-time rates computed by hand', async () => {
  // November, clock at 2026-11-20T00:00Z, grace one day.
  const w1 = await plan({ customerId: acme.id, owner: 'wang', plannedAt: '2026-11-02T09:00:00Z' });
  const w2 = await plan({ customerId: acme.id, owner: 'wang', plannedAt: '2026-11-03T09:00:00Z' });
  const w3 = await plan({ customerId: beta.id, owner: 'wang', plannedAt: '2026-11-04T09:00:00Z' });
  const w4 = await plan({ customerId: beta.id, owner: 'wang', plannedAt: '2026-11-05T09:00:00Z' });
  const l1 = await plan({ customerId: gamma.id, owner: 'li', plannedAt: '2026-11-10T09:00:00Z' });
  const l2 = await plan({ customerId: gamma.id, owner: 'li', plannedAt: '2026-11-25T09:00:00Z' });
  // Outside the range: planned in October.
  const old = await plan({ customerId: gamma.id, owner: 'li', plannedAt: '2026-10-30T09:00:00Z' });
  await complete(w1.id, { completedAt: '2026-11-02T10:00:00Z' }); // on time
  await complete(w2.id, { completedAt: '2026-11-04T09:00:00Z' }); // exactly at the grace: on time
  await complete(w3.id, { completedAt: '2026-11-06T09:00:00Z' }); // two days late
  await complete(l1.id, { completedAt: '2026-11-15T09:00:00Z' }); // five days late
  await complete(old.id, { completedAt: '2026-11-01T09:00:00Z' });

  const report = await t.admin().get('/v1/analytics/follow-ups?from=2026-11-01&to=2026-11-30');
  expect(report.status).toBe(200);
  expect(report.body).toEqual({
    from: '2026-11-01',
    to: '2026-11-30',
    asOf: '2026-11-20T00:00:00.000Z',
    graceMinutes: 1440,
    owners: [
      { owner: 'li', planned: 2, done: 1, doneOnTime: 0, overdue: 0, completionRate: 0.5, onTimeRate: 0 },
      {
        owner: 'wang',
        planned: 4,
        done: 3,
        doneOnTime: 2,
        overdue: 1,
        completionRate: 0.75,
        onTimeRate: 2 / 3,
      },
    ],
    total: { planned: 6, done: 4, doneOnTime: 2, overdue: 1, completionRate: 4 / 6, onTimeRate: 0.5 },
  });
  const empty = await t.admin().get('/v1/analytics/follow-ups?from=2025-01-01&to=2025-01-31');
  expect(empty.body.total).toEqual({
    planned: 0,
    done: 0,
    doneOnTime: 0,
    overdue: 0,
    completionRate: null,
    onTimeRate: null,
  });

  const ids = async (query: Record<string, string | number>) =>
    (await t.admin().get('/v1/follow-ups').query(query)).body.data.map((f: { id: string }) => f.id);
  expect(await ids({ owner: 'wang', overdue: 'true' })).toEqual([w4.id]);
  expect(await ids({ overdue: 'true' })).toEqual([w4.id]);
  expect(await ids({ owner: 'li', status: 'open' })).toEqual([l2.id]);
  expect(await ids({ owner: 'li' })).toEqual([old.id, l1.id, l2.id]);
  expect(await ids({ from: '2026-11-04', to: '2026-11-10' })).toEqual([w3.id, w4.id, l1.id]);
  // The clock moves on: l2 becomes overdue.
  clock.set('2026-11-26T00:00:00.000Z');
  expect(await ids({ owner: 'li', overdue: 'true' })).toEqual([l2.id]);
  clock.set('2026-11-20T00:00:00.000Z');

  // Paging by plannedAt, one at a time, gives the whole list in order.
  const all: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: { data: Array<{ id: string }>; nextCursor: string | null } } = await t
      .admin()
      .get('/v1/follow-ups')
      .query({ limit: 2, ...(cursor ? { cursor } : {}) });
    all.push(...res.body.data.map((f) => f.id));
    cursor = res.body.nextCursor;
  } while (cursor);
  expect(all).toEqual([old.id, w1.id, w2.id, w3.id, w4.id, l1.id, l2.id]);
});

test('sort=-valueAtStake serves the customers the latest run would lose most by losing first', async () => {
  // The latest finished run valued beta above acme; gamma it did not value.
  const runId = '0192f3c4-0000-7000-8000-00000000beef';
  await t.db.knex('analytics_runs').insert({
    id: runId,
    status: 'done',
    phase: 'done',
    as_of: '2026-11-19',
    time_unit: 'day',
    horizon_months: 12,
    annual_discount_rate: 0.1,
    margin: 1,
    created_at: new Date('2026-11-19T00:00:00Z'),
    finished_at: new Date('2026-11-19T01:00:00Z'),
  });
  // A run's values live in a partition of their own (migration 20261123006000).
  await t.db.knex.raw(
    `CREATE TABLE customer_values_${runId.replace(/-/g, '')} PARTITION OF customer_values FOR VALUES IN ('${runId}')`,
  );
  const columns = await t.db
    .knex('information_schema.columns')
    .where({ table_name: 'customer_values', is_nullable: 'NO' })
    .whereRaw('table_schema = current_schema()')
    .select('column_name', 'data_type');
  const valueRow = (customerId: string, clv: number, pAlive: number) => {
    const row: Record<string, unknown> = {};
    for (const { column_name: name, data_type: type } of columns as Array<{
      column_name: string;
      data_type: string;
    }>)
      row[name] = /int|double|numeric|real/.test(type)
        ? 0
        : type === 'boolean'
          ? false
          : /json/.test(type)
            ? '{}'
            : 'x';
    return { ...row, run_id: runId, customer_id: customerId, clv_predicted: clv, p_alive: pAlive };
  };
  // acme: 1000 x 0.9 = 900 at stake; beta: 2000 x 0.5 = 1000.
  await t.db.knex('customer_values').insert([valueRow(acme.id, 1000, 0.1), valueRow(beta.id, 2000, 0.5)]);
  const all: string[] = [];
  let cursor: string | null = null;
  do {
    const res: {
      status: number;
      text: string;
      body: { data: Array<{ id: string; customerId: string }>; nextCursor: string | null };
    } = await t
      .admin()
      .get('/v1/follow-ups')
      .query({ sort: '-valueAtStake', limit: 1, ...(cursor ? { cursor } : {}) });
    if (res.status !== 200) throw new Error(res.text);
    all.push(...res.body.data.map((f) => f.customerId));
    cursor = res.body.nextCursor;
  } while (cursor);
  expect(all).toEqual([beta.id, beta.id, acme.id, acme.id, gamma.id, gamma.id, gamma.id]);
  expectProblem(
    await t
      .admin()
      .get('/v1/follow-ups')
      .query({ sort: 'plannedAt', cursor: cursor ?? 'WyItdmFsdWVBdFN0YWtlIiwxLCJ4Il0' }),
    400,
    'invalid_cursor',
  );
});
