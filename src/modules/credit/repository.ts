import type { Knex } from 'knex';
import { arrayLiteral } from '../../db/array-literal';

/** The last evaluation per customer; new orders are checked against its suggested limit. */
export class CreditRepository {
  constructor(private readonly knex: Knex) {}

  async save(
    customerId: string,
    score: number,
    grade: string,
    suggestedLimit: string,
    at: Date,
  ): Promise<void> {
    await this.knex('customer_credit')
      .insert({ customer_id: customerId, score, grade, suggested_limit: suggestedLimit, evaluated_at: at })
      .onConflict('customer_id')
      .merge();
  }

  /**
   * The suggested limit on record and the current balance (open orders minus net payments,
   * reporting currency) of those customers that have been evaluated; others have no limit.
   */
  async creditPositions(
    customerIds: string[],
    trx: Knex.Transaction,
  ): Promise<Array<{ customer_id: string; suggested_limit: string; balance: string }>> {
    if (customerIds.length === 0) return [];
    const { rows } = await trx.raw<{
      rows: Array<{ customer_id: string; suggested_limit: string; balance: string }>;
    }>(
      `SELECT cc.customer_id, cc.suggested_limit,
              (SELECT coalesce(sum(o.reporting_amount), 0) FROM orders o
                WHERE o.customer_id = cc.customer_id AND o.status IN ('placed', 'shipped'))
            - (SELECT coalesce(sum(p.reporting_amount), 0) FROM payments p WHERE p.customer_id = cc.customer_id)
            + (SELECT coalesce(sum(r.reporting_amount), 0) FROM payment_refunds r JOIN payments p ON p.id = r.payment_id
                WHERE p.customer_id = cc.customer_id) AS balance
         FROM customer_credit cc
        WHERE cc.customer_id = ANY(?::uuid[])`,
      [arrayLiteral(customerIds)],
    );
    return rows;
  }
}
