import type { InteractionRow } from './repository';
import type { Interaction } from './schemas';

const iso = (d: Date | string) => new Date(d).toISOString();

/** An interaction as its GET answers it (and as its events carry it). */
export function toInteraction(row: InteractionRow): Interaction {
  return {
    id: row.id,
    externalId: row.external_id,
    customerId: row.customer_id,
    contactId: row.contact_id,
    channel: row.channel as Interaction['channel'],
    direction: row.direction as Interaction['direction'],
    employee: row.employee,
    occurredAt: iso(row.occurred_at),
    durationSeconds: row.duration_seconds,
    subject: row.subject,
    summary: row.summary,
    orderId: row.order_id,
    serviceRecordId: row.service_record_id,
    complaintId: row.complaint_id,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** What a write compares to decide created / updated / unchanged, and what the audit lists. */
export interface InteractionState {
  externalId: string | null;
  customerId: string;
  contactId: string | null;
  channel: string;
  direction: string;
  employee: string | null;
  occurredAt: string;
  durationSeconds: number | null;
  subject: string | null;
  summary: string | null;
  orderId: string | null;
  serviceRecordId: string | null;
  complaintId: string | null;
}

export function stateOf(row: InteractionRow): InteractionState {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...state } = toInteraction(row);
  return state;
}

export const columnsOf = (s: InteractionState) => ({
  external_id: s.externalId,
  customer_id: s.customerId,
  contact_id: s.contactId,
  channel: s.channel,
  direction: s.direction,
  employee: s.employee,
  occurred_at: new Date(s.occurredAt),
  duration_seconds: s.durationSeconds,
  subject: s.subject,
  summary: s.summary,
  order_id: s.orderId,
  service_record_id: s.serviceRecordId,
  complaint_id: s.complaintId,
});
