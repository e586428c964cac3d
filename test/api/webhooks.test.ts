import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

// Subscriptions through the API, with the policy as deployed: https only, no private addresses.
jest.setTimeout(60_000);
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const hook = { url: 'https://hooks.example.com/crm', eventTypes: ['customer.created', 'order.created'] };

test('create answers the secret once; reads, lists and the catalogue never show it', async () => {
  const created = await t
    .admin()
    .post('/v1/webhooks')
    .send({ ...hook, description: 'ERP' });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    url: hook.url,
    eventTypes: hook.eventTypes,
    description: 'ERP',
    enabled: true,
    disabledReason: null,
  });
  expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
  expect(Buffer.from(created.body.secret.slice(6), 'base64').length).toBe(32);
  const id = created.body.id as string;

  const read = await t.admin().get(`/v1/webhooks/${id}`);
  expect(read.status).toBe(200);
  expect(read.body.secret).toBeUndefined();
  expect(read.text).not.toContain(created.body.secret);
  expect(read.headers.etag).toMatch(/^"v1"$/);
  const again = await t.admin().get(`/v1/webhooks/${id}`).set('if-none-match', String(read.headers.etag));
  expect(again.status).toBe(304);

  const list = await t.admin().get('/v1/webhooks');
  expect(list.status).toBe(200);
  expect(list.body.data.map((w: { id: string }) => w.id)).toContain(id);
  expect(list.text).not.toContain('whsec_');

  const catalogue = await t.admin().get('/v1/webhooks/event-types');
  expect(catalogue.status).toBe(200);
  const types = catalogue.body.data.map((e: { type: string }) => e.type);
  expect(types).toEqual(
    expect.arrayContaining([
      'customer.created',
      'order.created',
      'payment.created',
      'customer.value_class_changed',
      'customer.rfm_segment_changed',
      'customer.churn_status_changed',
      'customer.p_alive_dropped',
    ]),
  );
  for (const e of catalogue.body.data) expect(e.description.length).toBeGreaterThan(10);
});

test('a given secret is kept; `*` subscribes to every type', async () => {
  const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
  const created = await t
    .admin()
    .post('/v1/webhooks')
    .send({ url: hook.url, eventTypes: ['*'], secret });
  expect(created.status).toBe(201);
  expect(created.body.secret).toBe(secret);
  expect(created.body.eventTypes).toEqual(['*']);
});

test('PATCH pauses and resumes with If-Match; DELETE removes it', async () => {
  const created = await t.admin().post('/v1/webhooks').send(hook);
  const id = created.body.id as string;
  const paused = await t.admin().patch(`/v1/webhooks/${id}`).set('if-match', '"v1"').send({ enabled: false });
  expect(paused.status).toBe(200);
  expect(paused.body.enabled).toBe(false);
  expect(paused.headers.etag).toBe('"v2"');
  expectProblem(
    await t.admin().patch(`/v1/webhooks/${id}`).set('if-match', '"v1"').send({ enabled: true }),
    412,
    'precondition_failed',
  );
  const changed = await t
    .admin()
    .patch(`/v1/webhooks/${id}`)
    .send({ enabled: true, eventTypes: ['payment.created'], description: null });
  expect(changed.body).toMatchObject({ enabled: true, eventTypes: ['payment.created'], description: null });

  expect((await t.admin().delete(`/v1/webhooks/${id}`)).status).toBe(204);
  expectProblem(await t.admin().get(`/v1/webhooks/${id}`), 404, 'webhook_not_found');
  expectProblem(await t.admin().delete(`/v1/webhooks/${id}`), 404, 'webhook_not_found');
  expectProblem(await t.admin().get('/v1/webhooks/not-an-id'), 404, 'webhook_not_found');
});

test('rotate-secret answers a new secret once; the old one signs for 24 hours beside it', async () => {
  const created = await t.admin().post('/v1/webhooks').send(hook);
  const rotated = await t.admin().post(`/v1/webhooks/${created.body.id}/rotate-secret`);
  expect(rotated.status).toBe(200);
  expect(rotated.body.secret).toMatch(/^whsec_/);
  expect(rotated.body.secret).not.toBe(created.body.secret);
  const hours = (Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()) / 3600_000;
  expect(hours).toBeGreaterThan(23.9);
  expect(hours).toBeLessThanOrEqual(24);
  const read = await t.admin().get(`/v1/webhooks/${created.body.id}`);
  expect(read.body.previousSecretExpiresAt).toBe(rotated.body.previousSecretExpiresAt);
  expect(read.text).not.toContain('whsec_');
});

test.each([
  ['http://hooks.example.com/x', 'https'],
  ['https://10.0.0.7/hook', 'private'],
  ['https://192.168.0.1/hook', 'private'],
  ['https://169.254.169.254/latest/meta-data', 'linkLocal'],
  ['https://127.0.0.1:8443/hook', 'loopback'],
  ['https://[::1]/hook', 'loopback'],
  ['https://[fd12::1]/hook', 'uniqueLocal'],
  ['https://0.0.0.0/hook', 'unspecified'],
  ['https://224.0.0.1/hook', 'multicast'],
  ['https://localhost/hook', 'loopback'],
  ['https://user:pw@hooks.example.com/x', 'credentials'],
])('refuses %s with 422 webhook_url_not_allowed and stores nothing', async (url, reason) => {
  const before = (await t.admin().get('/v1/webhooks?limit=500')).body.data.length;
  const res = await t
    .admin()
    .post('/v1/webhooks')
    .send({ url, eventTypes: ['*'] });
  const problem = expectProblem(res, 422, 'webhook_url_not_allowed');
  expect(problem.detail).toContain(reason);
  expect((await t.admin().get('/v1/webhooks?limit=500')).body.data.length).toBe(before);
});

test('a PATCH to a private URL is refused too', async () => {
  const created = await t.admin().post('/v1/webhooks').send(hook);
  expectProblem(
    await t.admin().patch(`/v1/webhooks/${created.body.id}`).send({ url: 'https://10.1.1.1/x' }),
    422,
    'webhook_url_not_allowed',
  );
  expect((await t.admin().get(`/v1/webhooks/${created.body.id}`)).body.url).toBe(hook.url);
});

test.each([
  [{ url: 'https://hooks.example.com', eventTypes: [] }, 'body/eventTypes'],
  [{ url: 'https://hooks.example.com', eventTypes: ['customer.exploded'] }, 'body/eventTypes/0'],
  [{ url: 'not a url', eventTypes: ['*'] }, 'body/url'],
  [{ eventTypes: ['*'] }, 'body/url'],
  [{ url: 'https://hooks.example.com', eventTypes: ['*'], secret: 'plain' }, 'body/secret'],
  [{ url: 'https://hooks.example.com', eventTypes: ['*'], secret: 'whsec_' + 'A'.repeat(20) }, 'body/secret'],
  [{ url: 'https://hooks.example.com', eventTypes: ['*'], extra: 1 }, 'body/extra'],
])('refuses a bad body with 400 validation_failed at %#', async (body, path) => {
  const problem = expectProblem(await t.admin().post('/v1/webhooks').send(body), 400, 'validation_failed');
  expect(problem.errors?.map((e) => e.path)).toEqual(expect.arrayContaining([expect.stringContaining(path)]));
});

test('scopes: webhooks:read reads, webhooks:write writes', async () => {
  const reader = await t.keyWith('webhooks:read');
  const writer = await t.keyWith('webhooks:write');
  expect((await t.as(reader).get('/v1/webhooks')).status).toBe(200);
  expectProblem(await t.as(reader).post('/v1/webhooks').send(hook), 403, 'forbidden');
  expect((await t.as(writer).post('/v1/webhooks').send(hook)).status).toBe(201);
  const other = await t.keyWith('customers:read');
  expectProblem(await t.as(other).get('/v1/webhooks'), 403, 'forbidden');
});

test('the delivery log, retry and replay of an unknown subscription or delivery are 404', async () => {
  const unknown = '0192f3d0-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
  expectProblem(await t.admin().get(`/v1/webhooks/${unknown}/deliveries`), 404, 'webhook_not_found');
  expectProblem(
    await t.admin().post(`/v1/webhooks/${unknown}/replay`).send({ from: '2026-01-01T00:00:00Z' }),
    404,
    'webhook_not_found',
  );
  const created = await t.admin().post('/v1/webhooks').send(hook);
  expectProblem(
    await t.admin().post(`/v1/webhooks/${created.body.id}/deliveries/${unknown}/retry`),
    404,
    'webhook_delivery_not_found',
  );
  expectProblem(
    await t
      .admin()
      .post(`/v1/webhooks/${created.body.id}/replay`)
      .send({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }),
    400,
    'invalid_range',
  );
  expectProblem(
    await t.admin().get(`/v1/webhooks/${created.body.id}/deliveries?status=lost`),
    400,
    'validation_failed',
  );
});
