import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { Database } from '../../src/db/create-database';
import { createTestAppOn, type TestApp } from '../helpers/test-app';
import { createTestDatabase } from '../helpers/test-database';

/**
 * Two instances behind a balancer share one limit when REDIS_URL is set (docs/SCALING.md): two
 * apps on one database and one Redis, requests alternating between them. Each test uses a key
 * prefix of its own, so parallel runs and the tests here never count each other's requests.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let db: Database;
let redis: Redis | undefined;
const prefixes: string[] = [];

async function redisReachable(): Promise<Redis | undefined> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    enableOfflineQueue: false,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch {
    client.disconnect();
    return undefined;
  }
}

/** Two instances on the shared database, counting under a fresh prefix. */
async function twoInstances(overrides: Record<string, string>): Promise<[TestApp, TestApp]> {
  const prefix = `crm-test:${randomBytes(6).toString('hex')}:`;
  prefixes.push(prefix);
  const settings = { REDIS_URL, REDIS_KEY_PREFIX: prefix, ...overrides };
  return [await createTestAppOn(db, settings), await createTestAppOn(db, settings)];
}

async function closeAll(...apps: TestApp[]): Promise<void> {
  await Promise.all(apps.map((t) => t.close()));
}

/** Jest cannot skip a test once it runs, so the tests return early with this notice. */
function skipped(): boolean {
  if (redis) return false;
  console.warn(
    `SKIPPED shared rate limit: no Redis answers at ${REDIS_URL} (set REDIS_URL or start redis-server).`,
  );
  return true;
}

beforeAll(async () => {
  db = await createTestDatabase();
  redis = await redisReachable();
});

afterAll(async () => {
  if (redis) {
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await redis.quit();
  }
  await db.close();
});

describe('the rate limit across two instances on one Redis', () => {
  it('answers the (max+1)th request 429 with Retry-After, whichever instance gets it', async () => {
    if (skipped()) return;
    const max = 6;
    const instances = await twoInstances({ RATE_LIMIT_MAX: String(max), RATE_LIMIT_WINDOW_MS: '60000' });
    try {
      for (let n = 1; n <= max; n += 1) {
        const response = await instances[n % 2]!.admin().get('/v1/api-keys');
        expect(response.status).toBe(200);
        // The remaining count goes down across both instances, not per instance.
        expect(response.headers['x-ratelimit-remaining']).toBe(String(max - n));
      }
      // Each instance has seen only 3 requests: a per-process count would still allow this one.
      const over = await instances[(max + 1) % 2]!.admin().get('/v1/api-keys');
      expect(over.status).toBe(429);
      expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(over.body.code).toBe('rate_limited');
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      const other = await instances[max % 2]!.admin().get('/v1/api-keys');
      expect(other.status).toBe(429);
    } finally {
      await closeAll(...instances);
    }
  });

  it('counts failed authentications of one address across instances', async () => {
    if (skipped()) return;
    const [a, b] = await twoInstances({ AUTH_FAILURE_MAX: '4', RATE_LIMIT_WINDOW_MS: '60000' });
    try {
      const wrong = (t: TestApp) => t.as('crm_not-a-key-of-this-server-000000').get('/v1/customers');
      for (const t of [a, b, a, b]) expect((await wrong(t)).status).toBe(401);
      // b made the fourth failure and knows the shared count: blocked, even for a good key.
      const blocked = await b.admin().get('/v1/customers');
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      // a last saw three; its next failure teaches it the total, and it blocks too.
      expect((await wrong(a)).status).toBe(401);
      expect((await a.admin().get('/v1/customers')).status).toBe(429);
    } finally {
      await closeAll(a, b);
    }
  });
});

describe('with Redis unreachable', () => {
  it('starts and serves every request (uncounted) instead of failing', async () => {
    const t = await createTestAppOn(db, {
      REDIS_URL: 'redis://127.0.0.1:1',
      RATE_LIMIT_MAX: '2',
      AUTH_FAILURE_MAX: '2',
    });
    try {
      for (let n = 0; n < 4; n += 1) expect((await t.admin().get('/v1/api-keys')).status).toBe(200);
      // Failed authentications are still counted by this process alone.
      const wrong = () => t.as('crm_not-a-key-of-this-server-000000').get('/v1/customers');
      expect((await wrong()).status).toBe(401);
      expect((await wrong()).status).toBe(401);
      expect((await wrong()).status).toBe(429);
    } finally {
      await t.close();
    }
  });
});
