import { evaluateCredit, gradeOf, overdueAgePoints, pushesPastLimit } from '../../src/domain/credit';
import { fromUnits } from '../../src/domain/money';
import { summariseReceivables } from '../../src/domain/receivables';

const u = (n: number) => BigInt(Math.round(n * 10000));
const order = (id: string, orderedDay: number, amount: number) => ({
  id,
  orderedDay,
  dueDay: orderedDay + 30,
  amount: u(amount),
});
const payment = (id: string, receivedDay: number, amount: number) => ({
  id,
  receivedDay,
  amount: u(amount),
  allocations: [],
});

test('no history: 20 + 10 + 25 + 15 = 70 (B) and no limit', () => {
  const e = evaluateCredit(summariseReceivables([], [], 1000), 1000);
  expect(e).toEqual(expect.objectContaining({ score: 70, grade: 'B', suggestedLimit: 0n }));
});

test('a customer who always pays within terms scores 100 (A) and gets 3 months of billing', () => {
  const orders = [order('a', 800, 1200), order('b', 900, 1200), order('c', 950, 1200)];
  const payments = [payment('p1', 810, 1200), payment('p2', 910, 1200), payment('p3', 960, 1200)];
  const e = evaluateCredit(summariseReceivables(orders, payments, 1000), 1000);
  expect(e.score).toBe(100);
  expect(e.grade).toBe('A');
  // 3,600 billed in the last 365 days / 12 x 3 = 900.00
  expect(fromUnits(e.suggestedLimit)).toBe('900.00');
});

test('a late, slow payer: hand-computed parts', () => {
  // a (day 0, due 30) paid on day 75: late, 75 days to pay; b (day 100, due 130) open and 70 days overdue on day 200.
  const e = evaluateCredit(
    summariseReceivables([order('a', 0, 100), order('b', 100, 100)], [payment('p', 75, 100)], 200),
    200,
  );
  expect(e.factors.onTimeShare).toBe(0);
  expect(e.factors.averageDaysToPay).toBe(75);
  expect(e.factors.overdueDays).toBe(70);
  expect(e.points).toEqual({ punctuality: 0, speed: 5, overdueAge: 3, largestOverdue: 0 });
  expect(e.score).toBe(8);
  expect(e.grade).toBe('E');
  expect(e.suggestedLimit).toBe(0n);
});

test('grades, overdue points and the limit flag', () => {
  expect([100, 85, 84, 70, 69, 55, 54, 40, 39, 0].map(gradeOf)).toEqual([
    'A',
    'A',
    'B',
    'B',
    'C',
    'C',
    'D',
    'D',
    'E',
    'E',
  ]);
  expect([0, 1, 30, 31, 60, 61, 90, 91].map(overdueAgePoints)).toEqual([25, 15, 15, 8, 8, 3, 3, 0]);
  expect(pushesPastLimit(u(90), u(10), u(100))).toBe(false);
  expect(pushesPastLimit(u(90), u(10.01), u(100))).toBe(true);
  expect(pushesPastLimit(u(1e9), u(1), null)).toBe(false);
});
