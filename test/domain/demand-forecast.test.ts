import { forecast, mape, periodEnds, periodPurchases } from '../../src/domain/reports/demand-forecast';
import { conditionalExpectedPurchases } from '../../src/domain/value/bgnbd-predictions';

const params = { r: 0.28, alpha: 4, a: 0.55, b: 2.8 };
const history = { frequency: 3, recency: 200, T: 300 };

describe('demand forecast', () => {
  test('period ends are whole days of k x the period length', () => {
    expect(periodEnds('month', 3)).toEqual([30, 61, 91]);
    expect(periodEnds('quarter', 2)).toEqual([91, 183]);
  });

  test('period purchases add up to the cumulative conditional expectation', () => {
    const ends = periodEnds('month', 4);
    const parts = periodPurchases(params, history, ends, 1);
    expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(
      conditionalExpectedPurchases(params, history, 91 + 31),
      12,
    );
    expect(parts.every((p) => p >= 0)).toBe(true);
  });

  test('the total is the sum of the customers, the groups split by weight add up to it', () => {
    const ends = periodEnds('month', 2);
    const customers = [
      {
        history,
        spend: 10,
        groups: [
          { key: 'tea', weight: 0.25 },
          { key: 'ware', weight: 0.75 },
        ],
      },
      { history: { frequency: 0, recency: 0, T: 50 }, spend: 20, groups: [{ key: null, weight: 1 }] },
    ];
    const result = forecast(params, customers, ends, 1);
    const first = periodPurchases(params, customers[0]!.history, ends, 1);
    const second = periodPurchases(params, customers[1]!.history, ends, 1);
    expect(result.total.purchases[0]).toBeCloseTo(first[0]! + second[0]!, 12);
    expect(result.total.revenue[1]).toBeCloseTo(first[1]! * 10 + second[1]! * 20, 10);
    const groupSum = [...result.groups.values()].reduce((a, g) => a + g.purchases[0]!, 0);
    expect(groupSum).toBeCloseTo(result.total.purchases[0]!, 12);
    expect(result.customers).toBe(2);
  });

  test('MAPE over the periods with an actual above 0', () => {
    expect(mape([10, 0, 20], [12, 5, 15])).toBeCloseTo((0.2 + 0.25) / 2, 12);
    expect(mape([0], [1])).toBeNull();
  });
});
