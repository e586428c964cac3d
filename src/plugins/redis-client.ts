import type { FastifyBaseLogger } from 'fastify';
import Redis from 'ioredis';

/** How long start-up waits for Redis before it serves without it. */
const READY_WAIT_MS = 2000;

/**
 * The Redis client behind the shared counters (REDIS_URL; docs/SCALING.md). It fails fast
 * instead of queueing: while Redis is unreachable a command errors at once (no offline queue)
 * or after COMMAND_TIMEOUT_MS, and the counters then let the request through uncounted, so an
 * outage of Redis costs the limits, never the service. It reconnects by itself; one warning
 * is logged when it is lost and one line when it is back, not one per request.
 */
export async function connectRedis(url: string, log: FastifyBaseLogger): Promise<Redis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: 500,
    // Reconnect every 0.1 s at first, then every 2 s, for as long as it takes.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  let reachable: boolean | undefined;
  redis.on('ready', () => {
    if (reachable === false) log.info('Redis is reachable again: the limits are shared again');
    reachable = true;
  });
  redis.on('error', (err: Error) => {
    if (reachable === false) return;
    reachable = false;
    log.warn(
      { err: { message: err.message } },
      'Redis is unreachable: until it is back the rate limit counts nothing and failed authentications are counted per process',
    );
  });
  await waitUntilReady(redis);
  return redis;
}

async function waitUntilReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, READY_WAIT_MS);
    redis.on('ready', done);
  });
}

/** Closes the client: politely when connected, at once when not (QUIT would fail). */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}
