import {
  forecast,
  mape,
  newCustomerPeriods,
  periodEnds,
  periodPurchases,
  simpson,
  SIMPSON_STEPS,
} from '../../src/domain/reports/demand-forecast';
import {
  conditionalExpectedPurchases,
  expectedPurchasesNewCustomer,
} from '../../src/domain/value/bgnbd-predictions';
import { hyp2f1 } from '../../src/domain/value/special-functions';

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

describe('customers not yet acquired', () => {
  // CDNOW's weekly fit (Fader, Hardie and Lee 2005).
  const cdnow = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  /** Equation 9 as the paper writes it, from stdlib's 2F1. */
  const equation9 = ({ r, alpha, a, b }: typeof cdnow, t: number) =>
    ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)));

  test('E[X(t)] is equation 9 of the paper, at known values', () => {
    for (const t of [1, 10, 39, 78, 200])
      expect(expectedPurchasesNewCustomer(cdnow, t)).toBeCloseTo(equation9(cdnow, t), 10);
    expect(expectedPurchasesNewCustomer(cdnow, 39)).toBeCloseTo(1.196723193320817, 12);
  });

  test('Simpson is exact for cubics and converges on E[X]', () => {
    expect(simpson((x) => x ** 3 - 2 * x, 0, 3, 2)).toBeCloseTo(81 / 4 - 9, 12);
    const f = (u: number) => expectedPurchasesNewCustomer(cdnow, u);
    expect(simpson(f, 10, 40, SIMPSON_STEPS)).toBeCloseTo(simpson(f, 10, 40, 2_000), 7);
  });

  test('arrivals, first purchases and the integrated repeat purchases per period', () => {
    const ends = [30, 61, 91];
    const perDay = 2;
    const got = newCustomerPeriods(cdnow, perDay, ends, 7);
    expect(got.customers).toEqual([60, 62, 60]);
    // Period (t0, t1]: perDay x integral_t0^t1 E[X(u / 7)] du, here by a fine trapezoid.
    const trapezoid = (from: number, to: number) => {
      const n = 3_000;
      const h = (to - from) / n;
      let s = 0;
      for (let i = 0; i <= n; i++)
        s += (i === 0 || i === n ? 0.5 : 1) * expectedPurchasesNewCustomer(cdnow, (from + i * h) / 7);
      return s * h;
    };
    [0, 30, 61].forEach((from, k) => {
      expect(got.repeatPurchases[k]).toBeCloseTo(perDay * trapezoid(from, ends[k]!), 5);
      expect(got.purchases[k]).toBeCloseTo(got.customers[k]! + got.repeatPurchases[k]!, 12);
    });
    // Over a short span an alive customer buys at the mean rate r / alpha per unit: about
    // perDay x (r / alpha) x t^2 / 2 repeat purchases (t in units).
    const short = newCustomerPeriods(cdnow, 1, [1], 7);
    expect(short.repeatPurchases[0]! / ((cdnow.r / cdnow.alpha) * (1 / 7) ** 2 * 3.5)).toBeCloseTo(1, 1);
    expect(newCustomerPeriods(cdnow, 0, ends, 7).purchases).toEqual([0, 0, 0]);
  });
});
