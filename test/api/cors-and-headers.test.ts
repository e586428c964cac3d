import { expectProblem } from '../helpers/problem';
import { createTestApp, createTestAppOn, type TestApp } from '../helpers/test-app';

const ALLOWED = 'https://app.example.com';
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ CORS_ORIGINS: `${ALLOWED}, https://admin.example.com` });
}, 120_000);
afterAll(async () => t.close());

describe('CORS', () => {
  test('an allowed origin is answered with its name and the exposed headers', async () => {
    const res = await t.admin().get('/v1/customers').set('origin', ALLOWED);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers.vary).toMatch(/origin/i);
    const exposed = String(res.headers['access-control-expose-headers']).split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['etag', 'location', 'retry-after', 'x-request-id']));
    const second = await t.admin().get('/v1/customers').set('origin', 'https://admin.example.com');
    expect(second.headers['access-control-allow-origin']).toBe('https://admin.example.com');
  });

  test('another origin gets no CORS grant', async () => {
    const res = await t.admin().get('/v1/customers').set('origin', 'https://evil.example.com');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const lookalike = await t.admin().get('/v1/customers').set('origin', `${ALLOWED}.evil.example.com`);
    expect(lookalike.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('a preflight needs no API key and allows the API methods and headers', async () => {
    const res = await t
      .http()
      .options('/v1/customers/0192f3c4-0000-7000-8000-000000000000')
      .set('origin', ALLOWED)
      .set('access-control-request-method', 'PATCH')
      .set('access-control-request-headers', 'authorization, content-type, if-match, idempotency-key');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    const methods = String(res.headers['access-control-allow-methods']).split(/,\s*/);
    expect(methods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']));
    const headers = String(res.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/);
    expect(headers).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'if-match', 'idempotency-key']),
    );
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
  });

  test('a preflight from another origin gets no grant', async () => {
    const res = await t
      .http()
      .options('/v1/customers')
      .set('origin', 'https://evil.example.com')
      .set('access-control-request-method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('with CORS_ORIGINS empty no origin is granted', async () => {
    const closed = await createTestAppOn(t.db, { CORS_ORIGINS: '' });
    try {
      const res = await closed.admin().get('/v1/customers').set('origin', ALLOWED);
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await closed.close();
    }
  });
});

describe('X-Request-Id', () => {
  test('a well-formed id sent by the caller is echoed', async () => {
    const res = await t.admin().get('/v1/customers').set('x-request-id', 'erp-sync:batch-42.7');
    expect(res.headers['x-request-id']).toBe('erp-sync:batch-42.7');
  });

  test('without one, each response gets a fresh id', async () => {
    const a = await t.admin().get('/v1/customers');
    const b = await t.admin().get('/v1/customers');
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  test('errors carry the id in the header and in the problem instance', async () => {
    const unauthorized = await t.http().get('/v1/customers').set('x-request-id', 'req-401');
    expect(unauthorized.headers['x-request-id']).toBe('req-401');
    expect(expectProblem(unauthorized, 401).instance).toBe('/v1/customers#req-401');
    const missing = await t.admin().get('/v1/customers/nope').set('x-request-id', 'req-404');
    expect(missing.headers['x-request-id']).toBe('req-404');
    expect(expectProblem(missing, 404).instance).toBe('/v1/customers/nope#req-404');
  });

  test('an id that is too long or has odd characters is replaced, not echoed', async () => {
    for (const bad of ['has spaces in it', 'x'.repeat(200), '<script>']) {
      const res = await t.admin().get('/v1/customers').set('x-request-id', bad);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('security headers', () => {
  test.each([
    ['a success', (): Promise<{ headers: Record<string, string> }> => t.admin().get('/v1/customers')],
    ['an auth error', () => t.http().get('/v1/customers')],
    ['an unknown route', () => t.http().get('/nowhere')],
    ['the health check', () => t.http().get('/healthz')],
  ])('helmet headers on %s', async (_label, request) => {
    const res = await request();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
