import type { Knex } from 'knex';
import {
  boundDay,
  dayOf,
  lastDayOf,
  periodCount,
  periodsBetween,
  periodsEndingAt,
  type Period,
  type PeriodUnit,
} from '../../domain/lifecycle/periods';
import { BadRequestError, UnprocessableError, ValidationError, summaryOf } from '../../http/http-errors';
import type { Actor } from '../events/actor';
import type { EventWriter } from '../events/event-writer';
import type { CustomerService } from '../customers/service';
import { LifecycleRepository } from '../lifecycle/repository';
import {
  cohortPurchases,
  cohortRetention,
  periodFigures,
  type CohortFigures,
  type PeriodFigures,
} from './figures';
import type { ChurnRepository } from './repository';
import type { CHURN_REASONS } from './schemas';

type ChurnReason = (typeof CHURN_REASONS)[number];

/** The longest report per period length: three years of weeks or months, three of quarters. */
export const MAX_PERIODS: Record<PeriodUnit, number> = { week: 156, month: 36, quarter: 12 };
const DEFAULT_PERIODS = 12;
const DAY_MS = 86_400_000;

export interface ChurnReportQuery {
  period?: PeriodUnit;
  from?: string;
  to?: string;
  cohortBasis?: 'status' | 'purchase';
  atRiskLimit?: number;
}

export type ReportTable = 'periods' | 'reasons' | 'cohorts' | 'atRisk';

/** Churn recorded by hand, and the churn report (docs/lifecycle.md). */
export class ChurnService {
  constructor(
    private readonly knex: Knex,
    private readonly churn: ChurnRepository,
    private readonly customers: CustomerService,
    private readonly events: EventWriter,
    private readonly clock: () => Date,
    private readonly lifecycle: LifecycleRepository,
  ) {}

  /**
   * A lifecycle event `-> churned`, cause manual, at `at`, and the outbox event. A churn dated
   * before the customer's current status began is refused: it would sit in the history behind a
   * later change that was derived without it, and the report would count a churn the customer's
   * status never showed.
   */
  async record(customerId: string, input: { reason: ChurnReason; note?: string; at?: string }, actor: Actor) {
    const now = this.clock();
    const at = input.at ? new Date(input.at) : now;
    if (at.getTime() > now.getTime()) {
      throw new UnprocessableError('churn_in_future', {}, [
        { path: 'body/at', message: 'lies in the future' },
      ]);
    }
    return this.knex.transaction(async (trx) => {
      // Locked: two churns recorded at once must not both read the same `from`.
      const row = await this.customers.requireLive(customerId, trx, true);
      const state = await this.lifecycle.state(row.id, trx);
      const from = state?.churn_status ?? null;
      if (state?.churn_since && at.getTime() < new Date(state.churn_since).getTime()) {
        const since = new Date(state.churn_since).toISOString();
        throw new UnprocessableError('churn_predates_status', { since }, [
          { path: 'body/at', message: `lies before ${since}` },
        ]);
      }
      await this.lifecycle.record(
        [
          {
            customerId: row.id,
            kind: 'churn_status',
            from,
            to: 'churned',
            at,
            cause: 'manual',
            reason: input.reason,
            note: input.note ?? null,
            actor: actor.name,
          },
        ],
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
              { field: 'churnStatus', from, to: 'churned' },
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
        since: at.toISOString(),
        cause: 'manual' as const,
      };
    });
  }

  /** The periods a query names, clipped to the current one; refused when reversed or too many. */
  periodsOf(query: ChurnReportQuery): Period[] {
    const unit = query.period ?? 'month';
    const now = this.clock();
    const from = query.from === undefined ? undefined : this.bound(query.from, 'first', 'from');
    let to = query.to === undefined ? now : this.bound(query.to, 'last', 'to');
    if (from && query.to !== undefined && from.getTime() > to.getTime())
      throw new BadRequestError('invalid_range', {});
    if (to.getTime() > now.getTime()) to = now;
    if (from === undefined) return periodsEndingAt(unit, to, DEFAULT_PERIODS);
    const count = periodCount(unit, from, to);
    // Only a `from` in a later period than the current one is left here.
    if (count === 0) throw new BadRequestError('invalid_range.from_future', {});
    if (count > MAX_PERIODS[unit])
      throw new BadRequestError('invalid_range.periods', { max: MAX_PERIODS[unit], unit });
    return periodsBetween(unit, from, to);
  }

  private bound(text: string, edge: 'first' | 'last', name: string): Date {
    const day = boundDay(text, edge);
    if (day) return day;
    const errors = [{ path: `querystring/${name}`, message: 'is not a calendar day' }];
    throw new ValidationError(summaryOf(errors), errors);
  }

  /** The report's tables; `tables` limits the work to those asked for (CSV answers one). */
  async report(
    query: ChurnReportQuery,
    tables: readonly ReportTable[] = ['periods', 'reasons', 'cohorts', 'atRisk'],
  ) {
    const periods = this.periodsOf(query);
    const unit = query.period ?? 'month';
    const starts = periods.map((p) => p.start);
    const first = periods[0]!;
    const last = periods[periods.length - 1]!;
    const basis = query.cohortBasis ?? 'status';
    const want = new Set(tables);
    // PGlite runs one query at a time anyway; on a server the four reads overlap.
    const [figures, byReason, cohorts, atRisk] = await Promise.all([
      want.has('periods')
        ? this.churn.transitions(starts, last.stop).then((t) => periodFigures(periods, t))
        : [],
      want.has('reasons') ? this.reasons(first.start, last.stop) : [],
      want.has('cohorts') ? this.cohorts(periods, basis) : [],
      want.has('atRisk') ? this.atRisk(query.atRiskLimit ?? 50) : { asOf: null, customers: [] },
    ]);
    return {
      period: unit,
      from: first.label,
      to: last.label,
      start: dayOf(first.start),
      end: lastDayOf(last),
      periods: figures as PeriodFigures[],
      byReason,
      cohortBasis: basis,
      cohorts: cohorts as CohortFigures[],
      atRiskAsOf: atRisk.asOf,
      atRisk: atRisk.customers,
    };
  }

  private async reasons(start: Date, stop: Date) {
    const rows = await this.churn.byReason(start, stop);
    const total = rows.reduce((s, r) => s + r.customers, 0);
    return rows.map((r) => ({ reason: r.reason, customers: r.customers, share: r.customers / total }));
  }

  private async cohorts(periods: Period[], basis: 'status' | 'purchase'): Promise<CohortFigures[]> {
    const starts = periods.map((p) => p.start);
    const stop = periods[periods.length - 1]!.stop;
    if (basis === 'purchase') {
      const { sizes, buyers } = await this.churn.cohortBuyers(starts, stop);
      return cohortPurchases(periods, sizes, buyers);
    }
    const { sizes, transitions } = await this.churn.cohortTransitions(starts, stop);
    return cohortRetention(periods, sizes, transitions);
  }

  /** At risk at the end of the latest finished run's asOf day, by the value at stake. */
  private async atRisk(limit: number) {
    const run = await this.churn.latestDoneRun();
    if (!run) return { asOf: null, customers: [] };
    const end = new Date(new Date(`${run.as_of}T00:00:00Z`).getTime() + DAY_MS);
    const rows = await this.churn.atRisk(run.id, end, limit);
    const num = (v: number | string | null) => (v === null ? null : Number(v));
    return {
      asOf: run.as_of,
      customers: rows.map((r) => ({
        customerId: r.id,
        name: r.name,
        owner: r.owner,
        clvPredicted: num(r.clv_predicted),
        pAlive: num(r.p_alive),
        valueAtStake: num(r.at_stake),
        lastPurchaseAt: r.last_purchase_at ? new Date(r.last_purchase_at).toISOString() : null,
        // No contact history is kept yet (docs/lifecycle.md): the field is there for when it is.
        lastContactAt: null,
      })),
    };
  }
}
