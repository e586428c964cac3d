import { evaluateCredit } from '../../domain/credit';
import { fromUnits } from '../../domain/money';
import type { CustomerService } from '../customers/service';
import type { ReceivablesReader } from '../payments/receivables';
import type { CreditRepository } from './repository';

/** Evaluates a customer's credit now and records the suggested limit new orders are checked against. */
export class CreditService {
  constructor(
    private readonly customers: CustomerService,
    private readonly receivables: ReceivablesReader,
    private readonly credit: CreditRepository,
    private readonly clock: () => Date,
  ) {}

  /** The evaluation as of now, without recording anything (the value card reads it). */
  async assess(customerId: string) {
    const customer = await this.customers.requireLive(customerId);
    const now = this.clock();
    const { summary, asOfDay } = await this.receivables.summary(customer.id, now);
    return { customer, now, summary, asOfDay, evaluation: evaluateCredit(summary, asOfDay) };
  }

  /**
   * The evaluations of many customers as of now, from one read of their receivables (a page
   * of value cards); `assess` of each would read them customer by customer.
   */
  async assessMany(customerIds: string[]) {
    const { summaries, asOfDay } = await this.receivables.summaries(customerIds, this.clock());
    return new Map(
      [...summaries].map(([id, summary]) => [id, { summary, evaluation: evaluateCredit(summary, asOfDay) }]),
    );
  }

  async evaluate(customerId: string) {
    const { customer, now, summary, asOfDay, evaluation } = await this.assess(customerId);
    await this.credit.save(
      customer.id,
      evaluation.score,
      evaluation.grade,
      fromUnits(evaluation.suggestedLimit),
      now,
    );
    const view = this.receivables.view(customer.id, summary, asOfDay);
    return {
      customerId: customer.id,
      asOf: view.asOf,
      currency: view.currency,
      score: evaluation.score,
      grade: evaluation.grade,
      suggestedLimit: fromUnits(evaluation.suggestedLimit),
      outstanding: view.outstanding,
      overdue: view.overdue,
      overdueDays: view.overdueDays,
      aging: view.aging,
      factors: {
        onTimeShare: evaluation.factors.onTimeShare,
        averageDaysToPay: evaluation.factors.averageDaysToPay,
        largestOverdue: fromUnits(evaluation.factors.largestOverdue),
        averageOrderAmount: fromUnits(evaluation.factors.averageOrderAmount),
        billedLastYear: fromUnits(evaluation.factors.billedLastYear),
      },
    };
  }
}
