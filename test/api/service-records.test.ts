import { buy, runAnalytics } from '../helpers/analytics-run';
import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);
const ALL_HALF = 'platinum:0.5,gold:0.5,silver:0.5,development:0.5,optimization:0.5,new:0.5';
const clock = testClock('2026-11-23T08:00:00.000Z');
let t: TestApp;
let writer: string;
let reader: string;
let customer: string;

beforeAll(async () => {
  t = await createTestApp({ SLA_VALUE_CLASS_FACTORS: ALL_HALF }, { clock });
  writer = await t.keyWith('service:read', 'service:write');
  reader = await t.keyWith('service:read');
  customer = (await createCustomer(t, { kind: 'person', name: 'Wang Fang', externalId: 'C-1' })).id;
  await t.as(writer).post('/v1/service-levels').send({
    type: 'repair',
    priority: 'high',
    firstResponseMinutes: 60,
    resolveMinutes: 480,
  });
});
afterAll(async () => t.close());

const open = async (body: Record<string, unknown>) => {
  const res = await t
    .as(writer)
    .post('/v1/service-records')
    .send({ customerId: customer, ...body });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  return res.body as { id: string; version: number } & Record<string, unknown>;
};
const move = (id: string, to: string, note?: string) =>
  t
    .as(writer)
    .post(`/v1/service-records/${id}/transitions`)
    .send({ to, ...(note ? { note } : {}) });

test('service levels: one per type and priority, bad input refused, ETag and If-Match', async () => {
  expectProblem(
    await t.as(writer).post('/v1/service-levels').send({
      type: 'repair',
      priority: 'high',
      firstResponseMinutes: 30,
      resolveMinutes: 60,
    }),
    409,
    'service_level_exists',
  );
  expectProblem(
    await t.as(writer).post('/v1/service-levels').send({
      type: 'repair',
      priority: 'low',
      firstResponseMinutes: 300,
      resolveMinutes: 60,
    }),
    400,
    'validation_failed',
  );
  expectProblem(
    await t.as(writer).post('/v1/service-levels').send({
      type: 'repair',
      priority: 'extreme',
      firstResponseMinutes: 30,
      resolveMinutes: 60,
    }),
    400,
  );
  expectProblem(
    await t.as(reader).post('/v1/service-levels').send({
      type: 'repair',
      priority: 'low',
      firstResponseMinutes: 30,
      resolveMinutes: 60,
    }),
    403,
  );
  const created = await t.as(writer).post('/v1/service-levels').send({
    type: 'installation',
    priority: 'low',
    firstResponseMinutes: 600,
    resolveMinutes: 6000,
  });
  expect(created.status).toBe(201);
  const path = `/v1/service-levels/${created.body.id}`;
  expect((await t.as(reader).get(path)).headers.etag).toBe('"v1"');
  expectProblem(await t.as(writer).patch(path).set('if-match', '"v9"').send({ resolveMinutes: 700 }), 412);
  const patched = await t.as(writer).patch(path).set('if-match', '"v1"').send({ resolveMinutes: 700 });
  expect(patched.body).toEqual(expect.objectContaining({ resolveMinutes: 700, version: 2 }));
  const list = await t.as(reader).get('/v1/service-levels?type=installation');
  expect(list.body.data.map((l: { id: string }) => l.id)).toEqual([created.body.id]);
  expect((await t.as(writer).delete(path)).status).toBe(204);
  expectProblem(await t.as(reader).get(path), 404, 'service_level_not_found');
});

test('a record walks its states; an illegal jump is 409 naming the allowed ones; the history is kept', async () => {
  clock.set('2026-11-23T08:00:00.000Z');
  const record = await open({ type: 'repair', priority: 'high', subject: 'Tea machine leaks' });
  expect(record).toEqual(
    expect.objectContaining({
      status: 'open',
      openedAt: '2026-11-23T08:00:00.000Z',
      allowedTransitions: ['in_progress', 'waiting', 'resolved'],
      timeToFirstResponseMinutes: null,
      sla: expect.objectContaining({
        firstResponseMinutes: 60,
        factor: 1,
        valueClass: null,
        breached: false,
      }),
    }),
  );
  clock.set('2026-11-23T08:40:00.000Z');
  expect((await move(record.id, 'in_progress', 'called the customer')).body.firstResponseAt).toBe(
    '2026-11-23T08:40:00.000Z',
  );
  clock.set('2026-11-23T09:00:00.000Z');
  expect((await move(record.id, 'waiting')).status).toBe(200);
  clock.set('2026-11-23T10:30:00.000Z');
  const resolved = await t
    .as(writer)
    .post(`/v1/service-records/${record.id}/transitions`)
    .send({ to: 'resolved', resolution: 'Replaced the seal' });
  expect(resolved.body).toEqual(
    expect.objectContaining({
      status: 'resolved',
      resolution: 'Replaced the seal',
      timeToFirstResponseMinutes: 40,
      timeToResolveMinutes: 150,
      sla: expect.objectContaining({ breached: false }),
    }),
  );
  const closed = await move(record.id, 'closed');
  expect(closed.body.allowedTransitions).toEqual(['open']);
  const illegal = expectProblem(await move(record.id, 'waiting'), 409, 'illegal_transition');
  expect((illegal as unknown as { allowed: string[] }).allowed).toEqual(['open']);
  const reopened = await move(record.id, 'open', 'leaks again');
  expect(reopened.body).toEqual(
    expect.objectContaining({
      status: 'open',
      reopenCount: 1,
      resolvedAt: null,
      firstResponseAt: '2026-11-23T08:40:00.000Z',
    }),
  );
  const history = await t.as(reader).get(`/v1/service-records/${record.id}/transitions?limit=2`);
  expect(history.body.data.map((h: { from: string; to: string }) => `${h.from}>${h.to}`)).toEqual([
    'open>in_progress',
    'in_progress>waiting',
  ]);
  const rest = await t
    .as(reader)
    .get(`/v1/service-records/${record.id}/transitions?cursor=${history.body.nextCursor}`);
  expect(rest.body.data.map((h: { to: string }) => h.to)).toEqual(['resolved', 'closed', 'open']);
  const events = await t.admin().get(`/v1/events?type=service_record.transitioned&limit=100`);
  const mine = events.body.data.filter((e: { data: { id: string } }) => e.data.id === record.id);
  expect(mine).toHaveLength(5);
  expect(mine[0].changes).toEqual(
    expect.arrayContaining([{ field: 'status', from: 'open', to: 'in_progress' }]),
  );
  expectProblem(await move(record.id, 'done'), 400);
  expectProblem(await move('0192f3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f', 'open'), 404, 'service_record_not_found');
});

test('breached lists the records past a target, measured against now while pending', async () => {
  clock.set('2026-11-24T08:00:00.000Z');
  const fast = await open({ type: 'repair', priority: 'high', subject: 'answered in time' });
  const slow = await open({ type: 'repair', priority: 'high', subject: 'never answered' });
  const untargeted = await open({ type: 'consultation', subject: 'no target' });
  clock.set('2026-11-24T08:30:00.000Z');
  await move(fast.id, 'in_progress');
  clock.set('2026-11-24T09:30:00.000Z');
  const breached = await t.as(reader).get('/v1/service-records?breached=true&from=2026-11-24&to=2026-11-24');
  expect(breached.body.data.map((r: { id: string }) => r.id)).toEqual([slow.id]);
  expect(breached.body.data[0].sla).toEqual(
    expect.objectContaining({
      firstResponseDueAt: '2026-11-24T09:00:00.000Z',
      firstResponseBreached: true,
      resolveBreached: false,
    }),
  );
  const fine = await t.as(reader).get('/v1/service-records?breached=false&from=2026-11-24');
  expect(fine.body.data.map((r: { id: string }) => r.id).sort()).toEqual([fast.id, untargeted.id].sort());
  clock.set('2026-11-24T16:01:00.000Z');
  const late = await t.as(reader).get('/v1/service-records?breached=true&from=2026-11-24');
  expect(late.body.data.map((r: { id: string }) => r.id).sort()).toEqual([fast.id, slow.id].sort());
  expectProblem(await t.as(reader).get('/v1/service-records?from=24-11-2026'), 400);
});

test('a valued customer gets tightened targets and sorts first by value at stake', async () => {
  clock.set('2026-11-25T08:00:00.000Z');
  const valued = (await createCustomer(t, { kind: 'person', name: 'Li Na' })).id;
  await buy(t, valued, ['2026-01-05', '2026-03-10', '2026-06-01', '2026-09-15']);
  await runAnalytics(t, '2026-11-24');
  const plain = await open({
    type: 'repair',
    priority: 'high',
    subject: 'plain',
    openedAt: '2026-11-25T08:00:00.000Z',
  });
  const vip = await t
    .as(writer)
    .post('/v1/service-records')
    .send({ customerId: valued, type: 'repair', priority: 'high', subject: 'vip' });
  expect(vip.status).toBe(201);
  expect(plain.openedAt).toBe('2026-11-25T08:00:00.000Z');
  expect(vip.body.sla).toEqual(
    expect.objectContaining({
      factor: 0.5,
      firstResponseMinutes: 30,
      firstResponseDueAt: '2026-11-25T08:30:00.000Z',
    }),
  );
  clock.set('2026-11-25T08:45:00.000Z');
  const breached = await t.as(reader).get('/v1/service-records?breached=true&from=2026-11-25');
  expect(breached.body.data.map((r: { id: string }) => r.id)).toEqual([vip.body.id]);
  const byValue = await t.as(reader).get('/v1/service-records?sort=-valueAtStake&limit=1');
  if (vip.body.valueAtStake !== null) expect(byValue.body.data[0].id).toBe(vip.body.id);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { body: { data: Array<{ id: string }>; nextCursor: string | null } } = await t
      .as(reader)
      .get(`/v1/service-records?sort=-valueAtStake&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...page.body.data.map((r) => r.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  const all = await t.as(reader).get('/v1/service-records?limit=500');
  expect(seen.sort()).toEqual(all.body.data.map((r: { id: string }) => r.id).sort());
  expectProblem(
    await t.as(reader).get(`/v1/service-records?sort=id&cursor=${byValue.body.nextCursor}`),
    400,
    'invalid_cursor',
  );
});

test('bad input changes nothing: unknown customer, product, contact, a future openedAt', async () => {
  const before = (await t.as(reader).get('/v1/service-records?limit=500')).body.data.length;
  expectProblem(
    await t.as(writer).post('/v1/service-records').send({
      customerId: '0192f3c4-5a1b-7c2d-8e3f-4a5b6c7d8e9f',
      type: 'repair',
      subject: 'x',
    }),
    422,
    'customer_not_found',
  );
  expectProblem(
    await t
      .as(writer)
      .post('/v1/service-records')
      .send({ customerId: customer, type: 'repair', subject: 'x', productSku: 'NOPE' }),
    422,
    'product_not_found',
  );
  expectProblem(
    await t.as(writer).post('/v1/service-records').send({
      customerId: customer,
      type: 'repair',
      subject: 'x',
      contactId: '0192f3c6-7b8a-7d9e-8f0a-1b2c3d4e5f60',
    }),
    422,
    'contact_not_of_customer',
  );
  expectProblem(
    await t
      .as(writer)
      .post('/v1/service-records')
      .send({ customerId: customer, type: 'repair', subject: 'x', openedAt: '2030-01-01T00:00:00Z' }),
    422,
    'date_in_future',
  );
  expectProblem(await t.as(writer).post('/v1/service-records').send({ type: 'repair', subject: 'x' }), 400);
  expectProblem(
    await t
      .as(writer)
      .post('/v1/service-records')
      .send({ customerId: customer, type: 'repair', subject: 'x', status: 'closed' }),
    400,
  );
  expect((await t.as(reader).get('/v1/service-records?limit=500')).body.data.length).toBe(before);
});

test('batch upsert by externalId for a syncing call centre; PATCH with If-Match; delete', async () => {
  const items = [
    {
      externalId: 'CC-1',
      customerExternalId: 'C-1',
      type: 'maintenance',
      subject: 'Yearly',
      openedAt: '2026-11-20T09:00:00Z',
    },
    { externalId: 'CC-2', customerId: customer, type: 'installation', subject: 'New unit' },
  ];
  const first = await t.as(writer).post('/v1/service-records/batch').send({ items });
  expect(first.status).toBe(200);
  expect(first.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['created', 'created']);
  const again = await t
    .as(writer)
    .post('/v1/service-records/batch')
    .send({ items: [items[0], { externalId: 'CC-2', assignee: 'li.wei' }] });
  expect(again.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['unchanged', 'updated']);
  const bad = await t
    .as(writer)
    .post('/v1/service-records/batch')
    .send({
      items: [
        { externalId: 'CC-3', customerId: customer, subject: 'no type' },
        { externalId: 'CC-4', customerExternalId: 'NOPE', type: 'repair', subject: 's' },
      ],
    });
  const problem = expectProblem(bad, 422, 'invalid_rows');
  expect(problem.errors!.map((e) => e.path)).toEqual([
    'body/items/0/type',
    'body/items/1/customerExternalId',
  ]);
  expectProblem(
    await t
      .as(writer)
      .post('/v1/service-records/batch')
      .send({ items: [items[0], items[0]] }),
    400,
    'duplicate_in_batch',
  );
  const id = first.body.results[0].id as string;
  const read = await t.as(reader).get(`/v1/service-records/${id}`);
  expect(read.body.openedAt).toBe('2026-11-20T09:00:00.000Z');
  expect(
    (await t.as(reader).get(`/v1/service-records/${id}`).set('if-none-match', read.headers.etag!)).status,
  ).toBe(304);
  expectProblem(
    await t
      .as(writer)
      .patch(`/v1/service-records/${id}`)
      .set('if-match', '"v7"')
      .send({ priority: 'urgent' }),
    412,
  );
  const patched = await t
    .as(writer)
    .patch(`/v1/service-records/${id}`)
    .set('if-match', read.headers.etag!)
    .send({ priority: 'urgent' });
  expect(patched.body).toEqual(expect.objectContaining({ priority: 'urgent', version: 2 }));
  expect((await t.as(writer).delete(`/v1/service-records/${id}`)).status).toBe(204);
  expectProblem(await t.as(reader).get(`/v1/service-records/${id}`), 404, 'service_record_not_found');
});
