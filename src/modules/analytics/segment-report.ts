import { roundMoney } from './views';
import {
  paretoShare,
  periodAmountCell,
  type CustomerValuation,
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

/**
 * Counts, revenue and CLV per value class and per RFM segment, the 3x3 period/amount matrix
 * with its thresholds, and the Pareto share of the top 20% by contribution (revenue x margin).
 */
export function segmentReport(
  valuations: readonly CustomerValuation[],
  facts: ReadonlyArray<{
    averageCycle: number | null;
    averageAmount: number;
    totalAmount: number;
    T: number;
  }>,
  thresholds: ValueClassThresholds,
  margin: number,
): SegmentReport {
  const valueClasses: Record<string, GroupFigures> = {};
  const rfmSegments: Record<string, GroupFigures> = {};
  const counts = {
    short: { large: 0, medium: 0, small: 0 },
    medium: { large: 0, medium: 0, small: 0 },
    long: { large: 0, medium: 0, small: 0 },
  };
  let newCustomers = 0;
  valuations.forEach((v, i) => {
    const f = facts[i]!;
    add(valueClasses, v.valueClass, f.totalAmount, v.clv.predicted);
    add(rfmSegments, v.rfm.segment, f.totalAmount, v.clv.predicted);
    const cell = periodAmountCell(f, thresholds);
    if (cell) counts[cell.cycle][cell.amount] += 1;
    else newCustomers += 1;
  });
  const pareto = paretoShare(
    valuations.map((v, i) => ({ id: v.id, contribution: facts[i]!.totalAmount * margin })),
  );
  return {
    valueClasses: finish(valueClasses),
    rfmSegments: finish(rfmSegments),
    matrix: { thresholds, counts, newCustomers },
    pareto: {
      topShare: pareto.topShare,
      topCount: pareto.topCount,
      customers: valuations.length,
      topContribution: pareto.topContribution,
      totalContribution: pareto.totalContribution,
    },
  };
}
