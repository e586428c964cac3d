import type { Knex } from 'knex';
import { BadRequestError, UnprocessableError } from '../../http/http-errors';
import type { Actor } from '../events/actor';
import type { EventWriter } from '../events/event-writer';
import type { CustomerService } from '../customers/service';
import type { ChurnRepository, MonthBounds } from './repository';

const MAX_MONTHS = 36;

function monthIndex(period: string): number {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return year * 12 + (month - 1);
}

function monthOf(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function startOf(index: number): string {
  return `${monthOf(index)}-01T00:00:00.000Z`;
}

/** Churn recorded by hand, and the churn report of docs/domain.md 5.7. */
export class ChurnService {
  constructor(
    private readonly knex: Knex,
    private readonly churn: ChurnRepository,
    private readonly customers: CustomerService,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
  ) {}

  async record(customerId: string, input: { reason: string; note?: string; at?: string }, actor: Actor) {
    const now = this.clock();
    const at = input.at ? new Date(input.at) : now;
    if (at.getTime() > now.getTime()) {
      throw new UnprocessableError('churn_in_future', {}, [
        { path: 'body/at', message: 'lies in the future' },
      ]);
    }
    return this.knex.transaction(async (trx) => {
      const row = await this.customers.requireLive(customerId, trx);
      await this.churn.recordManual(
        row.id,
        row.churn_status,
        input.reason,
        input.note ?? null,
        at,
        actor.name,
        trx,
      );
      await this.events.record(
        [
          {
            type: 'customer.churn_status_changed',
            entityId: row.id,
            customerId: row.id,
            data: await this.customers.view(row.id, trx),
            changes: [
              { field: 'churnStatus', from: row.churn_status, to: 'churned' },
              { field: 'churnReason', from: null, to: input.reason },
            ],
          },
        ],
        actor,
        trx,
      );
      return {
        customerId: row.id,
        churnStatus: 'churned' as const,
        reason: input.reason,
        at: at.toISOString(),
      };
    });
  }

  async report(query: { from?: string; to?: string; atRiskLimit?: number }) {
    const now = this.clock();
    const to = query.to ? monthIndex(query.to) : now.getUTCFullYear() * 12 + now.getUTCMonth();
    const from = query.from ? monthIndex(query.from) : to - 11;
    if (from > to) throw new BadRequestError('invalid_range', {});
    if (to - from + 1 > MAX_MONTHS) throw new BadRequestError('invalid_range.months', { max: MAX_MONTHS });
    const months: MonthBounds[] = [];
    for (let m = from; m <= to; m++)
      months.push({ period: monthOf(m), start: startOf(m), stop: startOf(m + 1) });
    const start = startOf(from);
    const stop = startOf(to + 1);
    const [periods, reasons, cohortRows, atRisk] = await Promise.all([
      this.churn.periodFigures(months),
      this.churn.byReason(start, stop),
      this.churn.cohorts(start, stop),
      this.churn.atRisk(query.atRiskLimit ?? 50),
    ]);
    const churned = periods.reduce((s, p) => s + p.churned, 0);
    const wonBack = periods.reduce((s, p) => s + p.won_back, 0);
    const reasonTotal = reasons.reduce((s, r) => s + r.customers, 0);
    const cohorts = new Map<string, number[]>();
    for (const row of cohortRows) {
      const counts = cohorts.get(row.cohort) ?? [];
      counts[row.k] = row.customers;
      cohorts.set(row.cohort, counts);
    }
    return {
      from: monthOf(from),
      to: monthOf(to),
      periods: periods.map((p) => ({
        period: p.period,
        activeAtStart: p.active_at_start,
        churned: p.churned,
        churnRate: p.active_at_start > 0 ? p.churned / p.active_at_start : null,
        wonBack: p.won_back,
      })),
      winBackRate: churned > 0 ? wonBack / churned : null,
      byReason: reasons.map((r) => ({
        reason: r.reason,
        customers: r.customers,
        share: r.customers / reasonTotal,
      })),
      cohorts: [...cohorts.entries()].map(([cohort, counts]) => {
        const size = counts[0] ?? 0;
        const horizon = to - monthIndex(cohort) + 1;
        return {
          cohort,
          customers: size,
          retention: Array.from({ length: horizon }, (_, k) => (size > 0 ? (counts[k] ?? 0) / size : 0)),
        };
      }),
      atRisk: atRisk.map((c) => ({
        customerId: c.id,
        name: c.name,
        churnStatus: c.churn_status,
        clv: c.clv === null ? null : Number(c.clv),
        pAlive: c.p_alive === null ? null : Number(c.p_alive),
      })),
    };
  }
}
