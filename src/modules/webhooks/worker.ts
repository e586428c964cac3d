import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { deliveryBody, nextAttemptAt, signatureHeader, type RetrySchedule } from '../../domain/webhooks';
import type { DeliveryRepository, DeliveryRow } from './delivery-repository';
import type { AttemptResult } from './sender';
import type { SubscriptionRepository, SubscriptionRow } from './subscription-repository';

export interface WorkerOptions {
  pollIntervalMs: number;
  concurrency: number;
  leaseMs: number;
  schedule: RetrySchedule;
  disableAfterMs: number;
}

export interface WorkerDeps {
  deliveries: DeliveryRepository;
  subscriptions: SubscriptionRepository;
  send: (url: string, headers: Record<string, string>, body: string) => Promise<AttemptResult>;
  clock: () => Date;
  log: FastifyBaseLogger;
  random?: () => number;
}

/** Outbox batches fanned out per tick: bounded, so one tick stays short after a large import. */
const FAN_OUT_BATCHES = 200;

/** The secrets that sign now: the current one, and the previous one in its 24 hours after a rotation. */
export function liveSecrets(subscription: SubscriptionRow, now: Date): string[] {
  const previous =
    subscription.previous_secret !== null &&
    subscription.previous_secret_until !== null &&
    new Date(subscription.previous_secret_until) > now
      ? [subscription.previous_secret]
      : [];
  return [subscription.secret, ...previous];
}

/**
 * Delivers the outbox to subscriptions (docs/webhooks.md): each tick fans new events out,
 * claims what is due (in order per subscription and customer) and sends it, up to
 * `concurrency` at once. A finished attempt starts the next tick at once, so a customer's
 * next event does not wait for the poll interval.
 */
export class WebhookWorker {
  readonly owner = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: WorkerDeps,
    private readonly options: WorkerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Stops polling and waits for the attempts in flight (each ends within its timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Runs a tick now, or right after the one running. */
  kick(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.ticking = this.tick().finally(() => {
      this.ticking = null;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.kick();
      } else {
        this.timer = setTimeout(() => this.kick(), this.options.pollIntervalMs);
      }
    });
  }

  private async tick(): Promise<void> {
    try {
      const now = this.deps.clock();
      await this.deps.deliveries.fanOut(now, FAN_OUT_BATCHES);
      const free = this.options.concurrency - this.inFlight.size;
      if (free <= 0 || this.stopped) return;
      const claimed = await this.deps.deliveries.claim(
        this.owner,
        now,
        new Date(now.getTime() + this.options.leaseMs),
        free,
      );
      if (claimed.length === 0) return;
      if (this.stopped) {
        await this.deps.deliveries.release(
          claimed.map((d) => d.id),
          this.owner,
        );
        return;
      }
      const events = await this.deps.deliveries.eventsOf(claimed);
      const subscriptions = await this.deps.subscriptions.findMany([
        ...new Set(claimed.map((d) => d.subscription_id)),
      ]);
      for (const delivery of claimed) {
        const attempt = this.attempt(
          delivery,
          subscriptions.get(delivery.subscription_id),
          events.get(`${delivery.batch_id}:${delivery.n}`),
        );
        this.inFlight.add(attempt);
        void attempt.finally(() => {
          this.inFlight.delete(attempt);
          this.kick();
        });
      }
    } catch (error) {
      this.deps.log.warn({ err: error }, 'webhook worker tick failed');
    }
  }

  private async attempt(
    delivery: DeliveryRow,
    subscription: SubscriptionRow | undefined,
    event: Parameters<typeof deliveryBody>[0] | undefined,
  ) {
    try {
      if (!subscription) return; // deleted meanwhile: its deliveries went with it
      let result: AttemptResult;
      const at = this.deps.clock();
      if (!event) {
        result = {
          ok: false,
          statusCode: null,
          latencyMs: 0,
          responseBody: null,
          error: 'the outbox no longer holds this event (EVENT_RETENTION_DAYS)',
        };
      } else {
        const body = deliveryBody(event);
        const timestamp = Math.floor(at.getTime() / 1000);
        result = await this.deps.send(
          subscription.url,
          {
            'webhook-id': event.id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signatureHeader(liveSecrets(subscription, at), event.id, timestamp, body),
          },
          body,
        );
      }
      const finishedAt = this.deps.clock();
      const next = result.ok
        ? null
        : event
          ? nextAttemptAt(
              this.options.schedule,
              delivery.attempt_count + 1,
              finishedAt,
              (this.deps.random ?? Math.random)(),
            )
          : null;
      const recorded = await this.deps.deliveries.recordAttempt(
        delivery,
        this.owner,
        {
          at,
          status_code: result.statusCode,
          latency_ms: result.latencyMs,
          response_body: result.responseBody,
          error: result.error,
        },
        result.ok ? { succeeded: true } : { succeeded: false, nextAttemptAt: next },
      );
      // A healthy subscription's success changes nothing about it: no statement.
      if (!recorded || (result.ok && subscription.failing_since === null)) return;
      const disabled = await this.deps.deliveries.noteOutcome(
        subscription.id,
        result.ok,
        finishedAt,
        this.options.disableAfterMs,
      );
      if (disabled)
        this.deps.log.warn({ webhookId: subscription.id, reason: disabled }, 'webhook subscription disabled');
    } catch (error) {
      // The lease runs out and the delivery is taken again: nothing is lost.
      this.deps.log.warn({ err: error, deliveryId: delivery.id }, 'webhook attempt could not be recorded');
    }
  }
}
