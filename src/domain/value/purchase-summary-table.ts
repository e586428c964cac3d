import type { PurchaseSummary } from './purchase-summary';
import type { TimeUnit } from './time-units';
import type { RepeatHistory, SpendHistory } from './model-inputs';

const COLUMNS = [
  'purchases',
  'recency',
  'T',
  'sinceLastPurchase',
  'totalAmount',
  /** NaN for a one-time buyer (a summary's null). */
  'averageCycle',
  'repeatAverageAmount',
  'firstPurchaseDay',
  'lastPurchaseDay',
] as const;
export type SummaryColumn = (typeof COLUMNS)[number];

/**
 * The purchase summaries of a whole base, column by column: a run holds one per customer, a
 * million of them, and an object per customer (with its numbers boxed one by one) costs about
 * four times the memory of arrays of numbers and keeps the garbage collector busy copying them.
 * Columns are typed arrays sized for the expected number of customers, so filling them leaves
 * no garbage behind. A customer's summary is made on demand (`at`); the base-wide steps read
 * the columns.
 */
export class PurchaseSummaryTable {
  private columns: Record<SummaryColumn, Float64Array>;
  private count = 0;

  constructor(
    readonly timeUnit: TimeUnit,
    capacity = 1024,
  ) {
    this.columns = PurchaseSummaryTable.allocate(Math.max(1, capacity));
  }

  private static allocate(capacity: number): Record<SummaryColumn, Float64Array> {
    const columns = {} as Record<SummaryColumn, Float64Array>;
    for (const name of COLUMNS) columns[name] = new Float64Array(capacity);
    return columns;
  }

  get length(): number {
    return this.count;
  }

  /** The values of one column, a view of the first `length` entries. */
  column(name: SummaryColumn): Float64Array {
    return this.columns[name].subarray(0, this.count);
  }

  push(summary: PurchaseSummary): void {
    if (summary.timeUnit !== this.timeUnit) {
      throw new RangeError(`a summary in ${summary.timeUnit}s in a table of ${this.timeUnit}s`);
    }
    if (this.count === this.columns.purchases.length) {
      const grown = PurchaseSummaryTable.allocate(this.count * 2);
      for (const name of COLUMNS) grown[name].set(this.columns[name]);
      this.columns = grown;
    }
    const c = this.columns;
    const i = this.count++;
    c.purchases[i] = summary.purchases;
    c.recency[i] = summary.recency;
    c.T[i] = summary.T;
    c.sinceLastPurchase[i] = summary.sinceLastPurchase;
    c.totalAmount[i] = summary.totalAmount;
    c.averageCycle[i] = summary.averageCycle ?? NaN;
    c.repeatAverageAmount[i] = summary.repeatAverageAmount;
    c.firstPurchaseDay[i] = summary.firstPurchaseDay;
    c.lastPurchaseDay[i] = summary.lastPurchaseDay;
  }

  /** The summary of the customer at `index`, as `summarisePurchaseDays` made it. */
  at(index: number): PurchaseSummary {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`no summary at ${index}`);
    const c = this.columns;
    const purchases = c.purchases[index] as number;
    const cycle = c.averageCycle[index] as number;
    const totalAmount = c.totalAmount[index] as number;
    return {
      timeUnit: this.timeUnit,
      purchases,
      frequency: purchases - 1,
      recency: c.recency[index] as number,
      T: c.T[index] as number,
      sinceLastPurchase: c.sinceLastPurchase[index] as number,
      totalAmount,
      averageAmount: totalAmount / purchases,
      averageCycle: Number.isNaN(cycle) ? null : cycle,
      repeatAverageAmount: c.repeatAverageAmount[index] as number,
      firstPurchaseDay: c.firstPurchaseDay[index] as number,
      lastPurchaseDay: c.lastPurchaseDay[index] as number,
    };
  }

  /**
   * Every customer's (x, t_x, T) and (x, mean repeat spend), for the model fits, which read
   * each once and keep none: one object is handed out, refilled for every customer, so a fit
   * on a million customers makes no million objects.
   */
  *eachHistory(): IterableIterator<RepeatHistory & SpendHistory> {
    const c = this.columns;
    const history = { frequency: 0, recency: 0, T: 0, repeatAverageAmount: 0 };
    for (let i = 0; i < this.count; i++) {
      history.frequency = (c.purchases[i] as number) - 1;
      history.recency = c.recency[i] as number;
      history.T = c.T[i] as number;
      history.repeatAverageAmount = c.repeatAverageAmount[i] as number;
      yield history;
    }
  }

  /** totalAmount / purchases of every customer. */
  averageAmounts(): Float64Array {
    const amounts = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) {
      amounts[i] = (this.columns.totalAmount[i] as number) / (this.columns.purchases[i] as number);
    }
    return amounts;
  }
}
