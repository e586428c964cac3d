import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

// Loads of 1,000 rows on a shared, busy machine need more than the default 30 s.
jest.setTimeout(120_000);
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

test('create, read by id and sku, update with If-Match, delete', async () => {
  const created = await t
    .admin()
    .post('/v1/products')
    .send({ sku: 'A-1', name: 'Anvil', category: 'tools', listPrice: '99.5', currency: 'USD' });
  expect(created.status).toBe(201);
  expect(created.body).toEqual(
    expect.objectContaining({
      sku: 'A-1',
      name: 'Anvil',
      category: 'tools',
      listPrice: '99.50',
      currency: 'USD',
      active: true,
      version: 1,
    }),
  );
  const id = created.body.id as string;
  const read = await t.admin().get(`/v1/products/${id}`);
  expect(read.headers.etag).toBe('"v1"');
  expect((await t.admin().get('/v1/products/sku/A-1')).body.id).toBe(id);
  expectProblem(
    await t.admin().patch(`/v1/products/${id}`).set('if-match', '"v7"').send({ active: false }),
    412,
  );
  const patched = await t.admin().patch(`/v1/products/${id}`).set('if-match', '"v1"').send({ active: false });
  expect(patched.body).toEqual(expect.objectContaining({ active: false, version: 2 }));
  expect(
    (await t.admin().get('/v1/products?active=false')).body.data.map((p: { id: string }) => p.id),
  ).toEqual([id]);
  expect((await t.admin().delete(`/v1/products/${id}`)).status).toBe(204);
  expectProblem(await t.admin().get(`/v1/products/${id}`), 404, 'product_not_found');
});

test('bad input is 400; a taken sku is 409; a product in use cannot be deleted', async () => {
  expectProblem(
    await t
      .admin()
      .post('/v1/products')
      .send({ sku: 'B-1', name: 'B', listPrice: '1,000.00', currency: 'USD' }),
    400,
  );
  expectProblem(
    await t.admin().post('/v1/products').send({ sku: 'B-1', name: 'B', listPrice: '10.00' }),
    400,
    'validation_failed',
  );
  expectProblem(await t.admin().post('/v1/products').send({ sku: 'B-1', name: 'B', price: '1' }), 400);
  await t.admin().post('/v1/products').send({ sku: 'B-1', name: 'B' });
  expectProblem(await t.admin().post('/v1/products').send({ sku: 'B-1', name: 'B again' }), 409, 'sku_taken');
  const customer = await t.admin().post('/v1/customers').send({ name: 'C' });
  const order = await t
    .admin()
    .post('/v1/orders')
    .send({
      customerId: customer.body.id,
      orderedAt: '2026-01-01T00:00:00Z',
      amount: '2.00',
      currency: 'USD',
      lines: [{ sku: 'B-1', quantity: 2, unitPrice: '1.00' }],
    });
  expect(order.status).toBe(201);
  const product = await t.admin().get('/v1/products/sku/B-1');
  expectProblem(await t.admin().delete(`/v1/products/${product.body.id}`), 409, 'product_in_use');
});

test('batch upsert by sku: created, unchanged on replay, updated, and a bad row writes nothing', async () => {
  const items = [
    { sku: 'S-1', name: 'One', listPrice: '1.00', currency: 'USD' },
    { sku: 'S-2', name: 'Two' },
  ];
  const first = await t.admin().post('/v1/products/batch').send({ items });
  expect(first.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['created', 'created']);
  const again = await t.admin().post('/v1/products/batch').send({ items });
  expect(again.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['unchanged', 'unchanged']);
  const upd = await t
    .admin()
    .post('/v1/products/batch')
    .send({ items: [{ sku: 'S-1', listPrice: '1.5' }, { sku: 'S-2' }] });
  expect(upd.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['updated', 'unchanged']);
  const bad = await t
    .admin()
    .post('/v1/products/batch')
    .send({ items: [{ sku: 'S-3', name: 'Three' }, { sku: 'S-4' }] });
  const body = expectProblem(bad, 422, 'name_required');
  expect(body.errors).toEqual([
    { path: 'body/items/1/name', message: expect.any(String), index: 1, code: 'name_required' },
  ]);
  expectProblem(await t.admin().get('/v1/products/sku/S-3'), 404);
});

test('products use the orders scopes', async () => {
  const reader = await t.keyWith('orders:read');
  expect((await t.as(reader).get('/v1/products')).status).toBe(200);
  expectProblem(await t.as(reader).post('/v1/products').send({ sku: 'X', name: 'X' }), 403);
});
