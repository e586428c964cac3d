import { newId } from '../../src/db/ids';
import { LifecycleRepository } from '../../src/modules/lifecycle/repository';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * Churn recorded by hand: a lifecycle event, cause manual, and its outbox event (the report end
 * to end is test/api/churn-report-run.test.ts).
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { clock: () => new Date('2026-08-15T12:00:00Z') });
});
afterAll(async () => t.close());

let orderNo = 0;

/** Orders through the public API. */
async function addOrders(customerId: string, dates: string[]) {
  const items = dates.map((date) => ({
    externalId: `order-${++orderNo}`,
    customerId,
    orderedAt: `${date}T10:00:00Z`,
    amount: '40.00',
    currency: 'USD',
  }));
  const batch = await t.admin().post('/v1/orders/batch').send({ items });
  expect(batch.status).toBe(200);
}

async function customer(name: string, dates: string[] = [], extra: Record<string, unknown> = {}) {
  const res = await t
    .admin()
    .post('/v1/customers')
    .send({ name, ...extra });
  expect(res.status).toBe(201);
  if (dates.length > 0) await addOrders(res.body.id, dates);
  return res.body.id as string;
}

const read = async (id: string) => (await t.admin().get(`/v1/customers/${id}`)).body;

async function churnHistory(id: string) {
  const res = await t
    .admin()
    .get(`/v1/customers/${id}/lifecycle`)
    .query({ kind: 'churn_status', limit: 100 });
  expect(res.status).toBe(200);
  return (res.body.data as Array<Record<string, unknown>>).map(({ from, to, at, cause, reason, note }) => ({
    from,
    to,
    at,
    cause,
    reason,
    note,
  }));
}

async function feedSince(after: string) {
  const res = await t.admin().get('/v1/events').query({ after, limit: 1000 });
  expect(res.status).toBe(200);
  return res.body.data as Array<{ type: string; data: Record<string, unknown>; changes: unknown[] }>;
}
const feedHead = async () =>
  (await t.admin().get('/v1/events').query({ limit: 1000 })).body.nextCursor as string;

test('a manual churn is a lifecycle event at its time, with the outbox event; an earlier one is refused', async () => {
  const id = await customer('Leaving');
  // Acquired on 1 May (as a run would have written it).
  const lifecycle = new LifecycleRepository(t.db.knex);
  await t.db.knex.transaction((trx) =>
    lifecycle.record(
      [
        {
          customerId: id,
          kind: 'churn_status',
          from: null,
          to: 'active',
          at: new Date('2026-05-01T00:00:00Z'),
          cause: 'purchase',
        },
      ],
      trx,
    ),
  );
  const since = await feedHead();

  const recorded = await t
    .admin()
    .post(`/v1/customers/${id}/churn`)
    .send({ reason: 'price', note: 'Found it cheaper.', at: '2026-06-15T09:00:00Z' });
  expect(recorded.status).toBe(201);
  expect(recorded.body).toEqual({
    customerId: id,
    churnStatus: 'churned',
    reason: 'price',
    at: '2026-06-15T09:00:00.000Z',
    since: '2026-06-15T09:00:00.000Z',
    cause: 'manual',
  });
  const view = await read(id);
  expect(view.churnStatus).toBe('churned');
  expect(await churnHistory(id)).toEqual([
    {
      from: 'active',
      to: 'churned',
      at: '2026-06-15T09:00:00.000Z',
      cause: 'manual',
      reason: 'price',
      note: 'Found it cheaper.',
    },
    { from: null, to: 'active', at: '2026-05-01T00:00:00.000Z', cause: 'purchase', reason: null, note: null },
  ]);
  const events = (await feedSince(since)).filter((e) => e.type === 'customer.churn_status_changed');
  expect(events).toHaveLength(1);
  expect(events[0]!.data).toEqual(view);
  expect(events[0]!.changes).toEqual([
    { field: 'churnStatus', from: 'active', to: 'churned' },
    { field: 'churnReason', from: null, to: 'price' },
  ]);

  // Before the status it has now began: refused, nothing written.
  const earlier = await t
    .admin()
    .post(`/v1/customers/${id}/churn`)
    .send({ reason: 'service', at: '2026-06-01T00:00:00Z' });
  expect(earlier.status).toBe(422);
  expect(earlier.body.code).toBe('churn_predates_status');
  expect(earlier.body.detail).toContain('2026-06-15T09:00:00.000Z');
  // Later, with the reason stated again: from churned, now (the clock) by default.
  const again = await t.admin().post(`/v1/customers/${id}/churn`).send({ reason: 'service' });
  expect(again.status).toBe(201);
  expect(again.body.at).toBe('2026-08-15T12:00:00.000Z');
  const history = await churnHistory(id);
  expect(history).toHaveLength(3);
  expect(history[0]).toMatchObject({ from: 'churned', to: 'churned', cause: 'manual', reason: 'service' });

  // A customer that never bought gets its first status by hand: from null.
  const never = await customer('Never bought');
  expect((await t.admin().post(`/v1/customers/${never}/churn`).send({ reason: 'other' })).status).toBe(201);
  expect(await churnHistory(never)).toEqual([
    {
      from: null,
      to: 'churned',
      at: '2026-08-15T12:00:00.000Z',
      cause: 'manual',
      reason: 'other',
      note: null,
    },
  ]);
});

test('bad churn input is refused and changes nothing', async () => {
  const id = await customer('Stays');
  for (const body of [
    { reason: 'boredom' },
    {},
    { reason: 'price', extra: 1 },
    { reason: 'price', at: 'yesterday' },
  ]) {
    const bad = await t.admin().post(`/v1/customers/${id}/churn`).send(body);
    expect(bad.status).toBe(400);
  }
  const future = await t
    .admin()
    .post(`/v1/customers/${id}/churn`)
    .send({ reason: 'price', at: '2027-01-01T00:00:00Z' });
  expect(future.status).toBe(422);
  expect(future.body.code).toBe('churn_in_future');
  expect((await read(id)).churnStatus).toBeNull();
  expect(await churnHistory(id)).toEqual([]);
  const missing = await t.admin().post(`/v1/customers/${newId()}/churn`).send({ reason: 'price' });
  expect(missing.status).toBe(404);
});
