import { createTestAppOn, type TestApp } from '../helpers/test-app';
import { createTestDatabase } from '../helpers/test-database';

/**
 * In-process, on either database: once the database under a running app is closed (PGlite closed,
 * the pool destroyed), requests and the readiness check answer 503 database_unavailable, not 500.
 */
describe('the database closed under the app', () => {
  let t: TestApp;

  beforeAll(async () => {
    const db = await createTestDatabase();
    t = await createTestAppOn(db);
    expect((await t.admin().get('/v1/customers')).status).toBe(200);
    await db.close();
  });

  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['a read', () => t.admin().get('/v1/customers?limit=1')],
    ['a write', () => t.admin().post('/v1/customers').send({ name: 'Nowhere' })],
    [
      'a keyed write',
      () => t.admin().post('/v1/customers').set('idempotency-key', 'k1').send({ name: 'Nowhere' }),
    ],
    ['the readiness check', () => t.http().get('/readyz')],
  ])('%s answers 503 database_unavailable with Retry-After', async (_what, send) => {
    const res = await send();
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body.code).toBe('database_unavailable');
  });

  it('still answers the liveness check', async () => {
    expect((await t.http().get('/healthz')).status).toBe(200);
  });
});
