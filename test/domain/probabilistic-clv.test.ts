import {
  conditionalExpectedPurchases,
  monthlyDiscountRate,
  probabilisticClv,
  probabilisticClvs,
  probabilityAlive,
  ValueDomainError,
} from '../../src/domain/value';

const bgnbd = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const customer = { frequency: 2, recency: 30.43, T: 38.86 };

describe('probabilisticClv', () => {
  it('sums monthly increments of the conditional expectation, discounted monthly, times spend and margin', () => {
    const result = probabilisticClv({
      bgnbd,
      customer,
      timeUnit: 'week',
      expectedSpend: 24.66,
      horizonMonths: 12,
      annualDiscountRate: 0.1,
      margin: 0.3,
    });
    const m = monthlyDiscountRate(0.1);
    const perMonth = 30.4375 / 7;
    let expected = 0;
    for (let k = 1; k <= 12; k++) {
      const inc =
        conditionalExpectedPurchases(bgnbd, customer, k * perMonth) -
        conditionalExpectedPurchases(bgnbd, customer, (k - 1) * perMonth);
      expected += (inc * 24.66 * 0.3) / (1 + m) ** k;
    }
    expect(result.value).toBeCloseTo(expected, 10);
    expect(result.expectedPurchases).toBeCloseTo(
      conditionalExpectedPurchases(bgnbd, customer, 12 * perMonth),
      12,
    );
  });

  it('without discounting equals E[Y(H)] x spend x margin', () => {
    const result = probabilisticClv({
      bgnbd,
      customer,
      timeUnit: 'week',
      expectedSpend: 10,
      horizonMonths: 24,
      annualDiscountRate: 0,
      margin: 1,
    });
    expect(result.value).toBeCloseTo(result.expectedPurchases * 10, 10);
  });

  it('gives zero for a zero horizon and rejects fractional horizons', () => {
    const base = {
      bgnbd,
      customer,
      timeUnit: 'week' as const,
      expectedSpend: 10,
      annualDiscountRate: 0.1,
      margin: 1,
    };
    expect(probabilisticClv({ ...base, horizonMonths: 0 })).toEqual({ value: 0, expectedPurchases: 0 });
    expect(() => probabilisticClv({ ...base, horizonMonths: 1.5 })).toThrow(ValueDomainError);
  });

  it('stays finite for a 1,000-purchase customer', () => {
    const result = probabilisticClv({
      bgnbd,
      customer: { frequency: 1000, recency: 77.9, T: 78 },
      timeUnit: 'week',
      expectedSpend: 30,
      horizonMonths: 60,
      annualDiscountRate: 0.1,
      margin: 1,
    });
    expect(Number.isFinite(result.value)).toBe(true);
    expect(result.value).toBeGreaterThan(0);
  });

  it('for many customers at once gives exactly the one-at-a-time results', () => {
    // Customers sharing (x, T) share the cached E[Y(t)] / P(alive) but not their t_x.
    const customers = [
      customer,
      { frequency: 2, recency: 10, T: 38.86 },
      { frequency: 2, recency: 30.43, T: 38.86 },
      { frequency: 0, recency: 0, T: 38.86 },
      { frequency: 0, recency: 0, T: 0 },
      { frequency: 7, recency: 20, T: 25 },
      { frequency: 1000, recency: 77.9, T: 78 },
    ];
    const spends = customers.map((_, i) => 10 + i);
    for (const horizonMonths of [0, 1, 12]) {
      const horizon = {
        bgnbd,
        timeUnit: 'week' as const,
        horizonMonths,
        annualDiscountRate: 0.1,
        margin: 0.3,
      };
      const batch = probabilisticClvs(customers, spends, horizon);
      customers.forEach((c, i) => {
        const single = probabilisticClv({ ...horizon, customer: c, expectedSpend: spends[i]! });
        expect(batch[i]).toEqual({ pAlive: probabilityAlive(bgnbd, c), ...single });
      });
    }
  });

  it('for many customers rejects a malformed customer or spend', () => {
    const horizon = {
      bgnbd,
      timeUnit: 'week' as const,
      horizonMonths: 12,
      annualDiscountRate: 0.1,
      margin: 1,
    };
    expect(() => probabilisticClvs([{ frequency: 1, recency: 3, T: 2 }], [10], horizon)).toThrow(
      ValueDomainError,
    );
    expect(() => probabilisticClvs([customer], [-1], horizon)).toThrow(ValueDomainError);
    expect(() => probabilisticClvs([customer], [], horizon)).toThrow(ValueDomainError);
  });
});
