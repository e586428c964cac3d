import {
  compare,
  dayRangeOf,
  known,
  median,
  monthsOf,
  previousRange,
  unknown,
  type DayRange,
} from '../../src/domain/reports/kpi-figures';

const range = (from: string, to: string) => dayRangeOf(from, to) as DayRange;

describe('KPI ranges', () => {
  it('counts both days and refuses what is not a range', () => {
    expect(range('2026-06-01', '2026-06-30').days).toBe(30);
    expect(range('2026-06-01', '2026-06-01').days).toBe(1);
    expect(dayRangeOf('2026-06-02', '2026-06-01')).toBe('reversed');
    expect(dayRangeOf('2026-02-29', '2026-03-01')).toBe('from_not_a_day');
    expect(dayRangeOf('2026-01-01', '2026-1-2')).toBe('to_not_a_day');
    expect(range('2021-01-01', '2026-01-04').days).toBe(1830);
    expect(dayRangeOf('2021-01-01', '2026-01-05')).toBe('too_long');
  });

  it('puts the previous period of the same length just before from', () => {
    const p = previousRange(range('2026-03-01', '2026-03-31'));
    expect([p.from, p.to, p.days]).toEqual(['2026-01-29', '2026-02-28', 31]);
    expect(p.stop.toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('cuts at months, partial at both ends', () => {
    const months = monthsOf(range('2026-01-15', '2026-03-02'));
    expect(months.map((m) => [m.from, m.to, m.days])).toEqual([
      ['2026-01-15', '2026-01-31', 17],
      ['2026-02-01', '2026-02-28', 28],
      ['2026-03-01', '2026-03-02', 2],
    ]);
  });
});

describe('KPI figures', () => {
  it('compares numbers and keeps the reasons of nulls', () => {
    expect(compare(known(12), known(10))).toEqual({
      value: 12,
      reason: null,
      previous: { value: 10, reason: null },
      change: 2,
      relativeChange: 0.2,
    });
    expect(compare(known(1), known(0))).toMatchObject({ change: 1, relativeChange: null });
    expect(compare(unknown('no_orders'), known(3))).toMatchObject({
      value: null,
      reason: 'no_orders',
      change: null,
    });
    expect(compare(known(0.1 + 0.2), known(0.1), 2).change).toBe(0.2);
  });

  it('takes the median of odd and even counts', () => {
    expect(median([])).toBeNull();
    expect(median([48, 6, 24])).toBe(24);
    expect(median([1, 4, 2, 10])).toBe(3);
  });
});
