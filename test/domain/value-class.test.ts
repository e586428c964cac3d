import {
  tertiles,
  valueClass,
  valueClassThresholds,
  type ValueClassThresholds,
} from '../../src/domain/value';

const thresholds: ValueClassThresholds = {
  cycle: { shortMax: 10, mediumMax: 30 },
  amount: { smallMax: 50, mediumMax: 200 },
};

describe('value classes (docs/domain.md 5.4)', () => {
  it.each([
    [5, 500, 'platinum'],
    [5, 100, 'gold'],
    [5, 20, 'silver'],
    [20, 500, 'gold'],
    [20, 100, 'silver'],
    [20, 20, 'development'],
    [40, 500, 'silver'],
    [40, 100, 'development'],
    [40, 20, 'optimization'],
  ])('cycle %d, amount %d -> %s', (averageCycle, averageAmount, expected) => {
    expect(valueClass({ averageCycle, averageAmount, T: 100 }, thresholds)).toBe(expected);
  });

  it('boundaries are inclusive on the lower class', () => {
    expect(valueClass({ averageCycle: 10, averageAmount: 50, T: 100 }, thresholds)).toBe('silver');
  });

  it('a one-time buyer is new until T passes the long threshold, then long-cycle', () => {
    expect(valueClass({ averageCycle: null, averageAmount: 500, T: 30 }, thresholds)).toBe('new');
    expect(valueClass({ averageCycle: null, averageAmount: 500, T: 31 }, thresholds)).toBe('silver');
    expect(valueClass({ averageCycle: null, averageAmount: 20, T: 31 }, thresholds)).toBe('optimization');
  });

  it('default thresholds are the tertiles of the base', () => {
    const base = [1, 2, 3, 4, 5, 6, 7].map((c) => ({ averageCycle: c, averageAmount: c * 10, T: 50 }));
    const t = valueClassThresholds([...base, { averageCycle: null, averageAmount: 1000, T: 3 }]);
    // type-7 quantiles, as R and numpy: cycles 1..7 -> 3 and 5
    expect(t.cycle).toEqual({ shortMax: 3, mediumMax: 5 });
    expect(tertiles([1, 2, 3, 4, 5, 6, 7])).toEqual([3, 5]);
    // amounts 10..70 and 1000 -> 33.33 and 56.67
    expect(t.amount!.smallMax).toBeCloseTo(100 / 3, 12);
    expect(t.amount!.mediumMax).toBeCloseTo(170 / 3, 12);
  });

  it('all one-time buyers: no cycle thresholds, everyone stays new', () => {
    const base = [1, 2, 3].map((i) => ({ averageCycle: null, averageAmount: i, T: 1000 }));
    const t = valueClassThresholds(base);
    expect(t.cycle).toBeNull();
    expect(base.map((c) => valueClass(c, t))).toEqual(['new', 'new', 'new']);
  });

  it('identical customers all land in one class (short cycle, small amount: silver)', () => {
    const base = Array.from({ length: 5 }, () => ({ averageCycle: 7, averageAmount: 30, T: 100 }));
    const t = valueClassThresholds(base);
    expect(new Set(base.map((c) => valueClass(c, t)))).toEqual(new Set(['silver']));
  });
});
