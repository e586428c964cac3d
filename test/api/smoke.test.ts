import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

test('health', async () => {
  const res = await t.http().get('/healthz');
  expect(res.status).toBe(200);
  const ready = await t.http().get('/readyz');
  expect(ready.status).toBe(200);
});

test('create and read', async () => {
  const res = await t
    .admin()
    .post('/v1/customers')
    .send({ name: 'Ada', emails: [{ address: 'ada@example.com' }] });
  expect(res.status).toBe(201);
  const got = await t.admin().get(`/v1/customers/${res.body.id}`);
  expect(got.status).toBe(200);
  expect(got.headers.etag).toBe('"v1"');
  const list = await t.admin().get('/v1/customers?q=ada');
  expect(list.body.data).toHaveLength(1);
});
