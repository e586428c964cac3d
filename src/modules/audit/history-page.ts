import { decodeCursor, pageFrom } from '../../http/pagination';
import type { AuditRepository } from './repository';

/** One page of a record's audit trail, newest first, as the history routes answer it. */
export async function historyPage(
  audit: AuditRepository,
  entityType: string,
  entityId: string,
  query: { limit?: number; cursor?: string },
) {
  const limit = query.limit ?? 50;
  const after = query.cursor ? decodeCursor(query.cursor, 'history') : undefined;
  const rows = await audit.list(entityType, entityId, limit + 1, after?.id);
  return pageFrom(
    rows,
    limit,
    (row) => ({
      id: row.id,
      action: row.action,
      at: new Date(row.at).toISOString(),
      actor: { keyId: row.actor_key_id, name: row.actor_name },
      requestId: row.request_id,
      changes: row.changes,
    }),
    (row) => ({ sort: 'history', value: null, id: row.id }),
  );
}
