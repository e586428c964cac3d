import { expectProblem, expectValidation } from '../helpers/problem';
import { ADMIN_KEY, createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(async () => t.close());

describe('authentication', () => {
  test('no Authorization header is 401 with WWW-Authenticate', async () => {
    const res = await t.http().get('/v1/customers');
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  test('an unknown key is 401', async () => {
    const res = await t.http().get('/v1/customers').set('authorization', 'Bearer crm_not-a-real-key');
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  test('a header that is not Bearer is 401', async () => {
    for (const header of [
      `Basic ${Buffer.from('a:b').toString('base64')}`,
      ADMIN_KEY,
      'Bearer',
      'Bearer a b',
    ]) {
      expectProblem(await t.http().get('/v1/customers').set('authorization', header), 401, 'unauthorized');
    }
  });

  test('the scheme is case-insensitive', async () => {
    expect((await t.http().get('/v1/customers').set('authorization', `bearer ${ADMIN_KEY}`)).status).toBe(
      200,
    );
  });

  test('a 401 is answered before the body is read or validated', async () => {
    const res = await t.http().post('/v1/customers').send({ nonsense: true });
    expectProblem(res, 401, 'unauthorized');
  });

  test('health and the OpenAPI document need no key', async () => {
    expect((await t.http().get('/healthz')).status).toBe(200);
    expect((await t.http().get('/openapi.json')).status).toBe(200);
  });
});

describe('scopes', () => {
  test('a read key can read but not write (403)', async () => {
    const key = await t.keyWith('customers:read');
    expect((await t.as(key).get('/v1/customers')).status).toBe(200);
    const res = await t.as(key).post('/v1/customers').send({ name: 'Nope' });
    const problem = expectProblem(res, 403, 'forbidden');
    expect(problem.detail).toContain('customers:write');
    expect((await t.admin().get('/v1/customers?q=nope')).body.data).toHaveLength(0);
  });

  test('a write key cannot read (403)', async () => {
    const key = await t.keyWith('customers:write');
    const created = await t.as(key).post('/v1/customers').send({ name: 'Write only' });
    expect(created.status).toBe(201);
    expectProblem(await t.as(key).get(`/v1/customers/${created.body.id}`), 403, 'forbidden');
  });

  test('a key for other resources gets 403 on customers', async () => {
    const key = await t.keyWith('orders:read');
    expectProblem(await t.as(key).get('/v1/customers'), 403, 'forbidden');
  });

  test('403 for a missing scope comes before a 404', async () => {
    const key = await t.keyWith('orders:read');
    expectProblem(
      await t.as(key).get('/v1/customers/0192f3c4-0000-7000-8000-000000000000'),
      403,
      'forbidden',
    );
  });
});

describe('API keys', () => {
  test('creation shows the key once; lists and reads never show it', async () => {
    const res = await t
      .admin()
      .post('/v1/api-keys')
      .send({ name: 'ERP sync', scopes: ['customers:read'] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        name: 'ERP sync',
        scopes: ['customers:read'],
        revokedAt: null,
        key: expect.stringMatching(/^crm_/),
      }),
    );
    const key = res.body.key as string;
    expect(key.startsWith(res.body.prefix)).toBe(true);
    expect(res.headers.location).toBe(`/v1/api-keys/${res.body.id}`);
    expect((await t.as(key).get('/v1/customers')).status).toBe(200);

    const list = await t.admin().get('/v1/api-keys?limit=500');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(key);
    expect(list.text).not.toContain(ADMIN_KEY);
    for (const item of list.body.data) {
      expect(item.key).toBeUndefined();
      expect(Object.keys(item).some((k) => /hash/i.test(k))).toBe(false);
    }
    const one = await t.admin().get(`/v1/api-keys/${res.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body.key).toBeUndefined();
    expect(one.text).not.toContain(key);
  });

  test('an Idempotency-Key retry creates no second key and never shows or stores the secret again', async () => {
    const body = { name: 'idempotent key', scopes: ['customers:read'] };
    const first = await t.admin().post('/v1/api-keys').set('idempotency-key', 'key-create-1').send(body);
    expect(first.status).toBe(201);
    const secret = first.body.key as string;
    const retry = await t.admin().post('/v1/api-keys').set('idempotency-key', 'key-create-1').send(body);
    const problem = expectProblem(retry, 409, 'idempotency_secret_not_replayed');
    expect(problem.detail).toContain(`/v1/api-keys/${first.body.id}`);
    expect(retry.text).not.toContain(secret);
    const stored = await t.db.knex('idempotency_keys').where({ key: 'key-create-1' });
    expect(JSON.stringify(stored)).not.toContain(secret);
    const list = await t.admin().get('/v1/api-keys?limit=500');
    expect(list.body.data.filter((k: { name: string }) => k.name === 'idempotent key')).toHaveLength(1);
  });

  test('two keys never share a secret', async () => {
    const a = await t
      .admin()
      .post('/v1/api-keys')
      .send({ name: 'a', scopes: ['customers:read'] });
    const b = await t
      .admin()
      .post('/v1/api-keys')
      .send({ name: 'a', scopes: ['customers:read'] });
    expect(a.body.key).not.toBe(b.body.key);
  });

  test('a non-admin key cannot create, list or revoke keys (403)', async () => {
    const key = await t.keyWith('customers:read', 'customers:write');
    expectProblem(
      await t
        .as(key)
        .post('/v1/api-keys')
        .send({ name: 'escalate', scopes: ['admin'] }),
      403,
      'forbidden',
    );
    expectProblem(await t.as(key).get('/v1/api-keys'), 403, 'forbidden');
    const other = await t
      .admin()
      .post('/v1/api-keys')
      .send({ name: 'victim', scopes: ['customers:read'] });
    expectProblem(await t.as(key).delete(`/v1/api-keys/${other.body.id}`), 403, 'forbidden');
    expect((await t.as(other.body.key).get('/v1/customers')).status).toBe(200);
    const list = await t.admin().get('/v1/api-keys?limit=500');
    expect(list.body.data.some((k: { name: string }) => k.name === 'escalate')).toBe(false);
  });

  test.each([
    [{ name: 'x', scopes: ['customers:delete'] }, 'scopes/0'],
    [{ name: 'x', scopes: [] }, 'scopes'],
    [{ name: 'x', scopes: ['admin', 'admin'] }, 'scopes'],
    [{ name: '', scopes: ['admin'] }, 'name'],
    [{ scopes: ['admin'] }, 'name'],
    [{ name: 'x', scopes: ['admin'], key: 'crm_chosen-by-caller' }, 'key'],
  ])('an invalid key request %j is 400', async (body, path) => {
    expectValidation(await t.admin().post('/v1/api-keys').send(body), path);
  });

  test('a revoked key is 401 at once on the same app', async () => {
    const created = await t
      .admin()
      .post('/v1/api-keys')
      .send({ name: 'short-lived', scopes: ['customers:read'] });
    const key = created.body.key as string;
    expect((await t.as(key).get('/v1/customers')).status).toBe(200);
    const revoked = await t.admin().delete(`/v1/api-keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect(revoked.body.key).toBeUndefined();
    expectProblem(await t.as(key).get('/v1/customers'), 401, 'unauthorized');
  });

  test('revoking an unknown key is 404', async () => {
    expectProblem(
      await t.admin().delete('/v1/api-keys/0192f3c4-0000-7000-8000-000000000000'),
      404,
      'api_key_not_found',
    );
    expectProblem(await t.admin().delete('/v1/api-keys/nope'), 404, 'api_key_not_found');
  });
});

test('the audit trail names the key that made a change', async () => {
  const key = await t.keyWith('customers:write', 'customers:read');
  const created = await t.as(key).post('/v1/customers').send({ name: 'Audited' });
  const rows = await t.db.knex('events').where({ entity_id: created.body.id });
  expect(rows).toHaveLength(1);
  expect(rows[0].actor_name).toBe('test customers:write customers:read');
  expect(rows[0].request_id).toBe(created.headers['x-request-id']);
});
