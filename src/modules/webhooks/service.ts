import dns from 'node:dns/promises';
import type { Knex } from 'knex';
import { isUuid, newId } from '../../db/ids';
import { addressRefusal, generateSecret, isValidSecret, urlRefusal } from '../../domain/webhooks';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  UnprocessableError,
  ValidationError,
} from '../../http/http-errors';
import { encodeCursor } from '../../http/pagination';
import { describeEventType, EVENT_TYPES } from '../events/event-types';
import type { AttemptRow, DeliveryRepository, DeliveryRow } from './delivery-repository';
import type { DeliveryQuery, ReplayBody, WebhookCreate, WebhookPatch } from './schemas';
import type { SubscriptionChanges, SubscriptionRepository, SubscriptionRow } from './subscription-repository';

/** After a rotation the old secret signs beside the new one this long (docs/webhooks.md). */
export const PREVIOUS_SECRET_HOURS = 24;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function webhookView(row: SubscriptionRow, now: Date) {
  const previousLive = row.previous_secret_until !== null && new Date(row.previous_secret_until) > now;
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.event_types,
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    previousSecretExpiresAt: previousLive ? iso(row.previous_secret_until) : null,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

function deliveryView(row: DeliveryRow, attempts: AttemptRow[]) {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    attempts: attempts.map((a) => ({
      at: iso(a.at)!,
      statusCode: a.status_code,
      latencyMs: a.latency_ms,
      responseBody: a.response_body,
      error: a.error,
    })),
  };
}

export interface WebhookServiceOptions {
  allowPrivate: boolean;
  /** Wakes the worker after a retry or replay, so it does not wait for its next poll. */
  onQueued?: () => void;
}

/** Webhook subscriptions and their delivery logs (docs/webhooks.md). */
export class WebhookService {
  constructor(
    private readonly knex: Knex,
    private readonly subscriptions: SubscriptionRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly clock: () => Date,
    private readonly options: WebhookServiceOptions,
  ) {}

  eventTypes() {
    return { data: EVENT_TYPES.map((type) => ({ type, description: describeEventType(type) })) };
  }

  /**
   * Refuses a URL the policy forbids: its scheme, a literal address, or a host that resolves
   * to a refused address now. A host that does not resolve yet is accepted; each attempt
   * checks again (docs/webhooks.md "Addresses").
   */
  private async checkUrl(text: string): Promise<void> {
    const refuse = (reason: string) => {
      throw new UnprocessableError('webhook_url_not_allowed', { url: text, reason }, [
        { path: 'body/url', message: reason },
      ]);
    };
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return refuse('it is not an absolute URL');
    }
    const refusal = urlRefusal(url, this.options.allowPrivate);
    if (refusal) return refuse(refusal);
    if (this.options.allowPrivate) return;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = await dns.lookup(host, { all: true }).catch(() => []);
    for (const a of addresses) {
      const refused = addressRefusal(a.address, false);
      if (refused) return refuse(`${host} resolves to ${a.address}, ${refused.replace(/^\S+ is /, '')}`);
    }
  }

  private async load(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<SubscriptionRow> {
    const row = isUuid(id) ? await this.subscriptions.find(id, trx, forUpdate) : undefined;
    if (!row) throw new NotFoundError('webhook_not_found', { id });
    return row;
  }

  async create(input: WebhookCreate) {
    if (input.secret !== undefined && !isValidSecret(input.secret))
      throw new ValidationError({ summary: 'body/secret: the key must be 24 to 64 bytes' }, [
        { path: 'body/secret', message: 'must be whsec_ and the base64 of 24 to 64 bytes' },
      ]);
    await this.checkUrl(input.url);
    const now = this.clock();
    const secret = input.secret ?? generateSecret();
    const row = await this.knex.transaction((trx) =>
      this.subscriptions.insert(
        {
          id: newId(),
          url: input.url,
          event_types: input.eventTypes.includes('*') ? ['*'] : [...input.eventTypes],
          description: input.description ?? null,
          enabled: true,
          disabled_reason: null,
          secret,
          previous_secret: null,
          previous_secret_until: null,
          created_at: now,
          updated_at: now,
        },
        trx,
      ),
    );
    return { ...webhookView(row, now), secret };
  }

  async get(id: string) {
    const row = await this.load(id);
    return { view: webhookView(row, this.clock()), version: row.version };
  }

  async list(limit: number, beforeId?: string) {
    const rows = await this.subscriptions.list(limit + 1, beforeId);
    const now = this.clock();
    const page = rows.slice(0, limit);
    return {
      data: page.map((r) => webhookView(r, now)),
      nextCursor:
        rows.length > limit ? encodeCursor({ sort: 'id', value: null, id: page[page.length - 1]!.id }) : null,
    };
  }

  async update(id: string, patch: WebhookPatch, expectVersion: (current: number) => void) {
    if (patch.url !== undefined) await this.checkUrl(patch.url);
    const now = this.clock();
    return this.knex.transaction(async (trx) => {
      const row = await this.load(id, trx, true);
      expectVersion(row.version);
      const changes: SubscriptionChanges = {};
      if (patch.url !== undefined) changes.url = patch.url;
      if (patch.eventTypes !== undefined)
        changes.event_types = patch.eventTypes.includes('*') ? ['*'] : [...patch.eventTypes];
      if (patch.description !== undefined) changes.description = patch.description;
      if (patch.enabled !== undefined) {
        changes.enabled = patch.enabled;
        // Resuming starts the failure clock afresh; the reason of a disable goes with it.
        if (patch.enabled) Object.assign(changes, { disabled_reason: null, failing_since: null });
      }
      const updated = await this.subscriptions.update(id, changes, now, trx);
      if (patch.enabled) this.options.onQueued?.();
      return { view: webhookView(updated, now), version: updated.version };
    });
  }

  async remove(id: string): Promise<void> {
    await this.knex.transaction(async (trx) => {
      await this.load(id, trx, true);
      await this.subscriptions.delete(id, trx);
    });
  }

  /** A new secret; the old one keeps signing beside it for 24 hours. */
  async rotateSecret(id: string) {
    const now = this.clock();
    const until = new Date(now.getTime() + PREVIOUS_SECRET_HOURS * 3600_000);
    const secret = generateSecret();
    await this.knex.transaction(async (trx) => {
      const row = await this.load(id, trx, true);
      await this.subscriptions.update(
        id,
        { secret, previous_secret: row.secret, previous_secret_until: until },
        now,
        trx,
      );
    });
    return { secret, previousSecretExpiresAt: until.toISOString() };
  }

  async deliveryLog(id: string, query: DeliveryQuery, beforeOrd?: string) {
    await this.load(id);
    const limit = query.limit ?? 50;
    const rows = await this.deliveries.log({
      subscriptionId: id,
      status: query.status,
      eventType: query.eventType,
      beforeOrd,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const attempts = await this.deliveries.attemptsOf(page.map((r) => r.id));
    const byDelivery = new Map<string, AttemptRow[]>();
    for (const a of attempts) {
      const list = byDelivery.get(a.delivery_id) ?? [];
      list.push(a);
      byDelivery.set(a.delivery_id, list);
    }
    const last = page[page.length - 1];
    return {
      data: page.map((r) => deliveryView(r, byDelivery.get(r.id) ?? [])),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ sort: 'ord', value: String(last.ord), id: last.id })
          : null,
    };
  }

  async retry(id: string, deliveryId: string) {
    await this.load(id);
    const now = this.clock();
    const row = isUuid(deliveryId) ? await this.deliveries.retry(id, deliveryId, now) : undefined;
    if (!row) {
      const existing = isUuid(deliveryId) ? await this.deliveries.find(id, deliveryId) : undefined;
      if (!existing) throw new NotFoundError('webhook_delivery_not_found', { webhookId: id, id: deliveryId });
      throw new ConflictError('webhook_delivery_open', { id: deliveryId, status: existing.status });
    }
    this.options.onQueued?.();
    const attempts = await this.deliveries.attemptsOf([row.id]);
    return deliveryView(row, attempts);
  }

  async replay(id: string, body: ReplayBody) {
    await this.load(id);
    const from = new Date(body.from);
    const to = body.to === undefined ? null : new Date(body.to);
    if (to !== null && to < from)
      throw new BadRequestError('invalid_range', {}, [{ path: 'body/to', message: 'is before from' }]);
    const queued = await this.deliveries.replay(
      id,
      { from, to, types: body.eventTypes ?? null },
      this.clock(),
    );
    if (queued > 0) this.options.onQueued?.();
    return { queued };
  }
}
