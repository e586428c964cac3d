import { createTestApp, type TestApp } from '../helpers/test-app';

// A consumer polls the event feed while several writers change orders and customers at once.
// On the PostgreSQL server the writers' transactions really overlap (a pool of connections),
// so this is where a sequence number taken out of commit order would make the consumer skip
// an event. On PGlite (one connection) it checks the same promises with transactions queued.
jest.setTimeout(300_000);

interface FeedEvent {
  id: string;
  type: string;
  data: { id: string; version: number };
}

const WRITERS = 4;
const BATCHES = 10;
const ORDERS_PER_BATCH = 20;
/** Shared by every writer, so that their PATCHes of one record contend for its row. */
const HOT = 4;

let t: TestApp;
const hotCustomers: string[] = [];
const hotOrders: string[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const eventRows = async () => {
  const [row] = await t.db.knex('events').count<Array<{ count: string | number }>>('* as count');
  return Number(row?.count ?? 0);
};

async function ok(request: PromiseLike<{ status: number; text: string; body: unknown }>, status = 200) {
  const res = await request;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text}`);
  return res.body as Record<string, unknown>;
}

/**
 * Polls from the start of the feed, limit 50, until a page comes back empty on a poll that
 * began after `done()` turned true: from then on nothing more can be committed.
 */
async function consume(done: () => boolean) {
  const events: FeedEvent[] = [];
  /** Events read by polls that began while writers still ran: the test is moot without some. */
  let duringWrites = 0;
  let after: string | undefined;
  for (;;) {
    const finished = done();
    const page = await ok(t.admin().get('/v1/events').query({ limit: 50, after }));
    after = page.nextCursor as string;
    const data = page.data as FeedEvent[];
    events.push(...data);
    if (!finished) duringWrites += data.length;
    if (data.length === 0) {
      if (finished) return { events, duringWrites };
      await sleep(2);
    }
  }
}

/** One writer: batches of new orders, each followed by a cancel and PATCHes of hot records. */
async function write(w: number): Promise<string[]> {
  const created: string[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const items = Array.from({ length: ORDERS_PER_BATCH }, (_, i) => ({
      externalId: `W${w}-B${b}-${i}`,
      customerExternalId: `HOT-${i % HOT}`,
      orderedAt: new Date(Date.UTC(2026, 0, 1, w, b, i)).toISOString(),
      amount: `${i + 1}.00`,
      currency: 'USD',
    }));
    const batch = await ok(t.admin().post('/v1/orders/batch').send({ items }));
    const ids = (batch.results as Array<{ id: string }>).map((r) => r.id);
    created.push(...ids);
    await Promise.all([
      ok(t.admin().post(`/v1/orders/${ids[0]}/cancel`)),
      ok(
        t
          .admin()
          .patch(`/v1/customers/${hotCustomers[(b + w) % HOT]}`)
          .send({ name: `Hot, by ${w}/${b}` }),
      ),
      ok(
        t
          .admin()
          .patch(`/v1/orders/${hotOrders[(b + w) % HOT]}`)
          .send({ amount: `${w + 1}${b}.00` }),
      ),
    ]);
  }
  return created;
}

beforeAll(async () => {
  // The consumer polls as fast as it can: lift the per-key rate limit out of the way.
  t = await createTestApp({ RATE_LIMIT_MAX: '1000000' });
  for (let i = 0; i < HOT; i++) {
    const customer = await ok(
      t
        .admin()
        .post('/v1/customers')
        .send({ name: `Hot ${i}`, externalId: `HOT-${i}` }),
      201,
    );
    hotCustomers.push(customer.id as string);
    const order = await ok(
      t.admin().post('/v1/orders').send({
        customerId: customer.id,
        orderedAt: '2026-01-01T00:00:00Z',
        amount: '1.00',
        currency: 'USD',
      }),
      201,
    );
    hotOrders.push(order.id as string);
  }
});
afterAll(async () => t.close());

test('a consumer polling during concurrent writes sees every event once, each record in version order', async () => {
  const rowsBefore = await eventRows();
  const setup = new Set(
    ((await ok(t.admin().get('/v1/events?limit=1000'))).data as FeedEvent[]).map((e) => e.id),
  );
  let writersDone = false;
  const consumer = consume(() => writersDone);
  const created = (
    await Promise.all(Array.from({ length: WRITERS }, (_, w) => write(w))).finally(() => {
      writersDone = true;
    })
  ).flat();
  const { events, duringWrites } = await consumer;
  expect(duringWrites).toBeGreaterThan(0);

  // Every event exactly once; those beyond the setup's are exactly the rows the writers added.
  const rowsAfter = await eventRows();
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  expect(events.filter((e) => !setup.has(e.id)).length).toBe(rowsAfter - rowsBefore);
  expect(events.length).toBe(rowsAfter);

  // The orders the batches created, each announced once.
  expect(created.length).toBe(WRITERS * BATCHES * ORDERS_PER_BATCH);
  const announced = events.filter((e) => e.type === 'order.created').map((e) => e.data.id);
  expect(new Set(announced)).toEqual(new Set([...created, ...hotOrders]));
  expect(announced.length).toBe(created.length + HOT);

  const countOf = (type: string) => events.filter((e) => e.type === type).length;
  expect(countOf('order.cancelled')).toBe(WRITERS * BATCHES);
  expect(countOf('order.updated')).toBe(WRITERS * BATCHES);
  expect(countOf('customer.updated')).toBe(WRITERS * BATCHES);

  // Per record, the feed's order is the order the changes were made in: versions rise, and
  // by one each time, since every change that moves a version writes an event.
  const versions = new Map<string, number[]>();
  for (const e of events) {
    const key = `${e.type.split('.')[0]}:${e.data.id}`;
    versions.set(key, [...(versions.get(key) ?? []), e.data.version]);
  }
  for (const [key, list] of versions) {
    const expected = Array.from({ length: list.length }, (_, i) => list[0]! + i);
    expect({ key, versions: list }).toEqual({ key, versions: expected });
  }
  // The hot records were each changed by every writer: 1 creation and 10 PATCHes apiece.
  for (const id of [...hotOrders.map((o) => `order:${o}`), ...hotCustomers.map((c) => `customer:${c}`)]) {
    expect(versions.get(id)).toEqual(Array.from({ length: 1 + (WRITERS * BATCHES) / HOT }, (_, i) => i + 1));
  }
});
