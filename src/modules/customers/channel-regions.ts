import type { Knex } from 'knex';
import { PreconditionFailedError, UnprocessableError } from '../../http/http-errors';
import type { Actor } from '../events/actor';
import type { EventWriter } from '../events/event-writer';
import type { ChannelRegionRepository } from './channel-region-repository';
import type { CustomerService } from './service';

/** The regions and the customer's version after them, which is the ETag (docs/api.md "Concurrency"). */
export interface AssignedRegions {
  regions: string[];
  version: number;
}

/**
 * A channel customer's assigned regions (docs/domain.md section 1); orders it ships
 * elsewhere are flagged cross-region.
 */
export class ChannelRegionService {
  constructor(
    private readonly knex: Knex,
    private readonly regions: ChannelRegionRepository,
    private readonly customers: CustomerService,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
  ) {}

  /** `ifMatch` checks the customer's current version (412 when stale), like every other write. */
  async setAssignedRegions(
    customerId: string,
    regions: string[],
    ifMatch: (currentVersion: number) => number | undefined,
    actor: Actor,
  ): Promise<AssignedRegions> {
    return this.knex.transaction(async (trx) => {
      const customer = await this.customers.requireLive(customerId, trx);
      if (customer.category !== 'channel') {
        throw new UnprocessableError('not_a_channel', {});
      }
      const version = await this.regions.lockVersion(customer.id, trx);
      if (version === undefined) throw new PreconditionFailedError({}, 'precondition_failed.gone');
      ifMatch(version);
      const before = await this.regions.assignedRegions(customer.id, trx);
      const after = [...regions].sort();
      if (JSON.stringify(before) === JSON.stringify(after)) return { regions: after, version };
      const next = await this.regions.bumpVersion(customer.id, version, this.clock(), trx);
      await this.regions.setAssignedRegions(customer.id, after, trx);
      await this.events.record(
        [
          {
            type: 'customer.assigned_regions_changed',
            entityId: customer.id,
            customerId: customer.id,
            data: { customerId: customer.id, regions: after },
            changes: [{ field: 'assignedRegions', from: before, to: after }],
          },
        ],
        actor,
        trx,
      );
      return { regions: after, version: next };
    });
  }

  async assignedRegions(customerId: string): Promise<AssignedRegions> {
    const customer = await this.customers.requireLive(customerId);
    return { regions: await this.regions.assignedRegions(customer.id), version: customer.version };
  }
}
