import { testClock } from '../helpers/clock';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

// The event feed (docs/api.md "The event feed"), read only through HTTP. The concurrent
// writers are in events-concurrency.test.ts.
jest.setTimeout(120_000);

interface FeedEvent {
  id: string;
  type: string;
  occurredAt: string;
  customerId: string | null;
  runId: string | null;
  data: Record<string, unknown> & { id: string; version: number };
  changes: Array<{ field: string; from: unknown; to: unknown }> | null;
  actor: { keyId: string | null; name: string | null };
  requestId: string | null;
}
interface FeedPage {
  data: FeedEvent[];
  nextCursor: string;
}
type FeedQuery = { after?: string; type?: string; customerId?: string; limit?: number };

let t: TestApp;
/** A key of its own, so that the actor of an event is told apart from the admin's. */
let writer: { id: string; key: string };
const as = () => t.as(writer.key);

async function page(app: TestApp, query: FeedQuery = {}): Promise<FeedPage> {
  const res = await app.admin().get('/v1/events').query(query);
  if (res.status !== 200) throw new Error(`feed: ${res.status} ${res.text}`);
  expect(typeof res.body.nextCursor).toBe('string');
  return res.body as FeedPage;
}

/** Follows nextCursor until a page comes back empty: everything read, and where to poll next. */
async function drain(query: FeedQuery = {}, app = t) {
  const events: FeedEvent[] = [];
  let cursor = query.after;
  for (;;) {
    const p = await page(app, { ...query, after: cursor });
    cursor = p.nextCursor;
    if (p.data.length === 0) return { events, cursor };
    events.push(...p.data);
  }
}

/** Where a consumer that has read everything so far stands. */
const head = async () => (await drain({ limit: 1000 })).cursor;
const eventRows = async () => {
  const [row] = await t.db.knex('events').count<Array<{ count: string | number }>>('* as count');
  return Number(row?.count ?? 0);
};
/** A GET that must succeed: what an event's data is compared with. */
const read = async (path: string) => {
  const res = await t.admin().get(path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  return res.body as Record<string, unknown>;
};
const bySortedField = (changes: FeedEvent['changes']) =>
  [...(changes ?? [])].sort((a, b) => a.field.localeCompare(b.field));
const orderRow = (externalId: string, customerExternalId = 'EV-C-1', amount = '10.00') => ({
  externalId,
  customerExternalId,
  orderedAt: '2026-10-01T10:00:00.000Z',
  amount,
  currency: 'USD',
});

beforeAll(async () => {
  t = await createTestApp();
  const res = await t
    .admin()
    .post('/v1/api-keys')
    .send({
      name: 'ERP sync',
      scopes: ['customers:read', 'customers:write', 'orders:read', 'orders:write', 'payments:write'],
    });
  expect(res.status).toBe(201);
  writer = { id: res.body.id, key: res.body.key };
  await t.admin().post('/v1/customers').send({ name: 'Buyer', externalId: 'EV-C-1' });
});
afterAll(async () => t.close());

test('a customer created, patched, deleted and restored: four events, each as GET answered it', async () => {
  const since = await head();
  const created = await as()
    .post('/v1/customers')
    .set('x-request-id', 'req-create')
    .send({ name: 'Ada', region: 'north' });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const seen = [await read(`/v1/customers/${id}`)];
  await as()
    .patch(`/v1/customers/${id}`)
    .set('x-request-id', 'req-patch')
    .send({ name: 'Ada L', region: 'south' });
  seen.push(await read(`/v1/customers/${id}`));
  expect((await as().delete(`/v1/customers/${id}`).set('x-request-id', 'req-delete')).status).toBe(204);
  seen.push(await read(`/v1/customers/${id}?includeDeleted=true`));
  await as().post(`/v1/customers/${id}/restore`).set('x-request-id', 'req-restore');
  seen.push(await read(`/v1/customers/${id}`));

  const { events } = await drain({ after: since });
  expect(events.map((e) => e.type)).toEqual([
    'customer.created',
    'customer.updated',
    'customer.deleted',
    'customer.restored',
  ]);
  expect(events.map((e) => e.data)).toEqual(seen);
  expect(events.map((e) => e.requestId)).toEqual(['req-create', 'req-patch', 'req-delete', 'req-restore']);
  for (const e of events) {
    expect(e).toEqual(
      expect.objectContaining({ customerId: id, runId: null, actor: { keyId: writer.id, name: 'ERP sync' } }),
    );
  }
  expect(events[0]!.changes).toBeNull();
  expect(bySortedField(events[1]!.changes)).toEqual([
    { field: 'name', from: 'Ada', to: 'Ada L' },
    { field: 'region', from: 'north', to: 'south' },
  ]);
});

test('a PATCH of lifecycleStage or starsOverride also gives its own event; churn gives churn_status_changed', async () => {
  const id = (await as().post('/v1/customers').send({ name: 'Staged' })).body.id as string;
  const before = await read(`/v1/customers/${id}`);
  const since = await head();
  await as()
    .patch(`/v1/customers/${id}`)
    .send({ lifecycleStage: 'retention', starsOverride: { stars: 4, reason: 'loyal' } });
  const patched = await read(`/v1/customers/${id}`);
  expect((await as().post(`/v1/customers/${id}/churn`).send({ reason: 'price' })).status).toBe(201);
  const churned = await read(`/v1/customers/${id}`);

  const { events } = await drain({ after: since });
  expect(events.map((e) => e.type)).toEqual([
    'customer.updated',
    'customer.stars_changed',
    'customer.lifecycle_stage_changed',
    'customer.churn_status_changed',
  ]);
  expect(events.map((e) => e.data)).toEqual([patched, patched, patched, churned]);
  expect(events[1]!.changes).toEqual([{ field: 'stars', from: before.stars ?? null, to: 4 }]);
  expect(events[2]!.changes).toEqual([
    { field: 'lifecycleStage', from: before.lifecycleStage ?? null, to: 'retention' },
  ]);
  expect(events[3]!.changes).toEqual(
    expect.arrayContaining([{ field: 'churnStatus', from: before.churnStatus ?? null, to: 'churned' }]),
  );
});

test('orders, payments and products: each change its event, with data as GET answers it', async () => {
  const since = await head();
  const items = Array.from({ length: 5 }, (_, i) => orderRow(`EV-SO-${i}`, 'EV-C-1', `${i + 1}0.00`));
  const batch = await as().post('/v1/orders/batch').send({ items });
  expect(batch.status).toBe(200);
  const orderIds = (batch.body.results as Array<{ id: string }>).map((r) => r.id);
  const ordersAfterBatch = await Promise.all(orderIds.map((id) => read(`/v1/orders/${id}`)));
  expect((await as().post(`/v1/orders/${orderIds[0]}/cancel`)).status).toBe(200);
  const cancelled = await read(`/v1/orders/${orderIds[0]}`);
  const payment = await as().post('/v1/payments').send({
    customerExternalId: 'EV-C-1',
    amount: '100.00',
    currency: 'USD',
    receivedAt: '2026-10-20T09:00:00Z',
  });
  expect(payment.status).toBe(201);
  const paid = await read(`/v1/payments/${payment.body.id}`);
  expect((await as().post(`/v1/payments/${payment.body.id}/refunds`).send({ amount: '25.00' })).status).toBe(
    201,
  );
  const refunded = await read(`/v1/payments/${payment.body.id}`);
  const product = await as().post('/v1/products').send({ sku: 'EV-P-1', name: 'Widget' });
  expect(product.status).toBe(201);
  const productCreated = await read(`/v1/products/${product.body.id}`);
  await as().patch(`/v1/products/${product.body.id}`).send({ name: 'Widget II' });
  const productUpdated = await read(`/v1/products/${product.body.id}`);

  const { events } = await drain({ after: since });
  expect(events.map((e) => e.type)).toEqual([
    ...orderIds.map(() => 'order.created'),
    'order.cancelled',
    'payment.created',
    'payment.refunded',
    'product.created',
    'product.updated',
  ]);
  expect(events.map((e) => e.data)).toEqual([
    ...ordersAfterBatch,
    cancelled,
    paid,
    refunded,
    productCreated,
    productUpdated,
  ]);
  expect(events[5]!.changes).toEqual(
    expect.arrayContaining([{ field: 'status', from: 'placed', to: 'cancelled' }]),
  );
  expect(events[9]!.changes).toEqual([{ field: 'name', from: 'Widget', to: 'Widget II' }]);
});

test('a batch that fails writes no event', async () => {
  const since = await head();
  const rowsBefore = await eventRows();
  // The first row is fine; the second names no customer, so the whole batch is refused.
  const items = [orderRow('EV-BAD-1'), orderRow('EV-BAD-2', 'NO-SUCH')];
  expectProblem(await as().post('/v1/orders/batch').send({ items }), 422);
  expect((await drain({ after: since })).events).toEqual([]);
  expect(await eventRows()).toBe(rowsBefore);
});

describe('paging and filters', () => {
  test('limit=2 pages concatenate to one big read; the empty last page polls on to the next change', async () => {
    const everything = await page(t, { limit: 1000 });
    expect(everything.data.length).toBeGreaterThan(10);
    const { events, cursor } = await drain({ limit: 2 });
    expect(events).toEqual(everything.data);

    const created = await as().post('/v1/customers').send({ name: 'Late' });
    const next = await page(t, { after: cursor });
    expect(next.data.map((e) => [e.type, e.data.id])).toEqual([['customer.created', created.body.id]]);
    expect((await page(t, { after: next.nextCursor })).data).toEqual([]);
  });

  test('type= and customerId= return only matching events', async () => {
    const all = (await drain()).events;
    const cancels = (await drain({ type: 'order.cancelled' })).events;
    expect(cancels.map((e) => e.id)).toEqual(
      all.filter((e) => e.type === 'order.cancelled').map((e) => e.id),
    );
    expect(cancels.length).toBeGreaterThan(0);

    const customerId = all.find((e) => e.type === 'payment.created')!.customerId!;
    const ofCustomer = (await drain({ customerId, limit: 3 })).events;
    expect(ofCustomer.map((e) => e.id)).toEqual(
      all.filter((e) => e.customerId === customerId).map((e) => e.id),
    );
    expect(new Set(ofCustomer.map((e) => e.type.split('.')[0]))).toEqual(
      new Set(['customer', 'order', 'payment']),
    );
  });

  test('a filtered empty page still moves its cursor, and polling it finds the next match', async () => {
    const first = await page(t, { type: 'product.deleted' });
    expect(first.data).toEqual([]);
    // Other events pass by: the filtered cursor moves over them rather than rereading them later.
    await as().post('/v1/customers').send({ name: 'Not a product' });
    const second = await page(t, { type: 'product.deleted', after: first.nextCursor });
    expect(second.data).toEqual([]);
    expect(second.nextCursor).not.toBe(first.nextCursor);

    const product = await as().post('/v1/products').send({ sku: 'EV-P-GONE', name: 'Gone' });
    expect((await as().delete(`/v1/products/${product.body.id}`)).status).toBe(204);
    const third = await page(t, { type: 'product.deleted', after: second.nextCursor });
    expect(third.data.map((e) => [e.type, e.data.id])).toEqual([['product.deleted', product.body.id]]);
  });

  test('bad cursors, limits and types are 400; a key without events:read is 403', async () => {
    const get = (query: string) => t.admin().get(`/v1/events?${query}`);
    expectProblem(await get('after=not-a-cursor'), 400, 'invalid_cursor');
    const cursorOf = (text: string) => Buffer.from(text).toString('base64url');
    expectProblem(await get(`after=${cursorOf('history:12')}`), 400, 'invalid_cursor');
    // Well-formed but past the largest bigint: the cursor's problem, not the database's.
    for (const forged of ['events:9999999999999999999', 'events:9999999999999999999.0'])
      expectProblem(await get(`after=${cursorOf(forged)}`), 400, 'invalid_cursor');
    expectProblem(await get('limit=0'), 400);
    expectProblem(await get('limit=1001'), 400);
    expectProblem(await get('type=customer.exploded'), 400);
    expectProblem(await get('customerId=not-a-uuid'), 400);
    const key = await t.keyWith('customers:read', 'orders:read');
    expectProblem(await t.as(key).get('/v1/events'), 403, 'forbidden');
    expect((await t.as(await t.keyWith('events:read')).get('/v1/events?limit=1')).status).toBe(200);
  });
});

describe('retention', () => {
  const clock = testClock('2026-11-01T08:00:00.000Z');
  let r: TestApp;
  beforeAll(async () => {
    // Its own app: moving its clock must not hide the other tests' events.
    r = await createTestApp({}, { clock });
  });
  afterAll(async () => r.close());

  test('after EVENT_RETENTION_DAYS (30) the feed stops serving an event; /history keeps it', async () => {
    const id = (await r.admin().post('/v1/customers').send({ name: 'Old news' })).body.id as string;
    await r.admin().patch(`/v1/customers/${id}`).send({ name: 'Older news' });
    const served = (await drain({}, r)).events;
    expect(served.map((e) => [e.type, e.occurredAt])).toEqual([
      ['customer.created', '2026-11-01T08:00:00.000Z'],
      ['customer.updated', '2026-11-01T08:00:00.000Z'],
    ]);
    const history = await r.admin().get(`/v1/customers/${id}/history`);
    expect(history.body.data.map((e: { id: string }) => e.id)).toEqual(served.map((e) => e.id).reverse());

    clock.advance(29 * 86_400_000);
    expect((await drain({}, r)).events.map((e) => e.id)).toEqual(served.map((e) => e.id));
    clock.advance(2 * 86_400_000);
    expect((await drain({}, r)).events).toEqual([]);
    // Pruning clears the feed's copy of the data; the audit trail is untouched by it.
    await r.app.services.events.pruneFeed();
    expect((await drain({}, r)).events).toEqual([]);
    expect((await r.admin().get(`/v1/customers/${id}/history`)).body).toEqual(history.body);
  });
});
