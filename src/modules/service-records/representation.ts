import { createHash } from 'node:crypto';
import { factorFor, slaStatus } from '../../domain/service/sla';
import { allowedServiceMoves, minutesBetween, type ServiceStatus } from '../../domain/service/service-status';
import type { ServiceRecordView } from './repository';
import type { ServiceRecord } from './schemas';

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
const date = (d: Date | null) => (d === null ? null : new Date(d));

/** A record as its GET answers it, its SLA measured at `now`. */
export function toServiceRecord(
  row: ServiceRecordView,
  now: Date,
  factors: Readonly<Record<string, number>>,
): ServiceRecord {
  const openedAt = new Date(row.opened_at);
  const firstResponseAt = date(row.first_response_at);
  const resolvedAt = date(row.resolved_at);
  const hasTargets = row.sla_first_response_minutes !== null && row.sla_resolve_minutes !== null;
  return {
    id: row.id,
    externalId: row.external_id,
    customerId: row.customer_id,
    contactId: row.contact_id,
    productId: row.product_id,
    type: row.type,
    priority: row.priority,
    status: row.status,
    allowedTransitions: [...allowedServiceMoves(row.status as ServiceStatus)],
    subject: row.subject,
    description: row.description,
    assignee: row.assignee,
    resolution: row.resolution,
    openedAt: openedAt.toISOString(),
    firstResponseAt: iso(firstResponseAt),
    resolvedAt: iso(resolvedAt),
    closedAt: iso(row.closed_at),
    reopenCount: row.reopen_count,
    timeToFirstResponseMinutes: minutesBetween(openedAt, firstResponseAt),
    timeToResolveMinutes: minutesBetween(openedAt, resolvedAt),
    sla: hasTargets
      ? slaStatus(
          { openedAt, firstResponseAt, resolvedAt },
          { firstResponseMinutes: row.sla_first_response_minutes!, resolveMinutes: row.sla_resolve_minutes! },
          factorFor(factors, row.value_class),
          row.value_class,
          now,
        )
      : null,
    valueAtStake: row.value_at_stake === null ? null : Number(row.value_at_stake),
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/**
 * The ETag's derived part: the SLA and the value at stake move without a write of the
 * caller's (time passes, a run finishes), so a copy showing other figures is not current.
 */
export function derivedTag(record: ServiceRecord): string {
  return createHash('sha256')
    .update(JSON.stringify([record.sla, record.valueAtStake]))
    .digest('base64url')
    .slice(0, 10);
}
