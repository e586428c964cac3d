import { purchaseDays, summarisePurchases, ValueDomainError } from '../../src/domain/value';

describe('purchaseDays', () => {
  it('merges same-UTC-day orders, drops cancelled/returned and later orders, sorts by day', () => {
    const days = purchaseDays(
      [
        { orderedAt: '2024-01-10T09:00:00Z', amount: 10 },
        { orderedAt: '2024-01-01T23:00:00Z', amount: 5 },
        { orderedAt: '2024-01-01T01:00:00Z', amount: 7 },
        { orderedAt: '2024-01-05', amount: 100, status: 'cancelled' },
        { orderedAt: '2024-01-06', amount: 100, status: 'RETURNED' },
        { orderedAt: '2024-01-07', amount: 3, status: 'paid' },
        { orderedAt: '2024-02-01', amount: 999 },
      ],
      '2024-01-31',
    );
    expect(days.map((d) => d.amount)).toEqual([12, 3, 10]);
    expect(days[1]?.day).toBe(days[0]!.day + 6);
  });

  it('keeps orders dated on asOf itself', () => {
    expect(purchaseDays([{ orderedAt: '2024-01-31T23:59:59Z', amount: 1 }], '2024-01-31')).toHaveLength(1);
  });

  it('rejects non-finite amounts', () => {
    expect(() => purchaseDays([{ orderedAt: '2024-01-01', amount: NaN }], '2024-01-31')).toThrow(
      ValueDomainError,
    );
  });
});

describe('summarisePurchases', () => {
  const orders = [
    { orderedAt: '1997-01-01', amount: 29.33 },
    { orderedAt: '1997-01-18', amount: 29.73 },
    { orderedAt: '1997-08-02', amount: 14.96 },
    { orderedAt: '1997-12-12', amount: 26.48 },
  ];

  it('reproduces the CDNOW summary of sample customer 1 (x=2, t_x=30.43, T=38.86, zbar=22.35)', () => {
    const s = summarisePurchases(orders, '1997-09-30', 'week')!;
    expect(s.purchases).toBe(3);
    expect(s.frequency).toBe(2);
    expect(s.recency).toBeCloseTo(213 / 7, 10);
    expect(s.recency.toFixed(2)).toBe('30.43');
    expect(s.T.toFixed(2)).toBe('38.86');
    expect(s.repeatAverageAmount.toFixed(2)).toBe('22.35');
    expect(s.totalAmount).toBeCloseTo(74.02, 10);
    expect(s.averageAmount).toBeCloseTo(74.02 / 3, 10);
    expect(s.averageCycle).toBeCloseTo(213 / 7 / 2, 10);
    expect(s.sinceLastPurchase).toBeCloseTo(59 / 7, 10);
  });

  it('uses days and months as units too', () => {
    const days = summarisePurchases(orders, '1997-09-30', 'day')!;
    expect(days.recency).toBe(213);
    expect(days.T).toBe(272);
    const months = summarisePurchases(orders, '1997-09-30', 'month')!;
    expect(months.T).toBeCloseTo(272 / 30.4375, 12);
  });

  it('gives a one-time buyer x = 0, no cycle and repeat mean 0', () => {
    const s = summarisePurchases(
      [
        { orderedAt: '2024-01-01', amount: 5 },
        { orderedAt: '2024-01-01', amount: 6 },
      ],
      '2024-03-01',
      'day',
    )!;
    expect(s).toMatchObject({
      purchases: 1,
      frequency: 0,
      recency: 0,
      averageCycle: null,
      repeatAverageAmount: 0,
      totalAmount: 11,
    });
  });

  it('returns null when nothing counted is dated on or before asOf', () => {
    expect(summarisePurchases([], '2024-01-01', 'day')).toBeNull();
    expect(summarisePurchases([{ orderedAt: '2024-02-01', amount: 1 }], '2024-01-01', 'day')).toBeNull();
    expect(
      summarisePurchases([{ orderedAt: '2023-02-01', amount: 1, status: 'cancelled' }], '2024-01-01', 'day'),
    ).toBeNull();
  });

  it('stays finite for a customer with 1,000 purchase-days', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({
      orderedAt: new Date(Date.UTC(2020, 0, 1 + i)),
      amount: 1 + (i % 7),
    }));
    const s = summarisePurchases(many, '2023-01-01', 'week')!;
    expect(s.frequency).toBe(999);
    expect(s.averageCycle).toBeCloseTo(1 / 7, 12);
    expect(Number.isFinite(s.repeatAverageAmount)).toBe(true);
  });
});
