import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type Redis from 'ioredis';
import { HttpError } from '../http/http-errors';

export interface RateLimitOptions {
  max: number;
  timeWindowMs: number;
  /** With a client the count is shared by every instance on that Redis; without, per process. */
  redis?: Redis;
  /** Prefix of the counters' Redis keys (REDIS_KEY_PREFIX). */
  keyPrefix?: string;
}

/**
 * Per-key limits (per address for public routes), counted after auth so one noisy
 * integration cannot starve the others. Answers 429 with Retry-After. With Redis the windows
 * are counted there, so N instances behind a balancer allow the documented rate, not N times
 * it; when Redis fails a request is let through uncounted (skipOnError) rather than answered
 * 500, and the client logs the outage once (redis-client.ts, docs/SCALING.md).
 */
async function rateLimitPlugin(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: options.timeWindowMs,
    hook: 'onRequest',
    ...(options.redis
      ? { redis: options.redis, nameSpace: `${options.keyPrefix ?? ''}rate-limit:`, skipOnError: true }
      : {}),
    keyGenerator: (request) => (request.principal ? `key:${request.principal.id}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) => {
      const error = new HttpError(429, 'rate_limited', {
        max: context.max,
        window: context.after,
        seconds: Math.ceil(context.ttl / 1000),
      });
      (error as unknown as { statusCode: number }).statusCode = 429;
      return error;
    },
  });
}

export default fp(rateLimitPlugin, { name: 'rate-limit', dependencies: ['auth'] });
