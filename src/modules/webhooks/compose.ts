import type { FastifyBaseLogger } from 'fastify';
import type { Knex } from 'knex';
import type { Config } from '../../config';
import { parseDuration, parseRetrySchedule } from '../../domain/webhooks';
import { DeliveryRepository } from './delivery-repository';
import { postOnce } from './sender';
import { WebhookService } from './service';
import { SubscriptionRepository } from './subscription-repository';
import { WebhookWorker } from './worker';

function durationOf(name: string, text: string): number {
  const value = parseDuration(text);
  if (value === null) throw new Error(`${name} must be a duration such as 5d or 12h`);
  return value;
}

/** The webhook service and its worker from the configuration; refuses to boot on a bad schedule. */
export function composeWebhooks(
  knex: Knex,
  config: Config,
  clock: () => Date,
  log: FastifyBaseLogger,
): { service: WebhookService; worker: WebhookWorker } {
  const schedule = parseRetrySchedule(config.WEBHOOK_RETRY_SCHEDULE);
  if (!schedule) throw new Error('WEBHOOK_RETRY_SCHEDULE must be comma-separated durations such as 5s,5m,2h');
  const subscriptions = new SubscriptionRepository(knex);
  const deliveries = new DeliveryRepository(knex);
  const sender = { timeoutMs: config.WEBHOOK_TIMEOUT_MS, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE };
  const worker = new WebhookWorker(
    {
      deliveries,
      subscriptions,
      send: (url, headers, body) => postOnce(url, headers, body, sender),
      clock,
      log,
    },
    {
      pollIntervalMs: config.WEBHOOK_POLL_INTERVAL_MS,
      concurrency: config.WEBHOOK_CONCURRENCY,
      leaseMs: config.WEBHOOK_LEASE_MS,
      schedule,
      disableAfterMs: durationOf('WEBHOOK_DISABLE_AFTER', config.WEBHOOK_DISABLE_AFTER),
    },
  );
  const service = new WebhookService(knex, subscriptions, deliveries, clock, {
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
    onQueued: () => worker.kick(),
  });
  return { service, worker };
}
