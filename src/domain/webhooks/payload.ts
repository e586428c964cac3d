/**
 * The body of a delivery (docs/webhooks.md "Attempts and retries"), built from the stored
 * event alone so that every attempt and replay of it sends the same bytes.
 */
export interface StoredEvent {
  id: string;
  type: string;
  occurredAt: Date;
  entityType: string;
  entityId: string;
  customerId: string | null;
  runId: string | null;
  data: unknown;
  changes: Array<{ field: string; from: unknown; to: unknown }> | null;
  actorKeyId: string | null;
  actorName: string | null;
  requestId: string | null;
}

/** Events about a customer's value: their data also names the old and new value and the CLV at stake. */
export const VALUE_EVENT_TYPES = new Set([
  'customer.value_class_changed',
  'customer.rfm_segment_changed',
  'customer.churn_status_changed',
  'customer.p_alive_dropped',
]);

function predictedClvOf(object: unknown): number | null {
  if (object === null || typeof object !== 'object') return null;
  const o = object as { predictedClv?: unknown; value?: { clv?: unknown } | null };
  if (typeof o.predictedClv === 'number') return o.predictedClv;
  return typeof o.value?.clv === 'number' ? o.value.clv : null;
}

export function deliveryBody(event: StoredEvent): string {
  const data: Record<string, unknown> = {
    id: event.id,
    entityType: event.entityType,
    entityId: event.entityId,
    customerId: event.customerId,
    runId: event.runId,
    object: event.data,
    changes: event.changes,
    actor: { keyId: event.actorKeyId, name: event.actorName },
    requestId: event.requestId,
  };
  if (VALUE_EVENT_TYPES.has(event.type)) {
    const change = event.changes?.[0];
    data.oldValue = change?.from ?? null;
    data.newValue = change?.to ?? null;
    data.predictedClv = predictedClvOf(event.data);
  }
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data });
}
