import type { Knex } from 'knex';

/** The regions a channel customer is assigned to sell in (docs/domain.md section 1). */
export class ChannelRegionRepository {
  constructor(private readonly knex: Knex) {}

  private db(trx?: Knex.Transaction) {
    return trx ?? this.knex;
  }

  async setAssignedRegions(customerId: string, regions: string[], trx: Knex.Transaction): Promise<void> {
    await trx('channel_regions').where({ customer_id: customerId }).delete();
    if (regions.length)
      await trx('channel_regions').insert(regions.map((region) => ({ customer_id: customerId, region })));
  }

  async assignedRegions(customerId: string, trx?: Knex.Transaction): Promise<string[]> {
    const rows: Array<{ region: string }> = await this.db(trx)('channel_regions')
      .where({ customer_id: customerId })
      .orderBy('region')
      .select('region');
    return rows.map((r) => r.region);
  }
}
