import {
  compare,
  dayRangeOf,
  dayStart,
  figureOf,
  known,
  MAX_RANGE_DAYS,
  median,
  monthsOf,
  previousRange,
  ratio,
  unknown,
  type ComparedFigure,
  type DayRange,
  type Figure,
} from '../../domain/reports/kpi-figures';
import { tallyFollowUps } from '../../domain/service/follow-ups';
import { satisfactionOf } from '../../domain/service/satisfaction';
import { BadRequestError, ValidationError, summaryOf } from '../../http/http-errors';
import { periodFigures } from '../churn/figures';
import type { ChurnRepository } from '../churn/repository';
import type { FollowUpRepository } from '../follow-ups/repository';
import type { KpisRepository } from './kpis-repository';

const DAY_MS = 86_400_000;
/** Without `from`: the 30 days that end with `to`. */
const DEFAULT_DAYS = 30;

export const KPI_NAMES = [
  'customersTotal',
  'newCustomers',
  'activeCustomers',
  'atRiskCustomers',
  'churnedCustomers',
  'wonBackCustomers',
  'retentionRate',
  'churnRate',
  'revenue',
  'orders',
  'averageOrder',
  'clvTotal',
  'clvAverage',
  'csat',
  'nps',
  'complaintResolutionHours',
  'followUpsOnTime',
] as const;
export type KpiName = (typeof KPI_NAMES)[number];

type Figures = Record<KpiName, Figure>;

export interface KpiQuery {
  from?: string;
  to?: string;
  period?: 'month';
}

export interface RangeFigures {
  from: string;
  to: string;
  days: number;
  previousFrom: string;
  previousTo: string;
  clvRunAsOf: string | null;
  previousClvRunAsOf: string | null;
  figures: Record<KpiName, ComparedFigure>;
}

export interface KpiSettings {
  graceMinutes: number;
  reportingCurrency: string;
}

const round = (value: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/** GET /v1/analytics/kpis: the customer side of the scorecard (docs/reports.md). */
export class KpisService {
  constructor(
    private readonly kpis: KpisRepository,
    private readonly churn: ChurnRepository,
    private readonly followUps: FollowUpRepository,
    private readonly clock: () => Date,
    private readonly settings: KpiSettings,
  ) {}

  /** The range a query names; 400 when a day is no calendar day, reversed, or over five years. */
  rangeOf(query: KpiQuery): DayRange {
    const to = query.to ?? this.clock().toISOString().slice(0, 10);
    const last = dayStart(to);
    // A bad `to` without `from` is reported as such below, through the range of `to` and itself.
    const from =
      query.from ??
      (last ? new Date(last.getTime() - (DEFAULT_DAYS - 1) * DAY_MS).toISOString().slice(0, 10) : to);
    const range = dayRangeOf(from, to);
    if (range === 'from_not_a_day' || range === 'to_not_a_day') {
      const name = range === 'to_not_a_day' ? 'to' : 'from';
      const errors = [{ path: `querystring/${name}`, message: 'is not a calendar day' }];
      throw new ValidationError(summaryOf(errors), errors);
    }
    if (range === 'reversed') throw new BadRequestError('invalid_range', {});
    if (range === 'too_long') throw new BadRequestError('invalid_range.too_long', { max: MAX_RANGE_DAYS });
    return range;
  }

  async report(query: KpiQuery) {
    const range = this.rangeOf(query);
    const total = await this.compared(range);
    const series = query.period === 'month' ? await this.series(range) : undefined;
    return {
      ...total,
      reportingCurrency: this.settings.reportingCurrency,
      graceMinutes: this.settings.graceMinutes,
      ...(series ? { period: 'month' as const, series } : {}),
    };
  }

  private async series(range: DayRange): Promise<RangeFigures[]> {
    const out: RangeFigures[] = [];
    // One month after the other: PGlite runs one query at a time, and a server is spared a burst.
    for (const month of monthsOf(range)) out.push(await this.compared(month));
    return out;
  }

  /** The range's figures beside those of the period of the same length just before it. */
  async compared(range: DayRange): Promise<RangeFigures> {
    const previous = previousRange(range);
    const now = await this.figures(range);
    const before = await this.figures(previous);
    const figures = {} as Record<KpiName, ComparedFigure>;
    for (const name of KPI_NAMES) {
      const money =
        name === 'revenue' || name === 'averageOrder' || name === 'clvTotal' || name === 'clvAverage';
      figures[name] = compare(now.figures[name], before.figures[name], money ? 2 : 6);
    }
    return {
      from: range.from,
      to: range.to,
      days: range.days,
      previousFrom: previous.from,
      previousTo: previous.to,
      clvRunAsOf: now.clvRunAsOf,
      previousClvRunAsOf: before.clvRunAsOf,
      figures,
    };
  }

  private async figures(range: DayRange): Promise<{ figures: Figures; clvRunAsOf: string | null }> {
    const { start, stop } = range;
    const transitions = await this.churn.transitions([start], stop);
    const [period] = periodFigures([{ label: range.from, start, stop }], transitions);
    const atEnd = await this.kpis.statusesAt(stop);
    const newCustomers = await this.kpis.firstPurchasesIn(start, stop);
    const orders = await this.kpis.ordersIn(start, stop);
    const clv = await this.kpis.clvAsOf(range.to);
    const satisfaction = satisfactionOf(await this.kpis.satisfactionIn(start, stop));
    const hours = median(await this.kpis.resolutionHoursIn(start, stop));
    const followUps = tallyFollowUps(
      (await this.followUps.plannedIn({ start, end: stop })).map((r) => ({
        owner: r.owner,
        plannedAt: new Date(r.planned_at),
        completedAt: r.completed_at === null ? null : new Date(r.completed_at),
      })),
      this.clock(),
      this.settings.graceMinutes,
    ).total;

    const revenue = orders.revenue === null ? 0 : round(Number(orders.revenue), 2);
    const average = ratio(revenue, orders.orders);
    const churnRate = period!.churnRate;
    const noRun = unknown('no_analytics_run');
    return {
      clvRunAsOf: clv?.asOf ?? null,
      figures: {
        customersTotal: known(atEnd.acquired),
        newCustomers: known(newCustomers),
        activeCustomers: known(period!.activeAtEnd),
        atRiskCustomers: known(atEnd.atRisk),
        churnedCustomers: known(period!.churned),
        wonBackCustomers: known(period!.wonBack),
        retentionRate: figureOf(
          churnRate === null ? null : round(1 - churnRate, 6),
          'no_active_customers_at_start',
        ),
        churnRate: figureOf(churnRate === null ? null : round(churnRate, 6), 'no_active_customers_at_start'),
        revenue: known(revenue),
        orders: known(orders.orders),
        averageOrder: figureOf(average === null ? null : round(average, 2), 'no_orders'),
        clvTotal: clv ? known(round(clv.total ?? 0, 2)) : noRun,
        clvAverage: clv
          ? figureOf(clv.total === null ? null : round(clv.total / clv.customers, 2), 'no_customer_values')
          : noRun,
        csat: figureOf(satisfaction.csat.average, 'no_csat_responses'),
        nps: figureOf(satisfaction.nps.score, 'no_nps_responses'),
        complaintResolutionHours: figureOf(hours === null ? null : round(hours, 2), 'no_complaints_resolved'),
        followUpsOnTime: figureOf(
          followUps.onTimeRate === null ? null : round(followUps.onTimeRate, 6),
          'no_follow_ups_done',
        ),
      },
    };
  }
}
