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

  /**
   * The customer's version, its row locked until the transaction ends: If-Match is compared
   * with it and the change applied before another writer can move it.
   */
  async lockVersion(customerId: string, trx: Knex.Transaction): Promise<number | undefined> {
    const row: { version: number } | undefined = await trx('customers')
      .where({ id: customerId })
      .forUpdate()
      .first('version');
    return row?.version;
  }

  /**
   * The regions are part of the customer, so changing them moves its version (and ETag): a
   * second writer holding the old tag is then refused, as for any other change.
   */
  async bumpVersion(customerId: string, version: number, at: Date, trx: Knex.Transaction): Promise<number> {
    await trx('customers')
      .where({ id: customerId, version })
      .update({ version: version + 1, updated_at: at });
    return version + 1;
  }
}
