import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);
let t: TestApp;
let writer: string;
let reader: string;
let ada: { id: string };
let bob: { id: string };
let adaOrder: string;

const count = async () =>
  Number((await t.db.knex('opportunities').count<Array<{ c: string }>>('* as c'))[0]!.c);
const open = async (body: Record<string, unknown>) => {
  const res = await t
    .as(writer)
    .post('/v1/opportunities')
    .send({ customerId: ada.id, name: 'Deal', amount: '1000.00', currency: 'USD', ...body });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  return res.body as { id: string; version: number; stage: string; probability: number };
};

beforeAll(async () => {
  t = await createTestApp();
  writer = await t.keyWith('sales:write', 'sales:read');
  reader = await t.keyWith('sales:read');
  ada = await createCustomer(t, { name: 'Ada', tags: ['vip'] });
  bob = await createCustomer(t, { name: 'Bob' });
  const order = await t
    .admin()
    .post('/v1/orders')
    .send({ customerId: ada.id, orderedAt: '2026-11-20T10:00:00Z', amount: '1000.00', currency: 'USD' });
  adaOrder = order.body.id;
});
afterAll(async () => t.close());

test('create with the stage default, read with ETag, move through the pipeline, win with an order', async () => {
  const created = await open({ owner: 'wang', expectedCloseDate: '2027-01-15' });
  expect(created).toEqual(
    expect.objectContaining({
      stage: 'qualification',
      probability: 0.1,
      amount: '1000.00',
      weightedAmount: '100.00',
      expectedCloseDate: '2027-01-15',
      closedAt: null,
      version: 1,
    }),
  );
  const read = await t.as(reader).get(`/v1/opportunities/${created.id}`);
  expect(read.headers.etag).toBe('"v1"');
  expectProblem(await t.as(reader).post('/v1/opportunities').send({}), 403);
  const patched = await t
    .as(writer)
    .patch(`/v1/opportunities/${created.id}`)
    .set('if-match', '"v1"')
    .send({ stage: 'proposal', amount: '1200' });
  expect(patched.status).toBe(200);
  expect(patched.body).toEqual(
    expect.objectContaining({
      stage: 'proposal',
      probability: 0.4,
      amount: '1200.00',
      weightedAmount: '480.00',
    }),
  );
  expectProblem(
    await t
      .as(writer)
      .post(`/v1/opportunities/${created.id}/transitions`)
      .set('if-match', '"v1"')
      .send({ to: 'won' }),
    412,
  );
  const noOrder = expectProblem(
    await t.as(writer).post(`/v1/opportunities/${created.id}/transitions`).send({ to: 'won' }),
    422,
    'order_not_found',
  );
  expect(noOrder.errors?.[0]?.path).toBe('body/orderId');
  expectProblem(
    await t
      .as(writer)
      .post(`/v1/opportunities/${created.id}/transitions`)
      .send({ to: 'won', orderId: '0192f3c5-0000-7000-8000-000000000000' }),
    422,
    'order_not_found',
  );
  expectProblem(
    await t.as(writer).post(`/v1/opportunities/${created.id}/transitions`).send({ to: 'signed' }),
    400,
  );
  const won = await t
    .as(writer)
    .post(`/v1/opportunities/${created.id}/transitions`)
    .send({ to: 'won', orderId: adaOrder, note: 'Signed at the fair.' });
  expect(won.status).toBe(200);
  expect(won.body).toEqual(
    expect.objectContaining({
      stage: 'won',
      probability: 1,
      orderId: adaOrder,
      notes: 'Signed at the fair.',
    }),
  );
  expect(won.body.closedAt).toEqual(expect.any(String));
  // Won is closed: it does not move again.
  expectProblem(
    await t.as(writer).post(`/v1/opportunities/${created.id}/transitions`).send({ to: 'negotiation' }),
    409,
    'opportunity_closed',
  );
  const events = await t.db
    .knex('events')
    .where({ entity_id: created.id })
    .orderBy('id')
    .select('type', 'changes');
  expect(events.map((e) => e.type)).toEqual([
    'opportunity.created',
    'opportunity.stage_changed',
    'opportunity.stage_changed',
  ]);
  expect(events[1].changes).toEqual(
    expect.arrayContaining([{ field: 'stage', from: 'qualification', to: 'proposal' }]),
  );
});

test('lost needs a reason and tags the customer through its own update event', async () => {
  const opp = await open({ stage: 'negotiation' });
  expect(opp.probability).toBe(0.7);
  const before = await count();
  const missing = expectProblem(
    await t.as(writer).post(`/v1/opportunities/${opp.id}/transitions`).send({ to: 'lost' }),
    422,
    'lost_reason_required',
  );
  expect(missing.errors?.[0]?.path).toBe('body/lostReason');
  expectProblem(
    await t
      .as(writer)
      .post(`/v1/opportunities/${opp.id}/transitions`)
      .send({ to: 'lost', lostReason: 'Too Dear!' }),
    400,
    'validation_failed',
  );
  const customerBefore = (await t.admin().get(`/v1/customers/${ada.id}`)).body;
  const lost = await t
    .as(writer)
    .post(`/v1/opportunities/${opp.id}/transitions`)
    .send({ to: 'lost', lostReason: 'price' });
  expect(lost.status).toBe(200);
  expect(lost.body).toEqual(expect.objectContaining({ stage: 'lost', probability: 0, lostReason: 'price' }));
  const customer = (await t.admin().get(`/v1/customers/${ada.id}`)).body;
  expect(customer.tags).toEqual(['vip', 'not-converted:price']);
  expect(customer.version).toBe(customerBefore.version + 1);
  const updates = await t.db
    .knex('events')
    .where({ entity_id: ada.id, type: 'customer.updated' })
    .select('changes');
  expect(updates.at(-1)!.changes).toEqual([
    { field: 'tags', from: ['vip'], to: ['vip', 'not-converted:price'] },
  ]);
  expect(await count()).toBe(before);
  // A lost opportunity created as lost tags too; an existing tag is not repeated.
  await open({ stage: 'lost', lostReason: 'price' });
  expect((await t.admin().get(`/v1/customers/${ada.id}`)).body.tags).toEqual(['vip', 'not-converted:price']);
});

test('a retried create with the same Idempotency-Key answers the first response and writes once', async () => {
  const before = await count();
  const send = () =>
    t
      .as(writer)
      .post('/v1/opportunities')
      .set('idempotency-key', 'opp-retry-1')
      .send({ customerId: ada.id, name: 'Retry', amount: '5.00', currency: 'USD' });
  const first = await send();
  const again = await send();
  expect(first.status).toBe(201);
  expect(again.status).toBe(201);
  expect(again.headers['idempotent-replayed']).toBe('true');
  expect(again.body.id).toBe(first.body.id);
  expect(await count()).toBe(before + 1);
});

test('bad input is refused and writes nothing', async () => {
  const before = await count();
  const post = (body: Record<string, unknown>) =>
    t
      .as(writer)
      .post('/v1/opportunities')
      .send({ customerId: ada.id, name: 'X', amount: '10.00', currency: 'USD', ...body });
  expectProblem(await post({ amount: '1,000' }), 400, 'validation_failed');
  expectProblem(await post({ amount: 10 }), 400, 'validation_failed');
  expectProblem(await post({ probability: 1.5 }), 400, 'validation_failed');
  expectProblem(await post({ stage: 'signed' }), 400, 'validation_failed');
  expectProblem(await post({ expectedCloseDate: '2027-02-30' }), 400, 'validation_failed');
  expectProblem(
    await post({ customerId: '0192f3c4-0000-7000-8000-000000000000' }),
    422,
    'customer_not_found',
  );
  expectProblem(await post({ stage: 'won' }), 422, 'order_not_found');
  const otherOrder = await t
    .admin()
    .post('/v1/orders')
    .send({ customerId: bob.id, orderedAt: '2026-11-20T10:00:00Z', amount: '5.00', currency: 'USD' });
  expectProblem(await post({ stage: 'won', orderId: otherOrder.body.id }), 422, 'customer_mismatch');
  expectProblem(await t.as(reader).get('/v1/opportunities/nope'), 404, 'opportunity_not_found');
  expect(await count()).toBe(before);
});

test('batch upsert by externalId, and the pipeline report against hand sums', async () => {
  await t.db.knex('opportunities').delete();
  const item = (externalId: string, over: Record<string, unknown>) => ({
    externalId,
    customerId: bob.id,
    name: externalId,
    amount: '100.00',
    currency: 'USD',
    ...over,
  });
  const items = [
    item('O-1', { stage: 'qualification', owner: 'wang', amount: '1000.00' }), // 0.1 -> 100
    item('O-2', { stage: 'proposal', owner: 'wang', amount: '500.00' }), // 0.4 -> 200
    item('O-3', { stage: 'proposal', owner: 'li', amount: '250.00', probability: 0.5 }), // 125
    item('O-4', { stage: 'negotiation', owner: 'li', amount: '300.00', currency: 'EUR' }), // 0.7 -> 210
    item('O-5', { stage: 'lost', owner: 'li', amount: '999.00', lostReason: 'timing' }), // 0
  ];
  const first = await t.as(writer).post('/v1/opportunities/batch').send({ items });
  expect(first.status).toBe(200);
  expect(first.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(Array(5).fill('created'));
  const again = await t
    .as(writer)
    .post('/v1/opportunities/batch')
    .send({ items: [items[0], { ...items[1], amount: '600.00' }] });
  expect(again.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['unchanged', 'updated']);
  // O-2 is now 600 x 0.4 = 240.
  const closed = await t
    .as(writer)
    .post('/v1/opportunities/batch')
    .send({ items: [items[0], { ...items[4], stage: 'proposal' }] });
  const body = expectProblem(closed, 422, 'opportunity_closed');
  expect(body.errors?.[0]).toEqual(expect.objectContaining({ index: 1, path: 'body/items/1/stage' }));
  expectProblem(
    await t
      .as(writer)
      .post('/v1/opportunities/batch')
      .send({ items: [items[0], items[0]] }),
    400,
    'duplicate_in_batch',
  );

  const report = await t.as(reader).get('/v1/analytics/pipeline');
  expect(report.status).toBe(200);
  expect(report.body.totals).toEqual([
    { currency: 'EUR', count: 1, amount: '300.00', weightedAmount: '210.00' },
    { currency: 'USD', count: 4, amount: '2849.00', weightedAmount: '465.00' },
  ]);
  expect(report.body.byStage).toEqual([
    { stage: 'qualification', currency: 'USD', count: 1, amount: '1000.00', weightedAmount: '100.00' },
    { stage: 'proposal', currency: 'USD', count: 2, amount: '850.00', weightedAmount: '365.00' },
    { stage: 'negotiation', currency: 'EUR', count: 1, amount: '300.00', weightedAmount: '210.00' },
    { stage: 'lost', currency: 'USD', count: 1, amount: '999.00', weightedAmount: '0.00' },
  ]);
  expect(report.body.byOwner).toEqual([
    { owner: 'li', currency: 'EUR', count: 1, amount: '300.00', weightedAmount: '210.00' },
    { owner: 'li', currency: 'USD', count: 2, amount: '1249.00', weightedAmount: '125.00' },
    { owner: 'wang', currency: 'USD', count: 2, amount: '1600.00', weightedAmount: '340.00' },
  ]);
  expect(report.body.stages.map((s: { name: string }) => s.name)).toEqual([
    'qualification',
    'proposal',
    'negotiation',
    'won',
    'lost',
  ]);
  const wang = await t.as(reader).get('/v1/analytics/pipeline?owner=wang');
  expect(wang.body.totals).toEqual([
    { currency: 'USD', count: 2, amount: '1600.00', weightedAmount: '340.00' },
  ]);
  expectProblem(
    await t.as(reader).get('/v1/analytics/pipeline?from=2027-02-01&to=2027-01-01'),
    400,
    'invalid_range',
  );

  const list = await t.as(reader).get('/v1/opportunities?owner=li&limit=2');
  expect(list.body.data).toHaveLength(2);
  const next = await t.as(reader).get(`/v1/opportunities?owner=li&limit=2&cursor=${list.body.nextCursor}`);
  expect(next.body.data).toHaveLength(1);
  expect(next.body.nextCursor).toBeNull();
  expect((await t.as(reader).get('/v1/opportunities?stage=proposal')).body.data).toHaveLength(2);
});

test('a custom pipeline from OPPORTUNITY_STAGES; a bad one refuses to boot', async () => {
  const other = await createTestApp({ OPPORTUNITY_STAGES: 'lead,demo,won,lost' });
  try {
    const c = await createCustomer(other, { name: 'Cy' });
    const res = await other
      .admin()
      .post('/v1/opportunities')
      .send({ customerId: c.id, name: 'D', amount: '10.00', currency: 'USD' });
    expect(res.body).toEqual(expect.objectContaining({ stage: 'lead', probability: 0.1 }));
    const demo = await other.admin().patch(`/v1/opportunities/${res.body.id}`).send({ stage: 'demo' });
    expect(demo.body.probability).toBe(0.9);
    expectProblem(
      await other.admin().patch(`/v1/opportunities/${res.body.id}`).send({ stage: 'proposal' }),
      400,
    );
  } finally {
    await other.close();
  }
  await expect(createTestApp({ OPPORTUNITY_STAGES: 'lead,demo' })).rejects.toThrow(/OPPORTUNITY_STAGES/);
});
