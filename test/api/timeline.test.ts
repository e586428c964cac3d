import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(180_000);
const clock = testClock('2026-11-23T12:00:00.000Z');
let t: TestApp;
let customer: { id: string };
let other: { id: string };

interface Item {
  type: string;
  id: string;
  occurredAt: string;
  title: string | null;
  summary: string | null;
  link: string;
}

// Three times, each shared by items of three sources (and several items of one source).
const TIMES = ['2026-11-20T10:00:00.000Z', '2026-11-21T10:00:00.000Z', '2026-11-22T10:00:00.000Z'];

beforeAll(async () => {
  t = await createTestApp({}, { clock });
  customer = await createCustomer(t, { name: 'Timeline Tea', externalId: 'TL-1' });
  other = await createCustomer(t, { name: 'Someone else' });
  const interactions = TIMES.flatMap((occurredAt, i) => [
    { externalId: `I-${i}-a`, customerId: customer.id, channel: 'call', direction: 'inbound', occurredAt },
    { externalId: `I-${i}-b`, customerId: customer.id, channel: 'visit', direction: 'outbound', occurredAt },
  ]);
  interactions.push({
    externalId: 'I-other',
    customerId: other.id,
    channel: 'call',
    direction: 'inbound',
    occurredAt: TIMES[0]!,
  });
  expect((await t.admin().post('/v1/interactions/batch').send({ items: interactions })).status).toBe(200);
  const orders = TIMES.map((orderedAt, i) => ({
    externalId: `O-${i}`,
    customerId: customer.id,
    orderedAt,
    amount: '12.50',
    currency: 'USD',
  }));
  expect((await t.admin().post('/v1/orders/batch').send({ items: orders })).status).toBe(200);
  for (const plannedAt of TIMES) {
    const res = await t
      .admin()
      .post('/v1/follow-ups')
      .send({ customerId: customer.id, owner: 'wang', plannedAt });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => t.close());

const page = async (query: Record<string, string | number>, id = customer.id) => {
  const res = await t.admin().get(`/v1/customers/${id}/timeline`).query(query);
  if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
  return res.body as { data: Item[]; nextCursor: string | null };
};

async function pagedThrough(limit: number, query: Record<string, string> = {}): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < 100; n++) {
    const res: { data: Item[]; nextCursor: string | null } = await page({
      ...query,
      limit,
      ...(cursor ? { cursor } : {}),
    });
    expect(res.data.length).toBeLessThanOrEqual(limit);
    items.push(...res.data);
    cursor = res.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('did not end');
}

const byMergeOrder = (a: Item, b: Item) =>
  a.occurredAt !== b.occurredAt
    ? a.occurredAt < b.occurredAt
      ? 1
      : -1
    : a.type !== b.type
      ? a.type < b.type
        ? 1
        : -1
      : a.id < b.id
        ? 1
        : -1;

test('merged newest first; pages of 1 to 7 concatenate to the full list across equal timestamps', async () => {
  const full = (await page({ limit: 500 })).data;
  const mine = full.filter((i) => i.type !== 'lifecycle');
  // 6 interactions, 3 orders, 3 follow-ups; the other customer's call is not here.
  expect(mine.filter((i) => i.type === 'interaction')).toHaveLength(6);
  expect(mine.filter((i) => i.type === 'order')).toHaveLength(3);
  expect(mine.filter((i) => i.type === 'follow_up')).toHaveLength(3);
  expect([...full].sort(byMergeOrder)).toEqual(full);
  expect(new Set(full.map((i) => `${i.type}/${i.id}`)).size).toBe(full.length);
  for (let limit = 1; limit <= 7; limit++) {
    expect([limit, await pagedThrough(limit)]).toEqual([limit, full]);
  }
  const order = mine.find((i) => i.type === 'order')!;
  expect(order).toEqual(
    expect.objectContaining({
      title: 'Order O-2',
      summary: '12.50 USD, placed',
      link: `/v1/orders/${order.id}`,
    }),
  );
  const call = mine.find((i) => i.type === 'interaction')!;
  expect(call.link).toBe(`/v1/interactions/${call.id}`);
});

test('types and from/to filter; paging within them is just as exact', async () => {
  const only = (await page({ types: 'order,follow_up', limit: 500 })).data;
  expect(only.map((i) => i.type).sort()).toEqual([...Array(3).fill('follow_up'), ...Array(3).fill('order')]);
  expect(await pagedThrough(2, { types: 'order,follow_up' })).toEqual(only);
  const day = (await page({ from: '2026-11-21', to: '2026-11-21', types: 'interaction,order,follow_up' }))
    .data;
  expect(day).toHaveLength(4);
  expect(day.every((i) => i.occurredAt === TIMES[1])).toBe(true);
  expectProblem(
    await t.admin().get(`/v1/customers/${customer.id}/timeline?types=order,nope`),
    400,
    'validation_failed',
  );
  expectProblem(
    await t.admin().get(`/v1/customers/${customer.id}/timeline?from=2026-11-22&to=2026-11-01`),
    400,
    'invalid_range',
  );
  expectProblem(
    await t.admin().get(`/v1/customers/${customer.id}/timeline?cursor=abc`),
    400,
    'invalid_cursor',
  );
  const wrongSort = Buffer.from(JSON.stringify(['timeline', 'garbage', 'x'])).toString('base64url');
  expectProblem(
    await t.admin().get(`/v1/customers/${customer.id}/timeline?cursor=${wrongSort}`),
    400,
    'invalid_cursor',
  );
  expectProblem(
    await t.admin().get('/v1/customers/0192f3c4-0000-7000-8000-000000000000/timeline'),
    404,
    'customer_not_found',
  );
});

test('a follow-up moves to its completion time once done; scope customers:read', async () => {
  const planned = (await t.admin().get('/v1/follow-ups').query({ customerId: customer.id })).body.data[0];
  await t
    .admin()
    .post(`/v1/follow-ups/${planned.id}/complete`)
    .send({ content: 'Tasted the new harvest', outcome: 'Ordered', completedAt: '2026-11-23T11:00:00Z' });
  const first = (await page({ limit: 1 })).data[0]!;
  expect(first).toEqual(
    expect.objectContaining({
      type: 'follow_up',
      id: planned.id,
      occurredAt: '2026-11-23T11:00:00.000Z',
      title: 'Follow-up done (wang)',
      summary: 'Ordered',
    }),
  );
  const reader = await t.keyWith('customers:read');
  expect((await t.as(reader).get(`/v1/customers/${customer.id}/timeline`)).status).toBe(200);
  const service = await t.keyWith('service:read');
  expectProblem(await t.as(service).get(`/v1/customers/${customer.id}/timeline`), 403, 'forbidden');
});
