import type { Knex } from 'knex';
import { UnprocessableError } from '../../http/http-errors';
import type { Actor } from '../events/actor';
import type { EventWriter } from '../events/event-writer';
import type { ChannelRegionRepository } from './channel-region-repository';
import type { CustomerService } from './service';

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
  ) {}

  async setAssignedRegions(customerId: string, regions: string[], actor: Actor): Promise<string[]> {
    return this.knex.transaction(async (trx) => {
      const customer = await this.customers.requireLive(customerId, trx);
      if (customer.category !== 'channel') {
        throw new UnprocessableError(
          'not_a_channel',
          'Only channel customers (category channel) have assigned regions.',
        );
      }
      const before = await this.regions.assignedRegions(customer.id, trx);
      const after = [...regions].sort();
      if (JSON.stringify(before) !== JSON.stringify(after)) {
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
      }
      return after;
    });
  }

  async assignedRegions(customerId: string): Promise<string[]> {
    const customer = await this.customers.requireLive(customerId);
    return this.regions.assignedRegions(customer.id);
  }
}
