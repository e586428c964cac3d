import { roundMoney } from './views';
import {
  periodAmountCell,
  type CustomerValuation,
  type ParetoShare,
  type ValueClassThresholds,
} from '../../domain/value';

export interface GroupFigures {
  customers: number;
  revenue: number;
  totalClv: number;
  averageClv: number;
}

export interface SegmentReport {
  valueClasses: Record<string, GroupFigures>;
  rfmSegments: Record<string, GroupFigures>;
  matrix: {
    thresholds: ValueClassThresholds;
    /** Customers per cycle class (rows) and amount class (columns). */
    counts: Record<'short' | 'medium' | 'long', Record<'large' | 'medium' | 'small', number>>;
    newCustomers: number;
  };
  pareto: {
    topShare: number;
    topCount: number;
    customers: number;
    topContribution: number;
    totalContribution: number;
  };
}

function add(groups: Record<string, GroupFigures>, key: string, revenue: number, clv: number): void {
  const g = (groups[key] ??= { customers: 0, revenue: 0, totalClv: 0, averageClv: 0 });
  g.customers += 1;
  g.revenue += revenue;
  g.totalClv += clv;
}

function finish(groups: Record<string, GroupFigures>): Record<string, GroupFigures> {
  for (const g of Object.values(groups)) {
    g.revenue = roundMoney(g.revenue);
    g.averageClv = g.customers > 0 ? g.totalClv / g.customers : 0;
  }
  return groups;
}

/** What the report needs of a customer's summary. */
export interface SegmentFacts {
  averageCycle: number | null;
  averageAmount: number;
  totalAmount: number;
  T: number;
}

type MatrixCounts = SegmentReport['matrix']['counts'];

/**
 * Counts, revenue and CLV per value class and per RFM segment and the 3x3 period/amount
 * matrix, summed customer by customer as a run values them (in batches); the Pareto share of
 * the top 20% by contribution (revenue x margin) comes in at the end, from the whole base.
 */
export class SegmentTally {
  private readonly valueClasses: Record<string, GroupFigures> = {};
  private readonly rfmSegments: Record<string, GroupFigures> = {};
  private readonly counts: MatrixCounts = {
    short: { large: 0, medium: 0, small: 0 },
    medium: { large: 0, medium: 0, small: 0 },
    long: { large: 0, medium: 0, small: 0 },
  };
  private newCustomers = 0;
  private customers = 0;

  constructor(private readonly thresholds: ValueClassThresholds) {}

  add(valuation: CustomerValuation, facts: SegmentFacts): void {
    this.customers += 1;
    add(this.valueClasses, valuation.valueClass, facts.totalAmount, valuation.clv.predicted);
    add(this.rfmSegments, valuation.rfm.segment, facts.totalAmount, valuation.clv.predicted);
    const cell = periodAmountCell(facts, this.thresholds);
    if (cell) this.counts[cell.cycle][cell.amount] += 1;
    else this.newCustomers += 1;
  }

  report(pareto: Omit<ParetoShare, 'topCustomerIds'>): SegmentReport {
    return {
      valueClasses: finish(this.valueClasses),
      rfmSegments: finish(this.rfmSegments),
      matrix: { thresholds: this.thresholds, counts: this.counts, newCustomers: this.newCustomers },
      pareto: {
        topShare: pareto.topShare,
        topCount: pareto.topCount,
        customers: this.customers,
        topContribution: pareto.topContribution,
        totalContribution: pareto.totalContribution,
      },
    };
  }
}
