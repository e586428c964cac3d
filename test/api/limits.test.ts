import { ApiKeyRepository } from '../../src/modules/api-keys/repository';
import { ApiKeyService } from '../../src/modules/api-keys/service';
import { countCustomers } from '../helpers/customers';
import { expectProblem } from '../helpers/problem';
import { createTestApp, type TestApp } from '../helpers/test-app';

// Five requests per key and minute, and bodies up to 2 KiB, so the limits are cheap to reach.
// Each test uses a key of its own: the rate limit counts per API key.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    RATE_LIMIT_MAX: '5',
    RATE_LIMIT_WINDOW_MS: '60000',
    BODY_LIMIT_BYTES: '2048',
    AUTH_FAILURE_MAX: '3',
    TRUST_PROXY: 'true',
  });
}, 120_000);
afterAll(async () => t.close());

describe('rate limit', () => {
  test('the request after the limit is 429 with Retry-After; other keys are unaffected', async () => {
    const key = await t.keyWith('customers:read');
    for (let i = 0; i < 5; i += 1) {
      const res = await t.as(key).get('/v1/customers');
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('5');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(4 - i));
    }
    const limited = await t.as(key).get('/v1/customers');
    const problem = expectProblem(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(problem.detail).toMatch(/retry/i);

    const other = await t.keyWith('customers:read');
    expect((await t.as(other).get('/v1/customers')).status).toBe(200);
  });
});

describe('failed authentications', () => {
  // Addresses come from X-Forwarded-For (TRUST_PROXY=true), so each test has its own client.
  const from = (address: string) => t.http().set('x-forwarded-for', address);
  const listFrom = (address: string, authorization: string) =>
    from(address).get('/v1/customers').set('authorization', authorization);
  // Keys made straight through the service: the admin key's five requests a minute go to the
  // other tests of this file.
  const newKey = async () =>
    (
      await new ApiKeyService(new ApiKeyRepository(t.db.knex), () => new Date(), 0).create(
        'auth test',
        ['customers:read'],
        null,
      )
    ).key;

  test('after three failures an address gets 429 with Retry-After, even with a valid key', async () => {
    const key = await newKey();
    for (const authorization of ['Bearer not-a-key', 'Bearer also-wrong', 'Basic abc']) {
      expectProblem(await listFrom('203.0.113.7', authorization), 401, 'unauthorized');
    }
    const blocked = await listFrom('203.0.113.7', `Bearer ${key}`);
    const problem = expectProblem(blocked, 429, 'rate_limited');
    expect(problem.detail).toMatch(/failed authentications/);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another address, and public routes, are unaffected.
    expect((await listFrom('203.0.113.8', `Bearer ${key}`)).status).toBe(200);
    expect((await from('203.0.113.7').get('/healthz')).status).toBe(200);
  });

  test('successful requests do not count as failures', async () => {
    const key = await newKey();
    for (let i = 0; i < 2; i += 1) {
      expect((await listFrom('198.51.100.1', 'Bearer wrong')).status).toBe(401);
    }
    expect((await listFrom('198.51.100.1', `Bearer ${key}`)).status).toBe(200);
    expect((await listFrom('198.51.100.1', 'Bearer wrong')).status).toBe(401);
    expect((await listFrom('198.51.100.1', `Bearer ${key}`)).status).toBe(429);
  });
});

describe('body limit', () => {
  test('a body over the limit is 413 and writes nothing', async () => {
    const key = await t.keyWith('customers:write');
    const before = await countCustomers(t);
    const res = await t
      .as(key)
      .post('/v1/customers')
      .send({ name: 'Big', notes: 'x'.repeat(4000) });
    expectProblem(res, 413, 'payload_too_large');
    expect(await countCustomers(t)).toBe(before);
    const small = await t
      .as(key)
      .post('/v1/customers')
      .send({ name: 'Small', notes: 'x'.repeat(1000) });
    expect(small.status).toBe(201);
  });
});

describe('media types', () => {
  test('a body that is not JSON is 415 and writes nothing', async () => {
    const key = await t.keyWith('customers:write');
    const before = await countCustomers(t);
    const text = await t
      .as(key)
      .post('/v1/customers')
      .set('content-type', 'text/plain')
      .send('{"name":"Plain"}');
    expectProblem(text, 415, 'unsupported_media_type');
    const form = await t
      .as(key)
      .post('/v1/customers')
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('name=Form');
    expectProblem(form, 415, 'unsupported_media_type');
    const xml = await t
      .as(key)
      .patch('/v1/customers/0192f3c4-0000-7000-8000-000000000000')
      .set('content-type', 'application/xml')
      .send('<a/>');
    expectProblem(xml, 415, 'unsupported_media_type');
    expect(await countCustomers(t)).toBe(before);
  });

  test('application/json with a charset is accepted', async () => {
    const key = await t.keyWith('customers:write');
    const res = await t
      .as(key)
      .post('/v1/customers')
      .set('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ name: 'Charset' }));
    expect(res.status).toBe(201);
  });
});
