import type { Knex } from 'knex';
import { newId } from '../../db/ids';
import type { FieldChange } from '../../domain/field-changes';
import type { Actor } from './actor';
import type { EventType } from './event-types';
import type { EventRepository } from './repository';

/** A change to record: what happened to which record, and the record after it. */
export interface EventDraft {
  type: EventType;
  entityId: string;
  customerId: string | null;
  /** The resource after the change, as its GET answers it. */
  data: unknown;
  /** For updates: each field that changed, from and to. */
  changes?: FieldChange[] | null;
  /** The analytics run that caused the change, if one did. */
  runId?: string | null;
}

/** The analytics runs and other work no request asked for. */
export const SYSTEM_ACTOR: Actor = { keyId: null, name: null, requestId: null };

/**
 * The one writer of events, and so of the audit trail: every service hands it the changes of
 * a transaction, last, in that transaction. A rolled-back change therefore leaves no event and
 * a committed one always has its event.
 */
export class EventWriter {
  constructor(
    private readonly events: EventRepository,
    private readonly clock: () => Date,
  ) {}

  async record(drafts: readonly EventDraft[], actor: Actor, trx: Knex.Transaction): Promise<void> {
    if (drafts.length === 0) return;
    await this.events.append(
      newId(),
      drafts.map((d) => ({
        id: newId(),
        type: d.type,
        entity_type: d.type.slice(0, d.type.indexOf('.')),
        entity_id: d.entityId,
        customer_id: d.customerId,
        run_id: d.runId ?? null,
        data: d.data,
        changes: d.changes ?? null,
      })),
      {
        occurredAt: this.clock(),
        actorKeyId: actor.keyId,
        actorName: actor.name,
        requestId: actor.requestId,
      },
      trx,
    );
  }
}
