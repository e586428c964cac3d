import {
  agingBuckets,
  allocatePayments,
  bucketOf,
  overdueOf,
  summariseReceivables,
} from '../../src/domain/receivables';

const u = (n: number) => BigInt(Math.round(n * 10000));
const order = (id: string, orderedDay: number, amount: number, terms = 30) => ({
  id,
  orderedDay,
  dueDay: orderedDay + terms,
  amount: u(amount),
});
const payment = (
  id: string,
  receivedDay: number,
  amount: number,
  allocations: Array<{ orderId: string; amount: number }> = [],
) => ({
  id,
  receivedDay,
  amount: u(amount),
  allocations: allocations.map((a) => ({ orderId: a.orderId, amount: u(a.amount) })),
});

test('FIFO: payments settle the oldest open orders first', () => {
  const { settlements, unapplied } = allocatePayments(
    [order('b', 20, 50), order('a', 10, 100), order('c', 30, 25)],
    [payment('p1', 15, 120)],
  );
  expect(settlements.map((s) => [s.orderId, s.paid, s.open, s.paidDay])).toEqual([
    ['a', u(100), 0n, 15],
    ['b', u(20), u(30), null],
    ['c', 0n, u(25), null],
  ]);
  expect(unapplied).toBe(0n);
});

test('explicit allocations come first, capped; the rest goes FIFO; the excess is unapplied', () => {
  const { settlements, unapplied } = allocatePayments(
    [order('a', 10, 100), order('b', 20, 50)],
    [
      payment('p1', 25, 200, [
        { orderId: 'b', amount: 80 },
        { orderId: 'gone', amount: 10 },
      ]),
    ],
  );
  expect(settlements.map((s) => [s.orderId, s.open, s.paidDay])).toEqual([
    ['a', 0n, 25],
    ['b', 0n, 25],
  ]);
  expect(unapplied).toBe(u(50));
});

test('a prepayment settles a later order on its order day', () => {
  const { settlements } = allocatePayments([order('a', 40, 10)], [payment('p', 5, 10)]);
  expect(settlements[0]!.paidDay).toBe(40);
});

test('aging buckets by days since the order day; overdue by days past due', () => {
  expect([0, 30, 31, 60, 61, 90, 91, -3].map(bucketOf)).toEqual([
    '0-30',
    '0-30',
    '31-60',
    '31-60',
    '61-90',
    '61-90',
    '90+',
    '0-30',
  ]);
  const { settlements } = allocatePayments([order('a', 0, 10), order('b', 50, 20), order('c', 95, 30)], []);
  expect(agingBuckets(settlements, 100)).toEqual({
    '0-30': u(30),
    '31-60': u(20),
    '61-90': 0n,
    '90+': u(10),
  });
  // a is 70 days past due (due day 30), b 20 days (due 80), c not yet due (125).
  expect(overdueOf(settlements, 100)).toEqual({ amount: u(30), days: 70, largest: u(20) });
  expect(overdueOf(settlements, 30).amount).toBe(0n);
});

test('summary: outstanding is open orders minus unapplied payments, negative when overpaid', () => {
  const s = summariseReceivables([order('a', 0, 40)], [payment('p', 1, 100)], 10);
  expect(s.outstanding).toBe(-u(60));
  expect(s.unapplied).toBe(u(60));
  expect(s.openOrders).toBe(0n);
});
