import { LifecycleRepository } from '../../src/modules/lifecycle/repository';
import { buy, runAnalytics } from '../helpers/analytics-run';
import { createCustomer } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

jest.setTimeout(120_000);
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(async () => t.close());

const read = async (id: string) => (await t.admin().get(`/v1/customers/${id}`)).body;

describe('ETag on reads', () => {
  test('GET answers a strong ETag that follows the version', async () => {
    const created = await createCustomer(t, { name: 'Tagged' });
    expect((await t.admin().get(`/v1/customers/${created.id}`)).headers.etag).toBe('"v1"');
    await t.admin().patch(`/v1/customers/${created.id}`).send({ notes: 'x' }).expect(200);
    expect((await t.admin().get(`/v1/customers/${created.id}`)).headers.etag).toBe('"v2"');
  });

  test('If-None-Match with the current ETag is 304 with no body', async () => {
    const created = await createCustomer(t, { name: 'Cacheable' });
    const res = await t.admin().get(`/v1/customers/${created.id}`).set('if-none-match', '"v1"');
    expect(res.status).toBe(304);
    expect(res.text).toBe('');
    expect(res.headers.etag).toBe('"v1"');
    for (const header of ['W/"v1"', '"v0", "v1"', '*']) {
      expect((await t.admin().get(`/v1/customers/${created.id}`).set('if-none-match', header)).status).toBe(
        304,
      );
    }
  });

  test('If-None-Match with an old ETag is 200 with the record', async () => {
    const created = await createCustomer(t, { name: 'Changed' });
    await t.admin().patch(`/v1/customers/${created.id}`).send({ notes: 'x' }).expect(200);
    const res = await t.admin().get(`/v1/customers/${created.id}`).set('if-none-match', '"v1"');
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(2);
  });
});

describe('If-Match on PATCH', () => {
  test('a stale ETag is 412 and changes nothing', async () => {
    const created = await createCustomer(t, { name: 'Guarded' });
    await t.admin().patch(`/v1/customers/${created.id}`).send({ notes: 'first' }).expect(200);
    const before = await read(created.id);
    const res = await t
      .admin()
      .patch(`/v1/customers/${created.id}`)
      .set('if-match', '"v1"')
      .send({ notes: 'lost update' });
    expectProblem(res, 412, 'precondition_failed');
    expect(await read(created.id)).toEqual(before);
  });

  test('the current ETag, one of a list, or * is accepted', async () => {
    const created = await createCustomer(t, { name: 'Fresh' });
    const a = await t
      .admin()
      .patch(`/v1/customers/${created.id}`)
      .set('if-match', '"v1"')
      .send({ notes: 'a' });
    expect(a.status).toBe(200);
    expect(a.headers.etag).toBe('"v2"');
    const b = await t
      .admin()
      .patch(`/v1/customers/${created.id}`)
      .set('if-match', '"v1", "v2"')
      .send({ notes: 'b' });
    expect(b.status).toBe(200);
    const c = await t.admin().patch(`/v1/customers/${created.id}`).set('if-match', '*').send({ notes: 'c' });
    expect(c.status).toBe(200);
    expect(c.body.version).toBe(4);
  });

  test('a weak ETag never matches (If-Match compares strongly)', async () => {
    const created = await createCustomer(t, { name: 'Weak' });
    const res = await t
      .admin()
      .patch(`/v1/customers/${created.id}`)
      .set('if-match', 'W/"v1"')
      .send({ notes: 'x' });
    expectProblem(res, 412, 'precondition_failed');
  });

  test('If-Match on a missing customer is 404', async () => {
    const res = await t
      .admin()
      .patch('/v1/customers/0192f3c4-0000-7000-8000-000000000000')
      .set('if-match', '"v1"')
      .send({ notes: 'x' });
    expectProblem(res, 404, 'customer_not_found');
  });
});

describe('If-Match on DELETE', () => {
  test('a stale ETag is 412 and the customer stays', async () => {
    const created = await createCustomer(t, { name: 'Keep me' });
    await t.admin().patch(`/v1/customers/${created.id}`).send({ notes: 'x' }).expect(200);
    expectProblem(
      await t.admin().delete(`/v1/customers/${created.id}`).set('if-match', '"v1"'),
      412,
      'precondition_failed',
    );
    expect((await t.admin().get(`/v1/customers/${created.id}`)).status).toBe(200);
  });

  test('the current ETag or * deletes', async () => {
    const a = await createCustomer(t, { name: 'Delete a' });
    expect((await t.admin().delete(`/v1/customers/${a.id}`).set('if-match', '"v1"')).status).toBe(204);
    const b = await createCustomer(t, { name: 'Delete b' });
    expect((await t.admin().delete(`/v1/customers/${b.id}`).set('if-match', '*')).status).toBe(204);
  });
});

describe('If-Match on PUT by external id', () => {
  test('stale is 412 and unchanged; current and * are accepted', async () => {
    await t.admin().put('/v1/customers/external/TAG-1').send({ name: 'Put guarded' }).expect(201);
    await t.admin().put('/v1/customers/external/TAG-1').send({ notes: 'v2' }).expect(200);
    const stale = await t
      .admin()
      .put('/v1/customers/external/TAG-1')
      .set('if-match', '"v1"')
      .send({ notes: 'lost' });
    expectProblem(stale, 412, 'precondition_failed');
    expect((await t.admin().get('/v1/customers/external/TAG-1')).body.notes).toBe('v2');
    const ok = await t
      .admin()
      .put('/v1/customers/external/TAG-1')
      .set('if-match', '"v2"')
      .send({ notes: 'v3' });
    expect(ok.status).toBe(200);
    expect(ok.headers.etag).toBe('"v3"');
    const star = await t
      .admin()
      .put('/v1/customers/external/TAG-1')
      .set('if-match', '*')
      .send({ notes: 'v4' });
    expect(star.status).toBe(200);
  });
});

test('writes answer the new ETag', async () => {
  const created = await t.admin().post('/v1/customers').send({ name: 'Etags everywhere' });
  expect(created.headers.etag).toBe('"v1"');
  const patched = await t.admin().patch(`/v1/customers/${created.body.id}`).send({ notes: 'x' });
  expect(patched.headers.etag).toBe('"v2"');
  await t.admin().delete(`/v1/customers/${created.body.id}`).expect(204);
  const restored = await t.admin().post(`/v1/customers/${created.body.id}/restore`);
  expect(restored.headers.etag).toBe(`"v${restored.body.version}"`);
});

describe('the ETag follows the derived fields too', () => {
  const churn = (customerId: string, to: string, at: string) =>
    t.db.knex.transaction((trx) =>
      new LifecycleRepository(t.db.knex).record(
        [{ customerId, kind: 'churn_status', from: null, to, at: new Date(at), cause: 'rule' }],
        trx,
      ),
    );

  test('a lifecycle change recorded: If-None-Match with the old ETag is 200 with a new ETag; If-Match still takes it', async () => {
    const created = await createCustomer(t, { name: 'Derived tag', externalId: 'TAG-DER' });
    const first = await t.admin().get(`/v1/customers/${created.id}`);
    expect(first.headers.etag).toBe('"v1"');
    await churn(created.id, 'at_risk', '2026-05-01T00:00:00Z');
    const second = await t
      .admin()
      .get(`/v1/customers/${created.id}`)
      .set('if-none-match', first.headers.etag!);
    expect(second.status).toBe(200);
    expect(second.body.churnStatus).toBe('at_risk');
    expect(second.body.version).toBe(1);
    expect(second.headers.etag).toMatch(/^"v1\.1\.0"$/);
    // The new tag is current: 304, by id and by external id.
    const cached = await t
      .admin()
      .get(`/v1/customers/${created.id}`)
      .set('if-none-match', second.headers.etag!);
    expect(cached.status).toBe(304);
    expect(cached.headers.etag).toBe(second.headers.etag);
    const byExternal = await t.admin().get('/v1/customers/external/TAG-DER');
    expect(byExternal.headers.etag).toBe(second.headers.etag);
    expect(
      (await t.admin().get('/v1/customers/external/TAG-DER').set('if-none-match', first.headers.etag!))
        .status,
    ).toBe(200);
    // Another change moves it again.
    await churn(created.id, 'churned', '2026-06-01T00:00:00Z');
    const third = await t
      .admin()
      .get(`/v1/customers/${created.id}`)
      .set('if-none-match', second.headers.etag!);
    expect(third.status).toBe(200);
    expect(third.headers.etag).not.toBe(second.headers.etag);

    // If-Match compares the version alone: a tag read before the derived part moved still writes.
    const patched = await t
      .admin()
      .patch(`/v1/customers/${created.id}`)
      .set('if-match', first.headers.etag!)
      .send({ notes: 'still mine' });
    expect(patched.status).toBe(200);
    expect(patched.headers.etag).toMatch(/^"v2\.2\.0"$/);
    expectProblem(
      await t
        .admin()
        .patch(`/v1/customers/${created.id}`)
        .set('if-match', third.headers.etag!)
        .send({ notes: 'stale' }),
      412,
      'precondition_failed',
    );
    const byPut = await t
      .admin()
      .put('/v1/customers/external/TAG-DER')
      .set('if-match', patched.headers.etag!)
      .send({ notes: 'put' });
    expect(byPut.status).toBe(200);
    expect(byPut.headers.etag).toBe('"v3.2.0"');
  });

  test('a stage set by PATCH changes the ETag with the version and the lifecycle', async () => {
    const created = await createCustomer(t, { name: 'Staged tag' });
    const patched = await t
      .admin()
      .patch(`/v1/customers/${created.id}`)
      .send({ lifecycleStage: 'retention' });
    expect(patched.headers.etag).toBe('"v2.1.0"');
    const got = await t.admin().get(`/v1/customers/${created.id}`).set('if-none-match', '"v2"');
    expect(got.status).toBe(200);
    expect(got.headers.etag).toBe('"v2.1.0"');
  });

  test('a new analytics run changes the ETag of a customer it values', async () => {
    const created = await createCustomer(t, { name: 'Valued tag' });
    await buy(t, created.id, ['2026-01-05', '2026-02-05', '2026-03-05']);
    const firstRun = await runAnalytics(t, '2026-04-30');
    const first = await t.admin().get(`/v1/customers/${created.id}`);
    expect(first.body.value.runId).toBe(firstRun);
    expect(first.headers.etag).toMatch(/^"v1\.\d+\.[0-9a-f]{12}"$/);
    expect(
      (await t.admin().get(`/v1/customers/${created.id}`).set('if-none-match', first.headers.etag!)).status,
    ).toBe(304);
    // The same asOf again: no lifecycle change, only the run (and so its values) is new.
    const secondRun = await runAnalytics(t, '2026-04-30');
    const second = await t
      .admin()
      .get(`/v1/customers/${created.id}`)
      .set('if-none-match', first.headers.etag!);
    expect(second.status).toBe(200);
    expect(second.body.value.runId).toBe(secondRun);
    expect(second.body.version).toBe(1);
    expect(second.headers.etag).not.toBe(first.headers.etag);
    // Still version 1 for writes.
    expect(
      (
        await t
          .admin()
          .patch(`/v1/customers/${created.id}`)
          .set('if-match', first.headers.etag!)
          .send({ notes: 'n' })
      ).status,
    ).toBe(200);
  });
});
