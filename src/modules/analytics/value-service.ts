import { stringify } from 'csv-stringify/sync';
import { NotFoundError } from '../../http/http-errors';
import { decodeCursor, pageFrom } from '../../http/pagination';
import type { CreditService } from '../credit/service';
import type { CustomerService } from '../customers/service';
import type { AnalyticsRepository, RunRow, ValueRow } from './repository';
import type { AnalyticsRunService } from './run-service';
import { toCreditView, toValueCard, toValueCsvRow, VALUE_CSV_COLUMNS, type CreditView } from './views';

/** Rows read per step of the CSV export. */
const CSV_PAGE = 2000;

/** The value cards of the latest finished run: one customer's, a page of them, or all as CSV. */
export class ValueService {
  constructor(
    private readonly runs: AnalyticsRunService,
    private readonly repository: AnalyticsRepository,
    private readonly customers: CustomerService,
    private readonly credit: CreditService,
  ) {}

  async card(customerId: string) {
    const customer = await this.customers.get(customerId);
    const run = await this.runs.latestDone();
    const row = await this.repository.valueOf(run.id, customer.id);
    if (!row) {
      throw new NotFoundError('customer_not_valued', { id: customer.id, asOf: run.as_of });
    }
    // Credit is read live: receivables move with every payment, not with analytics runs.
    const { evaluation, summary } = await this.credit.assess(customer.id);
    return toValueCard(
      row,
      run,
      customer.starsOverride?.stars ?? Number(row.stars),
      toCreditView(evaluation, summary),
    );
  }

  /**
   * Cards of many rows, as `card` answers each: the credit of all of them from one read of
   * their receivables, the star override from the page's own query (valuesPage).
   */
  private async cardsOf(rows: ValueRow[], run: RunRow) {
    const assessed = await this.credit.assessMany(rows.map((row) => row.customer_id));
    return rows.map((row) => {
      const credit = assessed.get(row.customer_id);
      const stars = row.stars_override ?? row.stars;
      const view: CreditView | null = credit ? toCreditView(credit.evaluation, credit.summary) : null;
      return toValueCard(row, run, Number(stars), view);
    });
  }

  async page(query: { limit?: number; cursor?: string }) {
    const run = await this.runs.latestDone();
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(query.cursor, 'values').id : null;
    const rows = await this.repository.valuesPage(run.id, after, limit + 1);
    const cards = new Map((await this.cardsOf(rows.slice(0, limit), run)).map((c) => [c.customerId, c]));
    return pageFrom(
      rows,
      limit,
      (row) => cards.get(row.customer_id)!,
      (row) => ({ sort: 'values', value: null, id: row.customer_id }),
    );
  }

  /** Every card as CSV lines, header first; the run is looked up before the first line. */
  async csv(): Promise<AsyncIterable<string>> {
    const run = await this.runs.latestDone();
    const repository = this.repository;
    const cardsOf = (rows: ValueRow[]) => this.cardsOf(rows, run);
    async function* lines() {
      yield stringify([VALUE_CSV_COLUMNS]);
      let after: string | null = null;
      for (;;) {
        const page: ValueRow[] = await repository.valuesPage(run.id, after, CSV_PAGE);
        if (page.length === 0) return;
        after = page[page.length - 1]!.customer_id;
        yield stringify((await cardsOf(page)).map(toValueCsvRow));
      }
    }
    return lines();
  }
}
