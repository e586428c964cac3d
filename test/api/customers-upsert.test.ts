import { testClock } from '../helpers/clock';
import { countCustomers, createCustomer } from '../helpers/customers';
import { expectProblem, expectValidation } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

const clock = testClock('2026-06-01T00:00:00.000Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { clock });
}, 120_000);
afterAll(async () => t.close());

const put = (externalId: string, body: Record<string, unknown>) =>
  t
    .admin()
    .put(`/v1/customers/external/${encodeURIComponent(externalId)}`)
    .send(body);

describe('PUT /v1/customers/external/{externalId}', () => {
  test('creates with 201, Location and ETag', async () => {
    const res = await put('ERP-1', { name: 'Erp One', region: 'north' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/v1/customers/${res.body.id}`);
    expect(res.headers.etag).toBe('"v1"');
    expect(res.body).toEqual(
      expect.objectContaining({ externalId: 'ERP-1', name: 'Erp One', region: 'north', version: 1 }),
    );
  });

  test('updates the fields given with 200 and keeps the others', async () => {
    const created = await put('ERP-2', { name: 'Erp Two', region: 'north', tags: ['a'] });
    clock.advance(1000);
    const res = await put('ERP-2', { region: 'south' });
    expect(res.status).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(res.headers.etag).toBe('"v2"');
    expect(res.body).toEqual(
      expect.objectContaining({
        id: created.body.id,
        name: 'Erp Two',
        region: 'south',
        tags: ['a'],
        version: 2,
      }),
    );
  });

  test('an unchanged body answers 200 with the same version and updatedAt', async () => {
    const created = await put('ERP-3', {
      name: 'Erp Three',
      birthday: '2001-09-09',
      customFields: { a: 1, b: 'x' },
    });
    clock.advance(1000);
    const res = await put('ERP-3', {
      name: 'Erp Three',
      birthday: '2001-09-09',
      customFields: { b: 'x', a: 1 },
    });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(1);
    expect(res.headers.etag).toBe('"v1"');
    expect(res.body.updatedAt).toBe(created.body.updatedAt);
  });

  test('the body may repeat the externalId of the path, not name another (400)', async () => {
    expect((await put('ERP-4', { name: 'Four', externalId: 'ERP-4' })).status).toBe(201);
    const before = await countCustomers(t);
    expectProblem(await put('ERP-5', { name: 'Five', externalId: 'OTHER' }), 400, 'external_id_mismatch');
    expect(await countCustomers(t)).toBe(before);
  });

  test('creating without a name is 422 name_required and writes nothing', async () => {
    const before = await countCustomers(t);
    const problem = expectProblem(await put('ERP-NONAME', { region: 'north' }), 422, 'name_required');
    expect(problem.errors).toEqual([
      { path: 'body/name', message: expect.any(String), code: 'name_required' },
    ]);
    expect(await countCustomers(t)).toBe(before);
  });

  test('If-Match on a missing customer is 412 and creates nothing', async () => {
    const before = await countCustomers(t);
    const res = await t
      .admin()
      .put('/v1/customers/external/ERP-MISSING')
      .set('if-match', '"v1"')
      .send({ name: 'X' });
    expectProblem(res, 412, 'precondition_failed');
    const star = await t
      .admin()
      .put('/v1/customers/external/ERP-MISSING')
      .set('if-match', '*')
      .send({ name: 'X' });
    expectProblem(star, 412, 'precondition_failed');
    expect(await countCustomers(t)).toBe(before);
  });

  test('If-Match is checked on an existing customer', async () => {
    await put('ERP-6', { name: 'Six' });
    const stale = await t
      .admin()
      .put('/v1/customers/external/ERP-6')
      .set('if-match', '"v9"')
      .send({ region: 'x' });
    expectProblem(stale, 412, 'precondition_failed');
    expect((await t.admin().get('/v1/customers/external/ERP-6')).body.region).toBeNull();
    const ok = await t
      .admin()
      .put('/v1/customers/external/ERP-6')
      .set('if-match', '"v1"')
      .send({ region: 'x' });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toBe(2);
  });

  test('a soft-deleted customer is restored', async () => {
    const created = await put('ERP-7', { name: 'Seven' });
    await t.admin().delete(`/v1/customers/${created.body.id}`).expect(204);
    const res = await put('ERP-7', { name: 'Seven' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ id: created.body.id, deletedAt: null }));
  });

  test('schema errors are 400 and write nothing', async () => {
    const before = await countCustomers(t);
    expectValidation(await put('ERP-8', { name: 'Eight', id: 'x' }), '/id');
    expectValidation(await put('ERP-8', { name: 'Eight', kind: 'robot' }), '/kind');
    expect(await countCustomers(t)).toBe(before);
  });

  test('an externalId with URL-special characters round-trips', async () => {
    const res = await put('ACME/42 ü?#', { name: 'Slashy' });
    expect(res.status).toBe(201);
    expect(res.body.externalId).toBe('ACME/42 ü?#');
    const got = await t.admin().get(`/v1/customers/external/${encodeURIComponent('ACME/42 ü?#')}`);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(res.body.id);
  });
});

describe('GET /v1/customers/external/{externalId}', () => {
  test('reads by external id with an ETag', async () => {
    const created = await createCustomer(t, { name: 'By External', externalId: 'GET-1' });
    const res = await t.admin().get('/v1/customers/external/GET-1');
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"v1"');
    expect(res.body).toEqual(created);
  });

  test('an unknown external id is 404 customer_not_found', async () => {
    expectProblem(await t.admin().get('/v1/customers/external/NOPE'), 404, 'customer_not_found');
  });

  test('If-None-Match with the current ETag is 304', async () => {
    await createCustomer(t, { name: 'Cached', externalId: 'GET-2' });
    const res = await t.admin().get('/v1/customers/external/GET-2').set('if-none-match', '"v1"');
    expect(res.status).toBe(304);
    expect(res.headers.etag).toBe('"v1"');
  });
});
