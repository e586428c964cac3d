import { testClock } from '../helpers/clock';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

const clock = testClock('2026-11-23T08:00:00.000Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { clock });
}, 120_000);
afterAll(async () => t.close());

describe('create', () => {
  test('answers 201 with Location, ETag and the full record with defaults', async () => {
    const res = await t
      .admin()
      .post('/v1/customers')
      .send({
        name: 'Ada Lovelace',
        emails: [{ address: 'ada@example.com', label: 'work' }],
        birthday: '1915-12-10',
      });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.location).toBe(`/v1/customers/${res.body.id}`);
    expect(res.headers.etag).toBe('"v1"');
    expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.body).toEqual(
      expect.objectContaining({
        externalId: null,
        kind: 'person',
        category: 'consumer',
        name: 'Ada Lovelace',
        emails: [{ address: 'ada@example.com', label: 'work' }],
        phones: [],
        birthday: '1915-12-10',
        direct: true,
        viaChannelId: null,
        stars: null,
        starsOverride: null,
        lifecycleStage: 'selection',
        // Never bought: no churn status, and the churn object all null.
        churnStatus: null,
        churn: { status: null, since: null, reason: null, cause: null, attribution: null },
        value: null,
        customFields: {},
        tags: [],
        version: 1,
        createdAt: '2026-11-23T08:00:00.000Z',
        updatedAt: '2026-11-23T08:00:00.000Z',
        deletedAt: null,
      }),
    );
  });

  test('ids are time-ordered', async () => {
    const a = await createCustomer(t, { name: 'First' });
    const b = await createCustomer(t, { name: 'Second' });
    expect(a.id < b.id).toBe(true);
  });

  test('a taken externalId is 409 and writes nothing', async () => {
    await createCustomer(t, { name: 'Owner', externalId: 'DUP-1' });
    const res = await t.admin().post('/v1/customers').send({ name: 'Copy', externalId: 'DUP-1' });
    expectProblem(res, 409, 'external_id_taken');
    const list = await t.admin().get('/v1/customers?q=copy');
    expect(list.body.data).toHaveLength(0);
  });
});

describe('read', () => {
  test('GET answers the record with an ETag', async () => {
    const created = await createCustomer(t, { name: 'Reader' });
    const res = await t.admin().get(`/v1/customers/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"v1"');
    expect(res.body).toEqual(created);
  });

  test('an unknown id is 404 customer_not_found', async () => {
    const res = await t.admin().get('/v1/customers/0192f3c4-0000-7000-8000-000000000000');
    expectProblem(res, 404, 'customer_not_found');
  });

  test('a malformed id is 404, not 400 or 500', async () => {
    for (const id of ['not-a-uuid', '123', "1' or '1'='1"]) {
      const res = await t.admin().get(`/v1/customers/${encodeURIComponent(id)}`);
      expectProblem(res, 404, 'customer_not_found');
    }
    expectProblem(await t.admin().patch('/v1/customers/nope').send({ name: 'X' }), 404, 'customer_not_found');
    expectProblem(await t.admin().delete('/v1/customers/nope'), 404, 'customer_not_found');
    expectProblem(await t.admin().post('/v1/customers/nope/restore'), 404, 'customer_not_found');
  });
});

describe('patch', () => {
  test('changes the fields given, keeps the others, bumps version and updatedAt', async () => {
    const created = await createCustomer(t, { name: 'Patchy', region: 'north', tags: ['a'] });
    clock.advance(60_000);
    const res = await t
      .admin()
      .patch(`/v1/customers/${created.id}`)
      .send({ region: 'south', notes: 'moved' });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"v2"');
    expect(res.body).toEqual(
      expect.objectContaining({ name: 'Patchy', region: 'south', notes: 'moved', tags: ['a'], version: 2 }),
    );
    expect(res.body.createdAt).toBe(created.createdAt);
    expect(res.body.updatedAt).toBe(
      new Date(new Date(String(created.updatedAt)).getTime() + 60_000).toISOString(),
    );
    const got = await t.admin().get(`/v1/customers/${created.id}`);
    expect(got.body).toEqual(res.body);
  });

  test('null clears an optional field', async () => {
    const created = await createCustomer(t, { name: 'Clear', region: 'north' });
    const res = await t.admin().patch(`/v1/customers/${created.id}`).send({ region: null });
    expect(res.status).toBe(200);
    expect(res.body.region).toBeNull();
  });

  test('a patch that changes nothing keeps the version', async () => {
    const created = await createCustomer(t, { name: 'Same', region: 'north' });
    const res = await t.admin().patch(`/v1/customers/${created.id}`).send({ region: 'north' });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(1);
    expect(res.body.updatedAt).toBe(created.updatedAt);
  });

  test('an empty patch is 400', async () => {
    const created = await createCustomer(t, { name: 'Empty patch' });
    expectProblem(await t.admin().patch(`/v1/customers/${created.id}`).send({}), 400, 'validation_failed');
  });

  test("another customer's externalId is 409", async () => {
    await createCustomer(t, { name: 'Holder', externalId: 'PATCH-TAKEN' });
    const other = await createCustomer(t, { name: 'Other' });
    const res = await t.admin().patch(`/v1/customers/${other.id}`).send({ externalId: 'PATCH-TAKEN' });
    expectProblem(res, 409, 'external_id_taken');
    expect((await t.admin().get(`/v1/customers/${other.id}`)).body.externalId).toBeNull();
  });
});

describe('soft delete and restore', () => {
  test('delete hides the customer; includeDeleted shows it; restore brings it back', async () => {
    const created = await createCustomer(t, { name: 'Ephemeral Erwin', externalId: 'DEL-1' });
    clock.advance(1000);
    const del = await t.admin().delete(`/v1/customers/${created.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');

    expectProblem(await t.admin().get(`/v1/customers/${created.id}`), 404, 'customer_not_found');
    expectProblem(await t.admin().get('/v1/customers/external/DEL-1'), 404, 'customer_not_found');
    const hidden = await t.admin().get(`/v1/customers/${created.id}?includeDeleted=true`);
    expect(hidden.status).toBe(200);
    expect(hidden.body.deletedAt).toBe(clock().toISOString());
    expect(hidden.body.version).toBe(2);
    expect((await t.admin().get('/v1/customers/external/DEL-1?includeDeleted=true')).status).toBe(200);

    const list = await t.admin().get('/v1/customers?q=erwin');
    expect(list.body.data).toHaveLength(0);
    const listDeleted = await t.admin().get('/v1/customers?q=erwin&includeDeleted=true');
    expect(listDeleted.body.data.map((c: { id: string }) => c.id)).toEqual([created.id]);

    expectProblem(await t.admin().delete(`/v1/customers/${created.id}`), 404, 'customer_not_found');
    expectProblem(await t.admin().patch(`/v1/customers/${created.id}`).send({ name: 'Zombie' }), 404);

    const restored = await t.admin().post(`/v1/customers/${created.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.headers.etag).toBe('"v3"');
    expect(restored.body).toEqual(expect.objectContaining({ id: created.id, deletedAt: null, version: 3 }));
    expect((await t.admin().get(`/v1/customers/${created.id}`)).status).toBe(200);
    expect((await t.admin().get('/v1/customers?q=erwin')).body.data).toHaveLength(1);
  });

  test('restoring a live customer is 409', async () => {
    const created = await createCustomer(t, { name: 'Alive' });
    expectProblem(await t.admin().post(`/v1/customers/${created.id}/restore`), 409, 'customer_not_deleted');
    expect((await t.admin().get(`/v1/customers/${created.id}`)).body.version).toBe(1);
  });

  test('restoring an unknown customer is 404', async () => {
    const res = await t.admin().post('/v1/customers/0192f3c4-0000-7000-8000-000000000000/restore');
    expectProblem(res, 404, 'customer_not_found');
  });
});

describe('channels', () => {
  test('viaChannelId makes direct false and must name a live channel customer', async () => {
    const channel = await createCustomer(t, {
      name: 'Shop Channel',
      kind: 'organization',
      category: 'channel',
    });
    const retail = await createCustomer(t, { name: 'Not a channel', category: 'enterprise' });

    const via = await t.admin().post('/v1/customers').send({ name: 'Indirect', viaChannelId: channel.id });
    expect(via.status).toBe(201);
    expect(via.body).toEqual(expect.objectContaining({ direct: false, viaChannelId: channel.id }));

    const wrong = await t
      .admin()
      .post('/v1/customers')
      .send({ name: 'Wrong channel', viaChannelId: retail.id });
    const problem = expectProblem(wrong, 422, 'channel_not_found');
    expect(problem.errors).toEqual([
      { path: 'body/viaChannelId', message: expect.any(String), code: 'channel_not_found' },
    ]);
    const missing = await t
      .admin()
      .post('/v1/customers')
      .send({ name: 'Missing channel', viaChannelId: '0192f3c4-0000-7000-8000-000000000000' });
    expectProblem(missing, 422, 'channel_not_found');
    expect((await t.admin().get('/v1/customers?q=channel&category=consumer')).body.data).toHaveLength(0);

    const self = await t.admin().patch(`/v1/customers/${channel.id}`).send({ viaChannelId: channel.id });
    expect(expectProblem(self, 422, 'channel_not_found').errors?.map((e) => e.path)).toEqual([
      'body/viaChannelId',
    ]);

    const toDirect = await t.admin().patch(`/v1/customers/${via.body.id}`).send({ viaChannelId: null });
    expect(toDirect.body).toEqual(expect.objectContaining({ direct: true, viaChannelId: null }));

    await t.admin().delete(`/v1/customers/${channel.id}`).expect(204);
    const deletedChannel = await t
      .admin()
      .post('/v1/customers')
      .send({ name: 'Dead channel', viaChannelId: channel.id });
    expectProblem(deletedChannel, 422, 'channel_not_found');
  });
});

describe('starsOverride', () => {
  test('stars follow the override and `by` names the API key', async () => {
    const key = await t.keyWith('customers:write', 'customers:read');
    clock.set('2026-11-24T09:30:00.000Z');
    const res = await t
      .as(key)
      .post('/v1/customers')
      .send({ name: 'Starred', starsOverride: { stars: 4, reason: 'key account' } });
    expect(res.status).toBe(201);
    expect(res.body.stars).toBe(4);
    expect(res.body.starsOverride).toEqual({
      stars: 4,
      reason: 'key account',
      by: 'test customers:write customers:read',
      at: '2026-11-24T09:30:00.000Z',
    });

    clock.advance(1000);
    const changed = await t
      .admin()
      .patch(`/v1/customers/${res.body.id}`)
      .send({ starsOverride: { stars: 2, reason: 'downgraded' } });
    expect(changed.body.stars).toBe(2);
    expect(changed.body.starsOverride).toEqual({
      stars: 2,
      reason: 'downgraded',
      by: 'bootstrap admin',
      at: '2026-11-24T09:30:01.000Z',
    });

    const other = await t.admin().patch(`/v1/customers/${res.body.id}`).send({ notes: 'unrelated change' });
    expect(other.body.starsOverride).toEqual(changed.body.starsOverride);

    const cleared = await t.admin().patch(`/v1/customers/${res.body.id}`).send({ starsOverride: null });
    expect(cleared.body.stars).toBeNull();
    expect(cleared.body.starsOverride).toBeNull();
  });

  test('stars outside 1..5 are 400', async () => {
    for (const stars of [0, 6, 2.5]) {
      const res = await t
        .admin()
        .post('/v1/customers')
        .send({ name: 'Bad stars', starsOverride: { stars, reason: 'x' } });
      expectProblem(res, 400, 'validation_failed');
    }
  });
});
