import { testClock } from '../helpers/clock';
import { countCustomers, createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, createTestAppOn, type TestApp } from '../helpers/test-app';

const clock = testClock('2026-07-01T00:00:00.000Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { clock });
}, 120_000);
afterAll(async () => t.close());

const createWithKey = (key: string, body: unknown, app: TestApp = t) =>
  app
    .admin()
    .post('/v1/customers')
    .set('idempotency-key', key)
    .send(body as object);

describe('POST /v1/customers with Idempotency-Key', () => {
  test('the same key and body replay the first response; one customer is created', async () => {
    const before = await countCustomers(t);
    const first = await createWithKey('create-1', { name: 'Once Only' });
    expect(first.status).toBe(201);
    clock.advance(5000);
    const second = await createWithKey('create-1', { name: 'Once Only' });
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await countCustomers(t)).toBe(before + 1);
  });

  test('the same key with another body is 422 and writes nothing', async () => {
    await createWithKey('create-2', { name: 'First body' }).expect(201);
    const before = await countCustomers(t);
    const res = await createWithKey('create-2', { name: 'Second body' });
    expectProblem(res, 422, 'idempotency_key_reused');
    expect(await countCustomers(t)).toBe(before);
  });

  test('the same key on another path is 422', async () => {
    await createWithKey('create-3', { name: 'Path one' }).expect(201);
    const res = await t
      .admin()
      .post('/v1/customers/batch')
      .set('idempotency-key', 'create-3')
      .send({ items: [{ externalId: 'P-3', name: 'Path one' }] });
    expectProblem(res, 422, 'idempotency_key_reused');
  });

  test('a 4xx answer from the service is replayed too', async () => {
    const body = { name: 'Bad channel', viaChannelId: '0192f3c4-0000-7000-8000-000000000000' };
    const first = await createWithKey('create-4', body);
    expectProblem(first, 422, 'channel_not_found');
    const second = await createWithKey('create-4', body);
    expect(second.status).toBe(422);
    expect(second.body).toEqual(first.body);
    expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  test('a request rejected by validation does not use up the key', async () => {
    expectProblem(await createWithKey('create-5', { name: 'X', version: 1 }), 400, 'validation_failed');
    const res = await createWithKey('create-5', { name: 'Corrected' });
    expect(res.status).toBe(201);
  });

  test('keys belong to the API key that sent them', async () => {
    const other = await t.keyWith('customers:write');
    const mine = await createWithKey('shared-key', { name: 'Mine' });
    const theirs = await t
      .as(other)
      .post('/v1/customers')
      .set('idempotency-key', 'shared-key')
      .send({ name: 'Mine' });
    expect(mine.status).toBe(201);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  test('a malformed key is 400', async () => {
    expectProblem(await createWithKey('x'.repeat(256), { name: 'Long key' }), 400, 'invalid_idempotency_key');
    expectProblem(await createWithKey('has space', { name: 'Spacey' }), 400, 'invalid_idempotency_key');
  });

  test('a POST without a key is never replayed', async () => {
    const a = await t.admin().post('/v1/customers').send({ name: 'Twin' });
    const b = await t.admin().post('/v1/customers').send({ name: 'Twin' });
    expect(a.body.id).not.toBe(b.body.id);
  });
});

describe('POST /v1/customers/batch with Idempotency-Key', () => {
  test('replays the same results; a different batch is 422', async () => {
    const body = {
      items: [
        { externalId: 'IB-1', name: 'Batch One' },
        { externalId: 'IB-2', name: 'Batch Two' },
      ],
    };
    const first = await t.admin().post('/v1/customers/batch').set('idempotency-key', 'batch-1').send(body);
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['created', 'created']);
    const before = await countCustomers(t);
    const second = await t.admin().post('/v1/customers/batch').set('idempotency-key', 'batch-1').send(body);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await countCustomers(t)).toBe(before);

    const other = { items: [{ externalId: 'IB-1', name: 'Renamed' }] };
    const res = await t.admin().post('/v1/customers/batch').set('idempotency-key', 'batch-1').send(other);
    expectProblem(res, 422, 'idempotency_key_reused');
    expect((await t.admin().get('/v1/customers/external/IB-1')).body.name).toBe('Batch One');
  });
});

describe('lifetime', () => {
  test('a replay survives a restart: another app on the same database replays it', async () => {
    const first = await createWithKey('restart-1', { name: 'Survivor' });
    expect(first.status).toBe(201);
    const restarted = await createTestAppOn(t.db, {}, { clock });
    try {
      const before = await countCustomers(t);
      const replay = await createWithKey('restart-1', { name: 'Survivor' }, restarted);
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expectProblem(
        await createWithKey('restart-1', { name: 'Impostor' }, restarted),
        422,
        'idempotency_key_reused',
      );
      expect(await countCustomers(t)).toBe(before);
    } finally {
      await restarted.close();
    }
  });

  test('a key is replayed for 24 hours and free again after it expires', async () => {
    clock.set('2026-07-02T00:00:00.000Z');
    const first = await createWithKey('ttl-1', { name: 'Day one' });
    clock.set('2026-07-02T23:59:00.000Z');
    const replay = await createWithKey('ttl-1', { name: 'Day one' });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    clock.set('2026-07-03T00:00:01.000Z');
    const fresh = await createWithKey('ttl-1', { name: 'Day two' });
    expect(fresh.status).toBe(201);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(fresh.body.id).not.toBe(first.body.id);
  });
});

describe('in flight', () => {
  /** Leaves a claim as a request still being processed would: same request, no response yet. */
  async function claimInFlight(idempotencyKey: string, like: string) {
    const template = await t.db.knex('idempotency_keys').where({ key: like }).first();
    await t.db.knex('idempotency_keys').insert({
      ...template,
      key: idempotencyKey,
      state: 'in_flight',
      response_status: null,
      response_headers: null,
      response_body: null,
      created_at: clock(),
    });
  }

  test('a request while the first is in flight is 409 and writes nothing', async () => {
    await createWithKey('template-1', { name: 'In flight' }).expect(201);
    await claimInFlight('flight-1', 'template-1');
    const before = await countCustomers(t);
    expectProblem(
      await createWithKey('flight-1', { name: 'In flight' }),
      409,
      'idempotency_request_in_flight',
    );
    expect(await countCustomers(t)).toBe(before);
    expectProblem(await createWithKey('flight-1', { name: 'Other body' }), 422, 'idempotency_key_reused');
  });

  test('a claim abandoned by a dead process is taken over', async () => {
    await createWithKey('template-2', { name: 'Abandoned' }).expect(201);
    await claimInFlight('flight-2', 'template-2');
    clock.advance(10 * 60 * 1000);
    const res = await createWithKey('flight-2', { name: 'Abandoned' });
    expect(res.status).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    const replay = await createWithKey('flight-2', { name: 'Abandoned' });
    expect(replay.body.id).toBe(res.body.id);
  });

  test('two requests at once with one key create one customer', async () => {
    const before = await countCustomers(t);
    const [a, b] = await Promise.all([
      createWithKey('race-1', { name: 'Racer' }),
      createWithKey('race-1', { name: 'Racer' }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect([
      [201, 201],
      [201, 409],
    ]).toContainEqual(statuses);
    expect(await countCustomers(t)).toBe(before + 1);
    const ids = [a, b].filter((r) => r.status === 201).map((r) => r.body.id);
    expect(new Set(ids).size).toBe(1);
  });
});

test('restore and other POSTs accept a key too', async () => {
  const created = await createCustomer(t, { name: 'Restorable' });
  await t.admin().delete(`/v1/customers/${created.id}`).expect(204);
  const first = await t
    .admin()
    .post(`/v1/customers/${created.id}/restore`)
    .set('idempotency-key', 'restore-1');
  expect(first.status).toBe(200);
  const again = await t
    .admin()
    .post(`/v1/customers/${created.id}/restore`)
    .set('idempotency-key', 'restore-1');
  expect(again.status).toBe(200);
  expect(again.body).toEqual(first.body);
});
