import type { PurchaseSummary } from './purchase-summary';
import type { TimeUnit } from './time-units';
import type { RepeatHistory, SpendHistory } from './model-inputs';

/**
 * The purchase summaries of a whole base, column by column: a run holds one per customer, a
 * million of them, and an object per customer (with its numbers boxed one by one) costs about
 * four times the memory of arrays of numbers and keeps the garbage collector busy copying them.
 * A customer's summary is made on demand (`at`), and the base-wide steps read the columns.
 */
export class PurchaseSummaryTable {
  readonly purchases: number[] = [];
  readonly recency: number[] = [];
  readonly T: number[] = [];
  readonly sinceLastPurchase: number[] = [];
  readonly totalAmount: number[] = [];
  /** NaN for a one-time buyer (a summary's null). */
  readonly averageCycle: number[] = [];
  readonly repeatAverageAmount: number[] = [];
  readonly firstPurchaseDay: number[] = [];
  readonly lastPurchaseDay: number[] = [];

  constructor(readonly timeUnit: TimeUnit) {}

  get length(): number {
    return this.purchases.length;
  }

  push(summary: PurchaseSummary): void {
    if (summary.timeUnit !== this.timeUnit) {
      throw new RangeError(`a summary in ${summary.timeUnit}s in a table of ${this.timeUnit}s`);
    }
    this.purchases.push(summary.purchases);
    this.recency.push(summary.recency);
    this.T.push(summary.T);
    this.sinceLastPurchase.push(summary.sinceLastPurchase);
    this.totalAmount.push(summary.totalAmount);
    this.averageCycle.push(summary.averageCycle ?? NaN);
    this.repeatAverageAmount.push(summary.repeatAverageAmount);
    this.firstPurchaseDay.push(summary.firstPurchaseDay);
    this.lastPurchaseDay.push(summary.lastPurchaseDay);
  }

  /** The summary of the customer at `index`, as `summarisePurchaseDays` made it. */
  at(index: number): PurchaseSummary {
    const purchases = this.purchases[index];
    if (purchases === undefined) throw new RangeError(`no summary at ${index}`);
    const cycle = this.averageCycle[index] as number;
    const totalAmount = this.totalAmount[index] as number;
    return {
      timeUnit: this.timeUnit,
      purchases,
      frequency: purchases - 1,
      recency: this.recency[index] as number,
      T: this.T[index] as number,
      sinceLastPurchase: this.sinceLastPurchase[index] as number,
      totalAmount,
      averageAmount: totalAmount / purchases,
      averageCycle: Number.isNaN(cycle) ? null : cycle,
      repeatAverageAmount: this.repeatAverageAmount[index] as number,
      firstPurchaseDay: this.firstPurchaseDay[index] as number,
      lastPurchaseDay: this.lastPurchaseDay[index] as number,
    };
  }

  /** Every customer's (x, t_x, T), for the BG/NBD fit; short-lived. */
  repeatHistories(): RepeatHistory[] {
    return this.purchases.map((n, i) => ({
      frequency: n - 1,
      recency: this.recency[i] as number,
      T: this.T[i] as number,
    }));
  }

  /** The repeat buyers' (x, mean repeat spend), for the Gamma-Gamma fit; short-lived. */
  spendHistories(): SpendHistory[] {
    const histories: SpendHistory[] = [];
    this.purchases.forEach((n, i) => {
      if (n > 1)
        histories.push({ frequency: n - 1, repeatAverageAmount: this.repeatAverageAmount[i] as number });
    });
    return histories;
  }

  /** totalAmount / purchases of every customer. */
  averageAmounts(): number[] {
    return this.totalAmount.map((total, i) => total / (this.purchases[i] as number));
  }
}
