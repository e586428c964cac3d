import { simulateBtydCustomers } from '../../src/domain/simulation';
import { runAnalytics } from '../helpers/analytics-run';
import { createTestApp, createTestAppOn, type TestApp } from '../helpers/test-app';
import { signedWith, startReceiver, waitFor, type Receiver } from '../helpers/webhook-receiver';

// Delivery end to end: a receiver on loopback, the worker in the app, retries in milliseconds.
jest.setTimeout(120_000);

const FAST = {
  WEBHOOK_WORKER: 'true',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_RETRY_SCHEDULE: '100ms,100ms,100ms',
  WEBHOOK_POLL_INTERVAL_MS: '20',
  WEBHOOK_TIMEOUT_MS: '2000',
};

let t: TestApp;
let receiver: Receiver;
beforeAll(async () => {
  t = await createTestApp(FAST);
  receiver = await startReceiver();
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});
beforeEach(() => {
  receiver.received.length = 0;
  receiver.respond = () => ({ status: 204 });
});

let n = 0;
async function subscribe(eventTypes: string[] = ['*'], url = receiver.url) {
  const res = await t.admin().post('/v1/webhooks').send({ url, eventTypes });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}
async function customer(name = `Customer ${++n}`) {
  const res = await t.admin().post('/v1/customers').send({ name });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
const idsOf = (customerId: string) =>
  receiver.received.filter((r) => r.json.data.customerId === customerId).map((r) => r.id);
async function feedIds(customerId: string, type?: string) {
  const res = await t
    .admin()
    .get(`/v1/events?customerId=${customerId}&limit=1000${type ? `&type=${type}` : ''}`);
  return res.body.data.map((e: { id: string }) => e.id) as string[];
}
async function unsubscribe(id: string) {
  expect((await t.admin().delete(`/v1/webhooks/${id}`)).status).toBe(204);
}

test('an event arrives signed, with the Standard Webhooks headers and the event as its body', async () => {
  const sub = await subscribe(['customer.created', 'customer.updated']);
  const id = await customer('Ada Lovelace');
  await t.admin().patch(`/v1/customers/${id}`).send({ region: 'south' });
  await waitFor(() => idsOf(id).length === 2);
  const feed = (await t.admin().get(`/v1/events?customerId=${id}`)).body.data;
  const [created, updated] = receiver.received.filter((r) => r.json.data.customerId === id);
  expect(created!.id).toBe(feed[0].id);
  expect(updated!.id).toBe(feed[1].id);
  expect(signedWith(sub.secret, created!)).toBe(true);
  expect(signedWith('whsec_' + Buffer.alloc(32, 1).toString('base64'), created!)).toBe(false);
  expect(Math.abs(Number(created!.timestamp) - Date.now() / 1000)).toBeLessThan(30);
  expect(created!.json).toEqual({
    type: 'customer.created',
    timestamp: feed[0].occurredAt,
    data: expect.objectContaining({
      id: feed[0].id,
      entityType: 'customer',
      entityId: id,
      customerId: id,
      object: feed[0].data,
    }),
  });
  expect(updated!.json.data.changes).toEqual([{ field: 'region', from: null, to: 'south' }]);
  // Only the subscribed types.
  await t.admin().delete(`/v1/customers/${id}`);
  await new Promise((r) => setTimeout(r, 300));
  expect(idsOf(id)).toHaveLength(2);
  await unsubscribe(sub.id);
});

test('a failing receiver gets retries with the same id and bytes; the log shows each attempt', async () => {
  const sub = await subscribe(['customer.created']);
  let calls = 0;
  receiver.respond = () => (++calls <= 2 ? { status: 500, body: 'x'.repeat(5000) } : { status: 200 });
  const id = await customer();
  await waitFor(() => receiver.received.some((r) => r.json.data.customerId === id) && calls >= 3);
  const mine = receiver.received.filter((r) => r.json.data.customerId === id);
  expect(mine).toHaveLength(3);
  expect(new Set(mine.map((r) => r.id)).size).toBe(1);
  expect(new Set(mine.map((r) => r.body)).size).toBe(1);
  for (const r of mine) expect(signedWith(sub.secret, r)).toBe(true);

  await waitFor(async () => {
    const log = await t.admin().get(`/v1/webhooks/${sub.id}/deliveries`);
    return log.body.data[0]?.status === 'succeeded';
  });
  const log = await t.admin().get(`/v1/webhooks/${sub.id}/deliveries`);
  expect(log.status).toBe(200);
  const [delivery] = log.body.data;
  expect(delivery).toMatchObject({
    eventId: mine[0]!.id,
    eventType: 'customer.created',
    status: 'succeeded',
  });
  expect(delivery.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 200]);
  expect(delivery.attempts[0].responseBody).toHaveLength(1024);
  expect(delivery.attempts[0].error).toBe('HTTP 500');
  expect(delivery.attempts[2].error).toBeNull();
  for (const a of delivery.attempts) expect(a.latencyMs).toBeGreaterThanOrEqual(0);
  // Filters.
  expect((await t.admin().get(`/v1/webhooks/${sub.id}/deliveries?status=failed`)).body.data).toHaveLength(0);
  expect(
    (await t.admin().get(`/v1/webhooks/${sub.id}/deliveries?eventType=customer.created&status=succeeded`))
      .body.data,
  ).toHaveLength(1);
  await unsubscribe(sub.id);
});

test("a customer's next event waits while its first is retried; other customers' do not", async () => {
  const sub = await subscribe(['customer.created', 'customer.updated']);
  const slow = await customer('Slow');
  let slowCreatedTries = 0;
  receiver.respond = (r) =>
    r.json.type === 'customer.created' && r.json.data.customerId === slow && ++slowCreatedTries <= 3
      ? { status: 503 }
      : { status: 200 };
  await t.admin().patch(`/v1/customers/${slow}`).send({ region: 'east' });
  const fast = await customer('Fast');
  await t.admin().patch(`/v1/customers/${fast}`).send({ region: 'west' });
  await waitFor(() => idsOf(slow).length >= 5 && idsOf(fast).length >= 2);
  const order = receiver.received.map(
    (r) => `${r.json.data.customerId === slow ? 'slow' : 'fast'}:${r.json.type}`,
  );
  // The slow customer's update only after its created went through (4th try); fast went meanwhile.
  const slowUpdated = order.indexOf('slow:customer.updated');
  expect(order.slice(0, slowUpdated).filter((o) => o === 'slow:customer.created')).toHaveLength(4);
  expect(order.indexOf('fast:customer.updated')).toBeLessThan(slowUpdated);
  expect(idsOf(slow).filter((x, i, a) => a.indexOf(x) === i)).toEqual(await feedIds(slow));
  await unsubscribe(sub.id);
});

test('after the last retry a delivery is failed and the customer goes on; retry sends it again', async () => {
  const sub = await subscribe(['customer.created', 'customer.updated']);
  const id = await customer();
  receiver.respond = (r) =>
    r.json.type === 'customer.created' ? { status: 302, headers: { location: '/x' } } : { status: 200 };
  await t.admin().patch(`/v1/customers/${id}`).send({ region: 'north' });
  await waitFor(() =>
    receiver.received.some((r) => r.json.type === 'customer.updated' && r.json.data.customerId === id),
  );
  // 1 try and 3 retries, no redirect followed.
  expect(receiver.received.filter((r) => r.json.type === 'customer.created')).toHaveLength(4);
  const failed = (await t.admin().get(`/v1/webhooks/${sub.id}/deliveries?status=failed`)).body.data;
  expect(failed).toHaveLength(1);
  expect(failed[0].attempts).toHaveLength(4);
  expect(failed[0].attempts[0]).toMatchObject({ statusCode: 302, error: 'HTTP 302' });

  receiver.respond = () => ({ status: 200 });
  const retried = await t.admin().post(`/v1/webhooks/${sub.id}/deliveries/${failed[0].id}/retry`);
  expect(retried.status).toBe(202);
  expect(retried.body.status).toBe('pending');
  await waitFor(() => receiver.received.filter((r) => r.json.type === 'customer.created').length === 5);
  await waitFor(async () => {
    const d = (await t.admin().get(`/v1/webhooks/${sub.id}/deliveries?eventType=customer.created`)).body
      .data[0];
    return d.status === 'succeeded' && d.attempts.length === 5;
  });
  await unsubscribe(sub.id);
});

test('a receiver down for a while gets every event once it is back, in order per customer', async () => {
  const down = await startReceiver();
  const res = await t
    .admin()
    .post('/v1/webhooks')
    .send({ url: down.url, eventTypes: ['*'] });
  const sub = res.body as { id: string; secret: string };
  await down.close();
  const customers = [await customer(), await customer(), await customer()];
  for (const c of customers) {
    await t.admin().patch(`/v1/customers/${c}`).send({ region: 'r1' });
    await t.admin().patch(`/v1/customers/${c}`).send({ region: 'r2' });
  }
  await t.admin().post('/v1/orders').send({
    customerId: customers[0],
    orderedAt: '2026-11-01T10:00:00Z',
    amount: '10.00',
    currency: 'USD',
    status: 'shipped',
  });
  // While down every attempt fails; a slow schedule keeps them coming until it is back.
  await waitFor(async () => {
    const log = (await t.admin().get(`/v1/webhooks/${sub.id}/deliveries?limit=500`)).body.data;
    return log.some((d: { attempts: unknown[] }) => d.attempts.length >= 1);
  });
  await down.reopen();
  // Retries were used up meanwhile for some: the failed ones go again by hand, in order.
  const failed = (await t.admin().get(`/v1/webhooks/${sub.id}/deliveries?status=failed&limit=500`)).body.data;
  for (const d of failed.reverse())
    expect((await t.admin().post(`/v1/webhooks/${sub.id}/deliveries/${d.id}/retry`)).status).toBe(202);
  for (const c of customers) {
    const want = await feedIds(c);
    await waitFor(() => {
      const got = down.received.filter((r) => r.json.data.customerId === c).map((r) => r.id);
      return want.every((id) => got.includes(id));
    });
  }
  for (const r of down.received) expect(signedWith(sub.secret, r)).toBe(true);
  await down.close();
  await unsubscribe(sub.id);
});

test('replay sends a window of past events again, each with its own id and bytes', async () => {
  const sub = await subscribe(['customer.created', 'customer.updated']);
  const start = new Date().toISOString();
  const id = await customer();
  await t.admin().patch(`/v1/customers/${id}`).send({ region: 'x' });
  await waitFor(() => idsOf(id).length === 2);
  const first = receiver.received.filter((r) => r.json.data.customerId === id).map((r) => r.body);
  const replay = await t
    .admin()
    .post(`/v1/webhooks/${sub.id}/replay`)
    .send({ from: start, eventTypes: ['customer.updated'] });
  expect(replay.status).toBe(202);
  expect(replay.body.queued).toBeGreaterThanOrEqual(1);
  await waitFor(() => idsOf(id).length === 3);
  const third = receiver.received.filter((r) => r.json.data.customerId === id)[2]!;
  expect(third.json.type).toBe('customer.updated');
  expect(third.body).toBe(first[1]);
  // A window before anything happened queues nothing.
  const empty = await t
    .admin()
    .post(`/v1/webhooks/${sub.id}/replay`)
    .send({ from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' });
  expect(empty.body.queued).toBe(0);
  await unsubscribe(sub.id);
});

test('after a rotation both secrets sign; a paused subscription holds its events until resumed', async () => {
  const sub = await subscribe(['customer.created']);
  const rotated = (await t.admin().post(`/v1/webhooks/${sub.id}/rotate-secret`)).body.secret as string;
  const a = await customer();
  await waitFor(() => idsOf(a).length === 1);
  const r = receiver.received.find((x) => x.json.data.customerId === a)!;
  expect(r.signature.split(' ')).toHaveLength(2);
  expect(signedWith(rotated, r)).toBe(true);
  expect(signedWith(sub.secret, r)).toBe(true);

  await t.admin().patch(`/v1/webhooks/${sub.id}`).send({ enabled: false });
  const b = await customer();
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(idsOf(b)).toHaveLength(0);
  await t.admin().patch(`/v1/webhooks/${sub.id}`).send({ enabled: true });
  await waitFor(() => idsOf(b).length === 1);
  await unsubscribe(sub.id);
});

test('a subscription whose attempts all fail for WEBHOOK_DISABLE_AFTER is disabled with the reason', async () => {
  // An instance of its own (its own database), so no other worker's schedule ends the delivery
  // before the disable delay: retries outlast it.
  const other = await createTestApp({
    ...FAST,
    WEBHOOK_DISABLE_AFTER: '300ms',
    WEBHOOK_RETRY_SCHEDULE: Array(20).fill('150ms').join(','),
  });
  try {
    const res = await other
      .admin()
      .post('/v1/webhooks')
      .send({ url: receiver.url, eventTypes: ['*'] });
    receiver.respond = () => ({ status: 500 });
    await other.admin().post('/v1/customers').send({ name: 'Never heard' });
    await waitFor(
      async () => (await other.admin().get(`/v1/webhooks/${res.body.id}`)).body.enabled === false,
      60_000,
    );
    const read = (await other.admin().get(`/v1/webhooks/${res.body.id}`)).body;
    expect(read.disabledReason).toMatch(/failed since/);
    const resumed = await other.admin().patch(`/v1/webhooks/${res.body.id}`).send({ enabled: true });
    expect(resumed.body).toMatchObject({ enabled: true, disabledReason: null });
  } finally {
    await other.close();
  }
  // Its attempts reached the shared receiver; the tests after this one start from an empty list.
  receiver.received.length = 0;
});

test('an address the policy refuses fails at delivery, checked at every attempt', async () => {
  // Made where private receivers are allowed, delivered by an instance where they are not.
  const maker = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true' });
  const strict = await createTestAppOn(maker.db, { ...FAST, WEBHOOK_ALLOW_PRIVATE: 'false' });
  try {
    const sub = (
      await maker
        .admin()
        .post('/v1/webhooks')
        .send({ url: receiver.url, eventTypes: ['*'] })
    ).body;
    await strict.admin().post('/v1/customers').send({ name: 'Internal' });
    await waitFor(async () => {
      const log = (await strict.admin().get(`/v1/webhooks/${sub.id}/deliveries`)).body.data;
      return log[0]?.attempts.length >= 1;
    });
    const [d] = (await strict.admin().get(`/v1/webhooks/${sub.id}/deliveries`)).body.data;
    expect(d.attempts[0].statusCode).toBeNull();
    expect(d.attempts[0].error).toMatch(/^webhook_url_not_allowed/);
    expect(receiver.received).toHaveLength(0);
  } finally {
    await strict.close();
    await maker.close();
  }
});

test('two instances on one database deliver every event exactly once, in order per customer', async () => {
  const second = await createTestAppOn(t.db, FAST);
  try {
    const sub = await subscribe(['customer.created', 'customer.updated']);
    const customers: string[] = [];
    for (let i = 0; i < 8; i++) customers.push(await customer());
    await Promise.all(
      customers.map(async (c) => {
        for (let k = 0; k < 4; k++)
          await second
            .admin()
            .patch(`/v1/customers/${c}`)
            .send({ region: `r${k}` });
      }),
    );
    for (const c of customers) {
      const want = await feedIds(c);
      expect(want).toHaveLength(5);
      await waitFor(() => idsOf(c).length >= 5);
      expect(idsOf(c)).toEqual(want);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const all = receiver.received.map((r) => r.id);
    expect(new Set(all).size).toBe(all.length);
    await unsubscribe(sub.id);
  } finally {
    await second.close();
  }
});

test('a run emits value events with the old and new value and the predicted CLV', async () => {
  const sub = await subscribe([
    'customer.value_class_changed',
    'customer.rfm_segment_changed',
    'customer.p_alive_dropped',
    'customer.churn_status_changed',
  ]);
  // Customers simulated from BG/NBD (many drop out), so the fit finds some of them gone.
  const simulated = simulateBtydCustomers({
    seed: 7,
    customers: 60,
    bgnbd: { r: 0.6, alpha: 25, a: 0.9, b: 2.5 },
    gammaGamma: { p: 6, q: 4, v: 15 },
    timeUnit: 'day',
    start: '2025-01-01',
    acquisitionDays: 90,
    observationDays: 680,
  });
  const ids: string[] = [];
  const items: Array<Record<string, unknown>> = [];
  for (const sim of simulated) {
    const c = await customer();
    ids.push(c);
    sim.transactions.forEach((tx, k) =>
      items.push({
        externalId: `sim-${c}-${k}`,
        customerId: c,
        orderedAt: tx.orderedAt,
        amount: tx.amount.toFixed(2),
        currency: 'USD',
        status: 'shipped',
      }),
    );
  }
  for (let i = 0; i < items.length; i += 1000)
    expect(
      (
        await t
          .admin()
          .post('/v1/orders/batch')
          .send({ items: items.slice(i, i + 1000) })
      ).status,
    ).toBe(200);
  await runAnalytics(t, '2026-11-20');
  const feed = (await t.admin().get('/v1/events?type=customer.value_class_changed&limit=1000')).body.data;
  const mineFeed = feed.filter((e: { customerId: string }) => ids.includes(e.customerId));
  expect(mineFeed.length).toBe(ids.length);
  const values = await Promise.all(
    ids.map(async (c) => (await t.admin().get(`/v1/customers/${c}`)).body.value),
  );
  expect(values.some((v) => v.pAlive !== null && v.pAlive < 0.5)).toBe(true);
  // Every event of the four types the run wrote arrives.
  let expected = 0;
  for (const type of [
    'customer.value_class_changed',
    'customer.rfm_segment_changed',
    'customer.p_alive_dropped',
    'customer.churn_status_changed',
  ]) {
    const events = (await t.admin().get(`/v1/events?type=${type}&limit=1000`)).body.data;
    expected += events.filter((e: { customerId: string }) => ids.includes(e.customerId)).length;
  }
  // Customers of earlier tests (one bought an order) have events of their own in this run.
  const mine = () => receiver.received.filter((r) => ids.includes(r.json.data.customerId!));
  await waitFor(() => mine().length >= expected, 90_000);
  expect(mine()).toHaveLength(expected);
  const valueEvent = receiver.received.find((r) => r.json.type === 'customer.value_class_changed')!;
  expect(valueEvent.json.data.oldValue).toBeNull();
  expect(typeof valueEvent.json.data.newValue).toBe('string');
  expect(typeof valueEvent.json.data.predictedClv).toBe('number');
  // Those who stopped: P(alive) below the threshold (0.5) on a first assignment, and churned.
  const dropped = receiver.received.filter((r) => r.json.type === 'customer.p_alive_dropped');
  expect(dropped.length).toBeGreaterThan(0);
  for (const d of dropped) {
    expect(d.json.data.oldValue).toBeNull();
    expect(d.json.data.newValue as number).toBeLessThan(0.5);
  }
  const churn = receiver.received.find((r) => r.json.type === 'customer.churn_status_changed')!;
  expect(churn.json.data).toHaveProperty('newValue');
  expect(typeof churn.json.data.predictedClv).toBe('number');
  await unsubscribe(sub.id);
});

test('a delivery whose sender died is sent again, with the same id, once its lease has run out', async () => {
  const sub = await subscribe(['customer.created']);
  await t.admin().patch(`/v1/webhooks/${sub.id}`).send({ enabled: false });
  const id = await customer();
  const [eventId] = await feedIds(id);
  // Fanned out while paused: pending. Then an instance "claims" it and dies before recording.
  await waitFor(
    async () =>
      Number(
        (await t.db.knex('webhook_deliveries').where({ subscription_id: sub.id }).count({ n: '*' }))[0]!.n,
      ) === 1,
  );
  await t.db
    .knex('webhook_deliveries')
    .where({ subscription_id: sub.id })
    .update({ status: 'delivering', lease_owner: 'crashed', lease_until: new Date(Date.now() + 1500) });
  await t.admin().patch(`/v1/webhooks/${sub.id}`).send({ enabled: true });
  await new Promise((resolve) => setTimeout(resolve, 700));
  expect(idsOf(id)).toHaveLength(0);
  await waitFor(() => idsOf(id).length === 1);
  expect(idsOf(id)).toEqual([eventId]);
  await unsubscribe(sub.id);
});
