import createClient from 'openapi-fetch';
import type { paths } from '../client/openapi-types';
import { ADMIN_KEY, createTestApp, type TestApp } from '../helpers/test-app';

// A third-party frontend's view: types generated from openapi/openapi.json by openapi-typescript,
// requests through openapi-fetch over real HTTP. A response that drifts from the document
// fails to compile here (ts-jest type-checks) or fails the assertions.
let t: TestApp;
let client: ReturnType<typeof createClient<paths>>;

beforeAll(async () => {
  t = await createTestApp();
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  client = createClient<paths>({ baseUrl: address, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
});
afterAll(async () => t.close());

test('create, read, update with If-Match, list and delete through the typed client', async () => {
  const created = await client.POST('/v1/customers', {
    body: { name: 'Typed Client Ltd', kind: 'organization', category: 'enterprise', tags: ['typed'] },
  });
  expect(created.response.status).toBe(201);
  const id = created.data!.id;
  expect(created.data!.kind).toBe('organization');

  const read = await client.GET('/v1/customers/{id}', { params: { path: { id } } });
  const etag = read.response.headers.get('etag')!;
  expect(read.data!.name).toBe('Typed Client Ltd');

  const updated = await client.PATCH('/v1/customers/{id}', {
    params: { path: { id }, header: { 'if-match': etag } },
    body: { region: 'west' },
  });
  expect(updated.data!.region).toBe('west');
  expect(updated.data!.version).toBe(2);

  const stale = await client.PATCH('/v1/customers/{id}', {
    params: { path: { id }, header: { 'if-match': etag } },
    body: { region: 'east' },
  });
  expect(stale.response.status).toBe(412);
  expect(stale.error?.code).toBe('precondition_failed');

  const list = await client.GET('/v1/customers', { params: { query: { tag: ['typed'] } } });
  expect(list.data!.data.map((c) => c.id)).toEqual([id]);
  expect(list.data!.nextCursor).toBeNull();

  const deleted = await client.DELETE('/v1/customers/{id}', { params: { path: { id } } });
  expect(deleted.response.status).toBe(204);
  const gone = await client.GET('/v1/customers/{id}', { params: { path: { id } } });
  expect(gone.error?.code).toBe('customer_not_found');
});

test('validation errors arrive as typed problem documents', async () => {
  const bad = await client.POST('/v1/customers', { body: { name: '' } });
  expect(bad.response.status).toBe(400);
  expect(bad.error?.code).toBe('validation_failed');
  expect(bad.error?.errors?.[0]?.path).toBe('body/name');
});
