import type { Knex } from 'knex';
import { newId } from '../../db/ids';
import type { FieldChange } from './field-changes';

export interface AuditEntry {
  entityType: string;
  entityId: string;
  action: string;
  actorKeyId: string | null;
  actorName: string | null;
  requestId: string | null;
  changes: FieldChange[];
  at: Date;
}

export interface AuditRow {
  id: string;
  entity_type: string;
  entity_id: string;
  action: string;
  actor_key_id: string | null;
  actor_name: string | null;
  request_id: string | null;
  changes: FieldChange[];
  at: Date;
}

/** Who changed what and when; written in the same transaction as the change itself. */
export class AuditRepository {
  constructor(private readonly knex: Knex) {}

  async record(entries: AuditEntry[], trx?: Knex.Transaction): Promise<void> {
    if (entries.length === 0) return;
    await (trx ?? this.knex)('audit_log').insert(
      entries.map((e) => ({
        id: newId(),
        entity_type: e.entityType,
        entity_id: e.entityId,
        action: e.action,
        actor_key_id: e.actorKeyId,
        actor_name: e.actorName,
        request_id: e.requestId,
        changes: JSON.stringify(e.changes),
        at: e.at,
      })),
    );
  }

  async list(entityType: string, entityId: string, limit: number, afterId?: string): Promise<AuditRow[]> {
    const query = this.knex('audit_log')
      .where({ entity_type: entityType, entity_id: entityId })
      .orderBy('id', 'desc')
      .limit(limit);
    if (afterId) query.where('id', '<', afterId);
    return query;
  }
}
