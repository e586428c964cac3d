import type { Knex } from 'knex';

export interface ValuePoint {
  averageCycle: number | null;
  averageAmount: number;
  totalAmount: number;
  T: number;
  clvPredicted: number;
}

/** What the charts read of a run's snapshot (customer_values), one row per valued customer. */
export class ChartRepository {
  constructor(private readonly knex: Knex) {}

  async values(runId: string): Promise<ValuePoint[]> {
    const rows = await this.knex('customer_values').where({ run_id: runId }).select<
      Array<{
        average_cycle: number | string | null;
        average_amount: number | string;
        total_amount: number | string;
        age: number | string;
        clv_predicted: number | string | null;
      }>
    >('average_cycle', 'average_amount', 'total_amount', 'age', 'clv_predicted');
    return rows.map((r) => ({
      averageCycle: r.average_cycle === null ? null : Number(r.average_cycle),
      averageAmount: Number(r.average_amount),
      totalAmount: Number(r.total_amount),
      T: Number(r.age),
      clvPredicted: Number(r.clv_predicted ?? 0),
    }));
  }
}
