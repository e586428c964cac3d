import {
  discountedValue,
  discountFactor,
  historicalValue,
  monthlyDiscountRate,
  purchaseDays,
  ValueDomainError,
  valueVerification,
} from '../../src/domain/value';

describe('discounting (formula 1)', () => {
  it('monthly rate compounds to the annual one', () => {
    const m = monthlyDiscountRate(0.1);
    expect(m).toBeCloseTo(0.00797414042890376, 15);
    expect((1 + m) ** 12).toBeCloseTo(1.1, 14);
    expect(monthlyDiscountRate(0)).toBe(0);
  });

  it('CV = sum S_i / (1 + r)^t_i', () => {
    const cv = discountedValue(
      [
        { amount: 100, periods: 1 },
        { amount: 100, periods: 2 },
        { amount: 50, periods: 0 },
      ],
      0.1,
    );
    expect(cv).toBeCloseTo(50 + 100 / 1.1 + 100 / 1.21, 12);
    expect(discountFactor(0.1, -1)).toBeCloseTo(1.1, 14);
  });

  it('rejects negative or percentage-looking rates', () => {
    expect(() => monthlyDiscountRate(-0.1)).toThrow(ValueDomainError);
    expect(() => discountedValue([], 10)).toThrow(ValueDomainError);
  });
});

describe('historicalValue', () => {
  const days = purchaseDays(
    [
      { orderedAt: '2022-01-01', amount: 100 },
      { orderedAt: '2023-06-01', amount: 200 },
      { orderedAt: '2024-01-01', amount: 300 },
    ],
    '2024-01-01',
  );

  it('carries each past contribution to asOf; current keeps the last 365.25 days', () => {
    const v = historicalValue(days, { asOf: '2024-01-01', annualDiscountRate: 0.1, margin: 0.5 });
    const years = (d: string) => (Date.parse('2024-01-01') - Date.parse(d)) / 86400000 / 365.25;
    const expected = (d: string, a: number) => 0.5 * a * 1.1 ** years(d);
    expect(v.historical).toBeCloseTo(expected('2022-01-01', 100) + expected('2023-06-01', 200) + 150, 9);
    expect(v.current).toBeCloseTo(expected('2023-06-01', 200) + 150, 9);
  });

  it('is the plain sum of contributions at rate 0', () => {
    expect(historicalValue(days, { asOf: '2024-01-01', annualDiscountRate: 0, margin: 1 })).toEqual({
      historical: 600,
      current: 500,
    });
  });

  it('is zero for no purchases', () => {
    expect(historicalValue([], { asOf: '2024-01-01', annualDiscountRate: 0.1, margin: 1 })).toEqual({
      historical: 0,
      current: 0,
    });
  });
});

describe('valueVerification (formula 2)', () => {
  const base = { averageAmount: 100, annualDiscountRate: 0, margin: 0.3, timeUnit: 'month' as const };

  it('expects H / c purchases worth the average amount times the margin', () => {
    const v = valueVerification({ ...base, averageCycle: 5, horizonMonths: 12 });
    expect(v.expectedPurchases).toBeCloseTo(2.4, 12);
    expect(v.value).toBeCloseTo(2.4 * 30, 10);
  });

  it('discounts purchase k at k c months and the fractional rest at H', () => {
    const v = valueVerification({ ...base, annualDiscountRate: 0.1, averageCycle: 5, horizonMonths: 12 });
    const m = monthlyDiscountRate(0.1);
    expect(v.value).toBeCloseTo(30 / (1 + m) ** 5 + 30 / (1 + m) ** 10 + (0.4 * 30) / (1 + m) ** 12, 10);
  });

  it('works in weeks (a month is 4.348 weeks)', () => {
    const v = valueVerification({ ...base, timeUnit: 'week', averageCycle: 30.4375 / 7, horizonMonths: 12 });
    expect(v.expectedPurchases).toBeCloseTo(12, 10);
  });

  it('gives 0 for a one-time buyer and stays finite for a tiny cycle', () => {
    expect(valueVerification({ ...base, averageCycle: null, horizonMonths: 12 })).toEqual({
      expectedPurchases: 0,
      value: 0,
    });
    const tiny = valueVerification({
      ...base,
      annualDiscountRate: 0.1,
      averageCycle: 1e-9,
      horizonMonths: 12,
    });
    expect(Number.isFinite(tiny.value)).toBe(true);
    expect(tiny.expectedPurchases).toBeCloseTo(1.2e10, 0);
  });
});
