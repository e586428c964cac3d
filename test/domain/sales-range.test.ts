import { averageOf, shareOf } from '../../src/domain/reports/sales-figures';
import { changeOf, maxDaysEnding, rangeOf } from '../../src/domain/reports/sales-range';

describe('sales report range', () => {
  test('both days included; the previous period has as many days just before', () => {
    const range = rangeOf('2026-11-01', '2026-11-30');
    expect(range).toMatchObject({ days: 30, previous: { from: '2026-10-02', to: '2026-10-31' } });
    expect(rangeOf('2026-03-01', '2026-03-01')).toMatchObject({
      days: 1,
      previous: { from: '2026-02-28', to: '2026-02-28' },
    });
  });

  test('reversed, not a day, over five years', () => {
    expect(rangeOf('2026-11-02', '2026-11-01')).toBe('reversed');
    expect(rangeOf('2026-02-30', '2026-03-01')).toBe('not_a_day');
    expect(rangeOf('2021-11-30', '2026-11-30')).toBe('too_long');
    expect(rangeOf('2021-12-01', '2026-11-30')).toMatchObject({ days: maxDaysEnding('2026-11-30') });
    expect(maxDaysEnding('2026-11-30')).toBe(1826);
  });

  test('average to the cent half away from zero, share, change', () => {
    expect(averageOf(1_261_600n, 4)).toBe('31.54');
    expect(averageOf(10_000n, 3)).toBe('0.33');
    expect(averageOf(50n, 1)).toBe('0.01');
    expect(averageOf(0n, 0)).toBeNull();
    expect(shareOf(1n, 3n)).toBe(0.3333);
    expect(shareOf(1n, 0n)).toBeNull();
    expect(changeOf(150, 100)).toBe(0.5);
    expect(changeOf(1, 0)).toBeNull();
  });
});
