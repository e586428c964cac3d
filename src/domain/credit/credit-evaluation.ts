import { truncateToCents } from '../money';
import type { OrderSettlement, ReceivablesSummary } from '../receivables';

/**
 * Credit evaluation (docs/domain.md section 1) from a customer's settled receivables. Money is bigint
 * units of 1/10,000 in the reporting currency; the score is a plain number.
 *
 * Factors, over the customer's open-status orders dated on or before asOf:
 * - onTimeShare: of the orders that are fully paid or past their due day, the share paid in
 *   full on or before the due day (null without any such order).
 * - averageDaysToPay: mean days from order day to paid day over fully paid orders (null without).
 * - overdueDays and largestOverdue: from the overdue open amounts (see receivables/aging).
 *
 * Score, 0 to 100, the sum of four parts, rounded:
 * - punctuality, 0-40: 40 x onTimeShare; 20 without history.
 * - speed, 0-20: 20 when averageDaysToPay <= 30, 0 when >= 90, linear between; 10 without history.
 * - overdue age, 0-25: nothing overdue 25; 1-30 days 15; 31-60 days 8; 61-90 days 3; over 90 days 0.
 * - largest overdue, 0-15: 15 x (1 - largestOverdue / average order amount), at least 0;
 *   15 when nothing is overdue.
 * Grade: A >= 85, B >= 70, C >= 55, D >= 40, else E.
 * Suggested limit: the average monthly billing of the last 365 days (billed / 12) times
 * 3 (A), 2 (B), 1 (C), 0.5 (D) or 0 (E), truncated to whole cents. No billing, no limit (0).
 */
export type CreditGrade = 'A' | 'B' | 'C' | 'D' | 'E';

export interface CreditFactors {
  onTimeShare: number | null;
  averageDaysToPay: number | null;
  overdueDays: number;
  largestOverdue: bigint;
  averageOrderAmount: bigint;
  billedLastYear: bigint;
}

export interface CreditEvaluation {
  score: number;
  grade: CreditGrade;
  suggestedLimit: bigint;
  factors: CreditFactors;
  points: { punctuality: number; speed: number; overdueAge: number; largestOverdue: number };
}

const LIMIT_MULTIPLIER: Record<CreditGrade, { num: bigint; den: bigint }> = {
  A: { num: 3n, den: 1n },
  B: { num: 2n, den: 1n },
  C: { num: 1n, den: 1n },
  D: { num: 1n, den: 2n },
  E: { num: 0n, den: 1n },
};

export function gradeOf(score: number): CreditGrade {
  if (score >= 85) return 'A';
  if (score >= 70) return 'B';
  if (score >= 55) return 'C';
  if (score >= 40) return 'D';
  return 'E';
}

export function overdueAgePoints(overdueDays: number): number {
  if (overdueDays <= 0) return 25;
  if (overdueDays <= 30) return 15;
  if (overdueDays <= 60) return 8;
  if (overdueDays <= 90) return 3;
  return 0;
}

function factorsOf(
  settlements: readonly OrderSettlement[],
  summary: ReceivablesSummary,
  asOfDay: number,
): CreditFactors {
  const history = settlements.filter((s) => s.orderedDay <= asOfDay);
  const judged = history.filter((s) => s.paidDay !== null || asOfDay > s.dueDay);
  const onTime = judged.filter((s) => s.paidDay !== null && s.paidDay <= s.dueDay).length;
  const paid = history.filter((s) => s.paidDay !== null);
  const daysToPay = paid.reduce((sum, s) => sum + (s.paidDay! - s.orderedDay), 0);
  let total = 0n;
  let billedLastYear = 0n;
  for (const s of history) {
    total += s.amount;
    if (s.orderedDay > asOfDay - 365) billedLastYear += s.amount;
  }
  return {
    onTimeShare: judged.length > 0 ? onTime / judged.length : null,
    averageDaysToPay: paid.length > 0 ? daysToPay / paid.length : null,
    overdueDays: summary.overdue.days,
    largestOverdue: summary.overdue.largest,
    averageOrderAmount: history.length > 0 ? total / BigInt(history.length) : 0n,
    billedLastYear,
  };
}

/** Evaluates a customer from its receivables summary (see receivables/summariseReceivables). */
export function evaluateCredit(summary: ReceivablesSummary, asOfDay: number): CreditEvaluation {
  const factors = factorsOf(summary.settlements, summary, asOfDay);
  const punctuality = factors.onTimeShare === null ? 20 : 40 * factors.onTimeShare;
  const speed =
    factors.averageDaysToPay === null
      ? 10
      : factors.averageDaysToPay <= 30
        ? 20
        : factors.averageDaysToPay >= 90
          ? 0
          : (20 * (90 - factors.averageDaysToPay)) / 60;
  const overdueAge = overdueAgePoints(factors.overdueDays);
  const largestOverdue =
    factors.largestOverdue === 0n
      ? 15
      : factors.averageOrderAmount === 0n
        ? 0
        : 15 * Math.max(0, 1 - Number(factors.largestOverdue) / Number(factors.averageOrderAmount));
  const score = Math.min(100, Math.max(0, Math.round(punctuality + speed + overdueAge + largestOverdue)));
  const grade = gradeOf(score);
  const { num, den } = LIMIT_MULTIPLIER[grade];
  const suggestedLimit = truncateToCents((factors.billedLastYear * num) / (12n * den));
  return {
    score,
    grade,
    suggestedLimit,
    factors,
    points: { punctuality, speed, overdueAge, largestOverdue },
  };
}

/**
 * Flags an order that takes the balance past the limit (docs/domain.md section 1: flagged, not refused).
 * No limit on record means nothing to check against.
 */
export function pushesPastLimit(balanceBefore: bigint, orderAmount: bigint, limit: bigint | null): boolean {
  return limit !== null && balanceBefore + orderAmount > limit;
}
