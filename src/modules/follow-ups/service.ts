import type { Knex } from 'knex';
import { DATE_IN_FUTURE, futureTimestampProblem } from '../../domain/date-limits';
import { fieldChanges, type FieldChange } from '../../domain/field-changes';
import { dayRange, type InstantRange } from '../../domain/service/day-range';
import { isDoneOnTime, isOverdue, tallyFollowUps } from '../../domain/service/follow-ups';
import { isUuid, newId } from '../../db/ids';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
} from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { Actor } from '../events/actor';
import type { EventType } from '../events/event-types';
import type { EventWriter } from '../events/event-writer';
import type { CustomerRefLookup } from '../shared/batch/customer-references';
import { RowErrors, singleBody } from '../shared/batch/row-errors';
import type { FollowUpListRow, FollowUpRepository, FollowUpRow } from './repository';
import type {
  FollowUp,
  FollowUpComplete,
  FollowUpCreate,
  FollowUpListQuery,
  FollowUpPatch,
  FollowUpReportQuery,
} from './schemas';

const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

export interface FollowUpSettings {
  /** FOLLOW_UP_GRACE_MINUTES */
  graceMinutes: number;
  /** FUTURE_DATE_TOLERANCE_DAYS: how far ahead a completedAt may lie. */
  futureToleranceDays: number;
}

/**
 * Follow-up visits (docs/service.md): planned for an owner, completed with content and outcome
 * (which may plan the next one), listed overdue per owner and reported as on-time rates.
 */
export class FollowUpService {
  constructor(
    private readonly knex: Knex,
    private readonly followUps: FollowUpRepository,
    private readonly customerRefs: CustomerRefLookup,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
    private readonly settings: FollowUpSettings,
  ) {}

  /** A follow-up as its GET answers it, judged by the clock of this moment. */
  view(row: FollowUpRow): FollowUp {
    const plannedAt = new Date(row.planned_at);
    const completedAt = row.completed_at === null ? null : new Date(row.completed_at);
    return {
      id: row.id,
      customerId: row.customer_id,
      contactId: row.contact_id,
      owner: row.owner,
      plannedAt: plannedAt.toISOString(),
      purpose: row.purpose,
      status: completedAt ? 'done' : 'open',
      overdue: isOverdue(plannedAt, completedAt, this.clock()),
      completedAt: isoOrNull(completedAt),
      content: row.content,
      outcome: row.outcome,
      doneOnTime: completedAt ? isDoneOnTime(plannedAt, completedAt, this.settings.graceMinutes) : null,
      previousId: row.previous_id,
      nextId: row.next_id,
      version: row.version,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    };
  }

  private async require(id: string, trx?: Knex.Transaction, forUpdate = false): Promise<FollowUpRow> {
    const row = isUuid(id) ? await this.followUps.findById(id, trx, forUpdate) : undefined;
    if (!row) throw new NotFoundError('follow_up_not_found', { id });
    return row;
  }

  private event(type: EventType, row: FollowUpRow, changes: FieldChange[] | null = null) {
    return { type, entityId: row.id, customerId: row.customer_id, data: this.view(row), changes };
  }

  private range(from?: string, to?: string): InstantRange {
    const range = dayRange(from, to);
    if (!range) throw new BadRequestError('invalid_range', {});
    return range;
  }

  async get(id: string): Promise<FollowUp> {
    return this.view(await this.require(id));
  }

  async list(query: FollowUpListQuery) {
    const sort = query.sort ?? 'plannedAt';
    const range = this.range(query.from, query.to);
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, sort) : undefined;
    const rows = await this.followUps.list({ ...query, range, sort, now: this.clock() }, limit, after);
    return pageFrom(
      rows,
      limit,
      (row) => this.view(row),
      (row: FollowUpListRow) => ({
        sort,
        value: sort === 'plannedAt' ? iso(row.planned_at) : (row.value_at_stake ?? null),
        id: row.id,
      }),
    );
  }

  /** The customer must be live, and a contact person one of its own. */
  private async checkParties(
    customerId: string,
    contacts: Array<{ field: string; contactId: string | null | undefined }>,
    trx: Knex.Transaction,
  ): Promise<void> {
    const errors = new RowErrors();
    const [customer] = await this.customerRefs.findRefs([customerId], [], trx);
    if (!customer || customer.deleted_at) {
      errors.add(
        singleBody,
        'customerId',
        'customer_not_found',
        customer ? `the customer with id ${customerId} is deleted` : `no customer has id ${customerId}`,
      );
    }
    const named = contacts.filter((c) => c.contactId);
    const owners = await this.followUps.contactOwners(
      named.map((c) => c.contactId!),
      trx,
    );
    for (const { field, contactId } of named) {
      if (owners.get(contactId!) !== customerId)
        errors.add(
          singleBody,
          field,
          'contact_not_of_customer',
          `contact ${contactId} is not a contact person of customer ${customerId}`,
        );
    }
    errors.throwIfAny();
  }

  async create(input: FollowUpCreate, actor: Actor): Promise<FollowUp> {
    return this.knex.transaction(async (trx) => {
      await this.checkParties(input.customerId, [{ field: 'contactId', contactId: input.contactId }], trx);
      const now = this.clock();
      const row = await this.followUps.insert(
        {
          id: newId(),
          customer_id: input.customerId,
          contact_id: input.contactId ?? null,
          owner: input.owner,
          planned_at: new Date(input.plannedAt),
          purpose: input.purpose ?? null,
          content: null,
          outcome: null,
          completed_at: null,
          previous_id: null,
          next_id: null,
          created_at: now,
          updated_at: now,
        },
        trx,
      );
      await this.events.record([this.event('follow_up.created', row)], actor, trx);
      return this.view(row);
    });
  }

  async patch(
    id: string,
    input: FollowUpPatch,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<FollowUp> {
    return this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      ifMatch(row.version);
      if (input.contactId)
        await this.checkParties(row.customer_id, [{ field: 'contactId', contactId: input.contactId }], trx);
      const plan = (r: FollowUpRow) => ({
        contactId: r.contact_id,
        owner: r.owner,
        plannedAt: iso(r.planned_at),
        purpose: r.purpose,
      });
      const before = plan(row);
      const after = { ...before };
      if (input.contactId !== undefined) after.contactId = input.contactId;
      if (input.owner !== undefined) after.owner = input.owner;
      if (input.plannedAt !== undefined) after.plannedAt = iso(input.plannedAt);
      if (input.purpose !== undefined) after.purpose = input.purpose;
      const changes = fieldChanges(before, after);
      if (changes.length === 0) return this.view(row);
      const updated = await this.followUps.update(
        row.id,
        row.version,
        {
          contact_id: after.contactId,
          owner: after.owner,
          planned_at: new Date(after.plannedAt),
          purpose: after.purpose,
          updated_at: this.clock(),
        },
        trx,
      );
      if (!updated) throw new PreconditionFailedError({}, 'precondition_failed.changed');
      await this.events.record([this.event('follow_up.updated', updated, changes)], actor, trx);
      return this.view(updated);
    });
  }

  async remove(id: string, ifMatch: (version: number) => number | undefined, actor: Actor): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      ifMatch(row.version);
      await this.followUps.delete(row.id, trx);
      await this.events.record([this.event('follow_up.deleted', row)], actor, trx);
    });
  }

  /**
   * Completes a follow-up once (a second time is 409 `follow_up_completed`) and, with `next`,
   * plans the following visit in the same transaction: owner and contact default to this one's.
   */
  async complete(
    id: string,
    input: FollowUpComplete,
    ifMatch: (version: number) => number | undefined,
    actor: Actor,
  ): Promise<{ followUp: FollowUp; next: FollowUp | null }> {
    return this.knex.transaction(async (trx) => {
      const row = await this.require(id, trx, true);
      ifMatch(row.version);
      if (row.completed_at !== null)
        throw new ConflictError('follow_up_completed', { id: row.id, completedAt: iso(row.completed_at) });
      const now = this.clock();
      const errors = new RowErrors();
      const tooLate =
        input.completedAt !== undefined
          ? futureTimestampProblem(input.completedAt, { now, days: this.settings.futureToleranceDays })
          : undefined;
      if (tooLate) errors.add(singleBody, 'completedAt', DATE_IN_FUTURE, tooLate);
      errors.throwIfAny();
      if (input.next?.contactId)
        await this.checkParties(
          row.customer_id,
          [{ field: 'next/contactId', contactId: input.next.contactId }],
          trx,
        );

      const events = [];
      let next: FollowUpRow | null = null;
      if (input.next) {
        next = await this.followUps.insert(
          {
            id: newId(),
            customer_id: row.customer_id,
            contact_id: input.next.contactId !== undefined ? input.next.contactId : row.contact_id,
            owner: input.next.owner ?? row.owner,
            planned_at: new Date(input.next.plannedAt),
            purpose: input.next.purpose ?? null,
            content: null,
            outcome: null,
            completed_at: null,
            previous_id: row.id,
            next_id: null,
            created_at: now,
            updated_at: now,
          },
          trx,
        );
      }
      const completedAt = input.completedAt !== undefined ? new Date(input.completedAt) : now;
      const completed = await this.followUps.update(
        row.id,
        row.version,
        {
          content: input.content,
          outcome: input.outcome,
          completed_at: completedAt,
          next_id: next?.id ?? null,
          updated_at: now,
        },
        trx,
      );
      if (!completed) throw new PreconditionFailedError({}, 'precondition_failed.changed');
      const changes = fieldChanges(
        { content: row.content, outcome: row.outcome, completedAt: null, nextId: null },
        {
          content: input.content,
          outcome: input.outcome,
          completedAt: iso(completedAt),
          nextId: next?.id ?? null,
        },
      );
      events.push(this.event('follow_up.completed', completed, changes));
      if (next) events.push(this.event('follow_up.created', next));
      await this.events.record(events, actor, trx);
      return { followUp: this.view(completed), next: next ? this.view(next) : null };
    });
  }

  /** Per owner, over the follow-ups planned in the range (docs/service.md). */
  async report(query: FollowUpReportQuery) {
    const rows = await this.followUps.plannedIn(this.range(query.from, query.to));
    const now = this.clock();
    const tally = tallyFollowUps(
      rows.map((r) => ({
        owner: r.owner,
        plannedAt: new Date(r.planned_at),
        completedAt: r.completed_at === null ? null : new Date(r.completed_at),
      })),
      now,
      this.settings.graceMinutes,
    );
    return {
      from: query.from ?? null,
      to: query.to ?? null,
      asOf: now.toISOString(),
      graceMinutes: this.settings.graceMinutes,
      ...tally,
    };
  }
}
