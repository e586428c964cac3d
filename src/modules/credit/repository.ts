import type { Knex } from 'knex';

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
}
